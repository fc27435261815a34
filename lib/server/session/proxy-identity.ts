import 'server-only';

/**
 * The person an authenticating proxy (such as oauth2-proxy) names in TRUSTED_IDENTITY_HEADER:
 * undefined when no such header is configured, null when it is configured but missing or empty.
 */
export function proxyIdentity(headers: Pick<Headers, 'get'>, header: string | undefined): string | null | undefined {
  if (!header) return undefined;
  const value = headers.get(header)?.trim();
  return value && value.length <= 256 ? value : null;
}

/** Identity Center and the proxy may differ in case (e-mail addresses); nothing else. */
export function sameIdentity(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
