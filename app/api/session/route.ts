import type { NextRequest } from 'next/server';

import { getConfig, type IdentityCenterInstance } from '@/lib/server/env';
import { apiError, jsonResponse, otherMethods } from '@/lib/server/http/api';
import { withErrorHandling } from '@/lib/server/http/handle';
import { instanceOf, sessionCookieOf } from '@/lib/server/http/instance';
import { clearSessionCookie } from '@/lib/server/http/session-cookie';
import { runtime } from '@/lib/server/runtime';
import { portalHost } from '@/lib/server/http/request-guard';
import { clientName } from '@/lib/server/session/client-name';
import { proxyBindingHolds } from '@/lib/server/session/proxy-binding';
import { isSignedIn } from '@/lib/server/session/record';
import { SessionEndedError, UpstreamUnavailableError } from '@/lib/server/session/session-manager';
import type { InstanceSessionState, SessionEnding, SessionResponse } from '@/lib/shared/api';

export const dynamic = 'force-dynamic';

type Standing =
  | { state: 'signed-out' }
  | { state: 'ended' }
  | { state: 'signed-in'; user?: string; expiresAt: string; endsBecause: SessionEnding };

/**
 * Where the browser stands with one instance. A token due for refresh is refreshed here (without
 * counting as use), so the end reported is the real one: a refresh is how the portal learns when
 * Identity Center's own session ends.
 */
async function standing(request: NextRequest, instance: IdentityCenterInstance): Promise<Standing> {
  const sessions = runtime().sessionsFor(instance);
  const cookie = sessionCookieOf(request, instance);
  if (cookie === undefined) return { state: 'signed-out' };
  const found = await sessions.lookup(cookie);
  if (found.kind === 'active' && !isSignedIn(found.record)) return { state: 'signed-out' };
  if (found.kind !== 'active' || !isSignedIn(found.record)) return { state: 'ended' };
  let record = found.record;
  try {
    record = (await sessions.accessToken(cookie, clientName(portalHost(getConfig())), { countAsUse: false })).record;
  } catch (error) {
    if (error instanceof SessionEndedError) return { state: 'ended' };
    // Identity Center did not answer the refresh: the session stands as it was.
    if (!(error instanceof UpstreamUnavailableError)) throw error;
  }
  if (!(await proxyBindingHolds(request.headers, found.id, record))) return { state: 'ended' };
  return {
    state: 'signed-in',
    user: record.user?.userName,
    expiresAt: new Date(sessions.expiryOf(record)).toISOString(),
    endsBecause: sessions.endingOf(record),
  };
}

/**
 * Who is signed in, and when the session ends (and which bound ends it). Without a cookie: signed
 * out (200). With a cookie that no longer names a live session: 401, so the page sends the person
 * to sign in again. Reading it does not count as activity for the idle timeout. With several instances, `instances` tells where the browser
 * stands with each, and the top-level fields are about the instance `?instance=` names (or the
 * first one signed in to).
 */
export const GET = withErrorHandling(async (request: NextRequest) => {
  const { instances } = getConfig();
  const instance = instanceOf(request);
  const own = await standing(request, instance);
  if (own.state === 'ended') {
    const response = apiError(401, 'session_ended', 'Your session has ended. Sign in again.');
    clearSessionCookie(response, instance);
    return response;
  }
  const answer: SessionResponse =
    own.state === 'signed-in'
      ? { signedIn: true, user: own.user, expiresAt: own.expiresAt, endsBecause: own.endsBecause }
      : { signedIn: false };
  if (instances.length > 1) {
    answer.instance = instance.key;
    answer.instances = await Promise.all(
      instances.map(async (each): Promise<InstanceSessionState> => {
        const state = each === instance ? own : await standing(request, each);
        return state.state === 'signed-in'
          ? { key: each.key, name: each.name, signedIn: true, user: state.user, expiresAt: state.expiresAt }
          : { key: each.key, name: each.name, signedIn: false };
      }),
    );
  }
  return jsonResponse(answer);
});

/** Every other method: a 405 in the API's error shape. */
export const { POST, PUT, DELETE, PATCH, OPTIONS } = otherMethods('GET');
