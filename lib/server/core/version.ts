import 'server-only';

import packageJson from '@/package.json';

/** The portal's version: the `gatehouse` command it serves is built from the same sources and carries it too. */
export const PORTAL_VERSION: string = packageJson.version;
