import 'server-only';

import type { NextResponse } from 'next/server';

/**
 * The only thing the browser holds: a random id. `__Host-` pins it to this host and path `/` and
 * requires Secure; browsers accept Secure cookies from http://localhost and 127.0.0.1 for the demo.
 * SameSite=Lax keeps deep links from chat and mail working; every state change is a POST with an
 * origin check.
 */
export const SESSION_COOKIE = '__Host-gatehouse-session';

export function setSessionCookie(response: NextResponse, id: string, expiresAt: number): void {
  response.cookies.set(SESSION_COOKIE, id, {
    httpOnly: true,
    secure: true,
    sameSite: 'lax',
    path: '/',
    maxAge: Math.max(1, Math.floor((expiresAt - Date.now()) / 1000)),
  });
}

export function clearSessionCookie(response: NextResponse): void {
  response.cookies.set(SESSION_COOKIE, '', { httpOnly: true, secure: true, sameSite: 'lax', path: '/', maxAge: 0 });
}
