import type { NextRequest } from 'next/server';
import { z } from 'zod';

import { apiError, jsonResponse, otherMethods } from '@/lib/server/http/api';
import { jsonPostRoute } from '@/lib/server/http/handle';
import { clearSessionCookie, SESSION_COOKIE } from '@/lib/server/http/session-cookie';
import { runtime } from '@/lib/server/runtime';

export const dynamic = 'force-dynamic';

/** Signs out: Logout at Identity Center (tolerating its failure), the record deleted, the cookie cleared. */
export const POST = jsonPostRoute(z.strictObject({}), async (request: NextRequest) => {
  const { sessions } = runtime();

  const signedOut = await sessions.signOut(request.cookies.get(SESSION_COOKIE)?.value);
  const response = signedOut
    ? jsonResponse({ signedOut: true }, 200, { 'Clear-Site-Data': '"cookies", "storage"' })
    : apiError(401, 'unauthenticated', 'There is no session to sign out of.');
  clearSessionCookie(response);
  return response;
});

/** Every other method: a 405 in the API's error shape. */
export const { GET, PUT, DELETE, PATCH, OPTIONS } = otherMethods('POST');
