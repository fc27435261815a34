import 'server-only';

import { DEFAULT_INSTANCE_KEY } from '@/lib/server/core/config';

/**
 * The only thing a browser holds: a random id per Identity Center instance it is signed in to.
 * `__Host-` pins it to this host and path `/` and requires Secure; browsers accept Secure cookies
 * from http://localhost and 127.0.0.1 for the demo. SameSite=Lax keeps deep links from chat and
 * mail working; every state change is a POST with an origin check.
 */
export const SESSION_COOKIE = '__Host-gatehouse-session';

/** One cookie per instance, so a person can be signed in to several at once. */
export function sessionCookieName(instance: { key: string }): string {
  return instance.key === DEFAULT_INSTANCE_KEY ? SESSION_COOKIE : `${SESSION_COOKIE}-${instance.key}`;
}

export const SESSION_COOKIE_OPTIONS = { httpOnly: true, secure: true, sameSite: 'lax', path: '/' } as const;
