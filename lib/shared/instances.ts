/**
 * Identity Center instances as URLs name them. No zod here: this module is in the browser bundle.
 */
export const INSTANCE_KEY_PATTERN = /^[a-z0-9][a-z0-9-]{0,31}$/;

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
