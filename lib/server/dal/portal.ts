import 'server-only';

import { services } from '@/lib/server/services';

/** What every page shows of the portal itself: the demo banner, and the configured instances. */
export interface PortalSettings {
  /** In demo mode: where the built-in emulator listens. */
  emulatorUrl?: string;
  /** The portal's URL as people reach it (PUBLIC_URL). */
  publicUrl: string;
  instances: { key: string; name: string; startUrl: string; ssoRegion: string }[];
  /** More than one instance is configured (URLs and pages name the instance). */
  several: boolean;
}

export function portalSettings(): PortalSettings {
  const { config } = services();
  return {
    emulatorUrl: config.emulator?.url,
    publicUrl: config.publicUrl,
    instances: config.instances.map(({ key, name, startUrl, ssoRegion }) => ({ key, name, startUrl, ssoRegion })),
    several: config.instances.length > 1,
  };
}
