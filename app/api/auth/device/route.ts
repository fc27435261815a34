import type { NextRequest } from 'next/server';
import { z } from 'zod';

import { apiError, jsonResponse, otherMethods } from '@/lib/server/http/api';
import { jsonPostRoute } from '@/lib/server/http/handle';
import { portalHost, proxyIdentity } from '@/lib/server/http/request-guard';
import { instanceOf, sessionCookieOf } from '@/lib/server/http/instance';
import { setSessionCookie } from '@/lib/server/http/session-cookie';
import { runtime } from '@/lib/server/runtime';
import { clientName } from '@/lib/server/session/client-name';
import type { StartSignInResponse } from '@/lib/shared/api';

export const dynamic = 'force-dynamic';

/** Starts a device authorization; the flow state stays on the server, bound to this session. */
export const POST = jsonPostRoute(z.strictObject({}), async (request: NextRequest) => {
  const { config, sessionsFor } = runtime();
  const instance = instanceOf(request);
  const sessions = sessionsFor(instance);
  const proxyUser = proxyIdentity(request, config.trustedIdentityHeader);
  if (proxyUser === null) {
    return apiError(403, 'forbidden', 'Sign in through your organisation\'s login first: the portal did not receive your identity from it.');
  }

  const flow = await sessions.startDeviceFlow(
    sessionCookieOf(request, instance),
    clientName(portalHost(config)),
    proxyUser,
  );
  const answer: StartSignInResponse = {
    userCode: flow.userCode,
    verificationUri: flow.verificationUri,
    verificationUriComplete: flow.verificationUriComplete,
    expiresAt: new Date(flow.expiresAt).toISOString(),
    intervalSeconds: flow.intervalSeconds,
  };
  const response = jsonResponse(answer);
  const found = await sessions.lookup(flow.sessionId);
  if (found.kind === 'active') setSessionCookie(response, instance, flow.sessionId, sessions.cookieExpiryOf(found.record));
  return response;
}, { limit: 'sign-in' });

/** Every other method: a 405 in the API's error shape. */
export const { GET, PUT, DELETE, PATCH, OPTIONS } = otherMethods('POST');
