import type { NextRequest } from 'next/server';

import { apiError, jsonResponse, otherMethods } from '@/lib/server/http/api';
import { withErrorHandling } from '@/lib/server/http/handle';
import { clearSessionCookie, SESSION_COOKIE } from '@/lib/server/http/session-cookie';
import { runtime } from '@/lib/server/runtime';
import { proxyBindingHolds } from '@/lib/server/session/proxy-binding';
import { isSignedIn } from '@/lib/server/session/record';
import type { SessionResponse } from '@/lib/shared/api';

export const dynamic = 'force-dynamic';

/**
 * Who is signed in. Without a cookie: signed out (200). With a cookie that no longer names a live
 * session: 401, so the page sends the person to sign in again. Reading it does not count as
 * activity for the idle timeout.
 */
export const GET = withErrorHandling(async (request: NextRequest) => {
  const { sessions } = runtime();
  const cookie = request.cookies.get(SESSION_COOKIE)?.value;
  if (cookie === undefined) return jsonResponse({ signedIn: false } satisfies SessionResponse);
  const found = await sessions.lookup(cookie);
  if (found.kind === 'active' && isSignedIn(found.record) && (await proxyBindingHolds(request.headers, found.id, found.record))) {
    const answer: SessionResponse = {
      signedIn: true,
      user: found.record.user?.userName,
      expiresAt: new Date(sessions.expiryOf(found.record)).toISOString(),
    };
    return jsonResponse(answer);
  }
  if (found.kind === 'active' && !isSignedIn(found.record)) return jsonResponse({ signedIn: false } satisfies SessionResponse);
  const response = apiError(401, 'session_ended', 'Your session has ended. Sign in again.');
  clearSessionCookie(response);
  return response;
});

/** Every other method: a 405 in the API's error shape. */
export const { POST, PUT, DELETE, PATCH, OPTIONS } = otherMethods('GET');
