import type { NextRequest } from 'next/server';
import { z } from 'zod';

import { getConfig } from '@/lib/server/env';
import { apiError, jsonResponse, otherMethods } from '@/lib/server/http/api';
import { jsonPostRoute } from '@/lib/server/http/handle';
import { resolveInstance, sessionCookieOf } from '@/lib/server/http/instance';
import { clearSessionCookie } from '@/lib/server/http/session-cookie';
import { runtime } from '@/lib/server/runtime';

export const dynamic = 'force-dynamic';

/**
 * Signs out: Logout at Identity Center (tolerating its failure), the record deleted, the cookie
 * cleared. `?instance=` signs out of that instance only; without it, of every instance this
 * browser is signed in to, so one click leaves nothing behind on a shared machine.
 */
export const POST = jsonPostRoute(z.strictObject({}), async (request: NextRequest) => {
  const { sessionsFor } = runtime();
  const requested = request.nextUrl.searchParams.get('instance');
  const targets =
    requested === null
      ? getConfig().instances.filter((instance) => sessionCookieOf(request, instance) !== undefined)
      : [resolveInstance(requested, () => false)];

  const results = await Promise.all(targets.map((instance) => sessionsFor(instance).signOut(sessionCookieOf(request, instance))));
  const everywhere = requested === null;
  const response = results.some(Boolean)
    ? jsonResponse({ signedOut: true }, 200, everywhere ? { 'Clear-Site-Data': '"cookies", "storage"' } : undefined)
    : apiError(401, 'unauthenticated', 'There is no session to sign out of.');
  for (const instance of targets) clearSessionCookie(response, instance);
  return response;
});

/** Every other method: a 405 in the API's error shape. */
export const { GET, PUT, DELETE, PATCH, OPTIONS } = otherMethods('POST');
