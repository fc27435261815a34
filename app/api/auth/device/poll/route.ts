import type { NextRequest } from 'next/server';
import { z } from 'zod';

import { audit } from '@/lib/server/audit';
import { metrics } from '@/lib/server/metrics';
import { jsonResponse, otherMethods } from '@/lib/server/http/api';
import { jsonPostRoute } from '@/lib/server/http/handle';
import { portalHost, requestIdOf } from '@/lib/server/http/request-guard';
import { instanceOf, sessionCookieOf } from '@/lib/server/http/instance';
import { clearSessionCookie, setSessionCookie } from '@/lib/server/http/session-cookie';
import { runtime } from '@/lib/server/runtime';
import { clientName } from '@/lib/server/session/client-name';
import { sessionAuditRef } from '@/lib/server/session/crypto';
import type { PollSignInResponse } from '@/lib/shared/api';

export const dynamic = 'force-dynamic';

/** One poll of the sign-in. The server decides when Identity Center is actually asked. */
export const POST = jsonPostRoute(z.strictObject({}), async (request: NextRequest) => {
  const { config, sessionsFor } = runtime();
  const instance = instanceOf(request);
  const sessions = sessionsFor(instance);

  const result = await sessions.pollDeviceFlow(
    sessionCookieOf(request, instance),
    clientName(portalHost(config)),
  );
  const answer: PollSignInResponse = {
    status: result.status,
    retryAfterMs: result.retryAfterMs,
    expiresAt: result.expiresAt === undefined ? undefined : new Date(result.expiresAt).toISOString(),
  };
  const response = jsonResponse(answer);
  if (result.status === 'approved' && result.newSessionId) {
    metrics().signIns.inc({ identity_center: instance.key, outcome: 'approved' });
    // Identity Center does not say who approved; the session's events are tied to the person once
    // a role tells (see identifySession).
    await audit({ event: 'authn_login_success', instance: instance.id, session: sessionAuditRef(result.newSessionId), requestId: requestIdOf(request) });
  } else if (result.settledNow && (result.status === 'denied' || result.status === 'expired')) {
    metrics().signIns.inc({ identity_center: instance.key, outcome: result.status });
    await audit({ event: 'authn_login_fail', reason: result.status, instance: instance.id, requestId: requestIdOf(request) });
  }
  if (result.newSessionId) {
    const found = await sessions.lookup(result.newSessionId);
    if (found.kind === 'active') setSessionCookie(response, instance, result.newSessionId, sessions.cookieExpiryOf(found.record));
    else clearSessionCookie(response, instance);
  }
  return response;
}, { limit: 'poll' });

/** Every other method: a 405 in the API's error shape. */
export const { GET, PUT, DELETE, PATCH, OPTIONS } = otherMethods('POST');
