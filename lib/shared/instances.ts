import { z } from 'zod';

/** What the browser learns about an Identity Center instance: never an endpoint or a secret. */
export const INSTANCE_KEY_PATTERN = /^[a-z0-9][a-z0-9-]{0,31}$/;

export const instanceKeySchema = z.string().regex(INSTANCE_KEY_PATTERN, 'expected an instance key such as sandbox');

export interface InstanceSummary {
  key: string;
  name: string;
  startUrl: string;
  ssoRegion: string;
}

/**
 * `path` with the `instance` query parameter added (before any fragment). Nothing is added when
 * only one instance is configured (`instanceKey` undefined), so single-instance URLs stay as they were.
 */
export function withInstance(path: string, instanceKey: string | undefined): string {
  if (!instanceKey) return path;
  const hash = path.indexOf('#');
  const base = hash === -1 ? path : path.slice(0, hash);
  const fragment = hash === -1 ? '' : path.slice(hash);
  return `${base}${base.includes('?') ? '&' : '?'}instance=${encodeURIComponent(instanceKey)}${fragment}`;
}
