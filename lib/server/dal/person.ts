import 'server-only';

import type { NextRequest } from 'next/server';

import { getConfig, type IdentityCenterInstance } from '@/lib/server/env';
import { audit, identifySession } from '@/lib/server/audit';
import { instanceOf, sessionCookieOf } from '@/lib/server/http/instance';
import { portalHost, requestIdOf, sameIdentity } from '@/lib/server/http/request-guard';
import { runtime } from '@/lib/server/runtime';
import { clientName } from '@/lib/server/session/client-name';
import { sessionAuditRef, sha256Hex } from '@/lib/server/session/crypto';
import { proxyBindingHolds } from '@/lib/server/session/proxy-binding';

import { SessionEndedError } from '@/lib/server/session/session-manager';

import { IdentityCenterUnauthorizedError, type ListingRequest } from './listing';

/**
 * The signed-in person behind a request, as the data layer needs them: keys for their cache and
 * their fair share of the rate limit, and their SSO token (refreshed when due). Throws
 * SessionEndedError (→ 401) when there is no live session.
 */
export interface Person extends ListingRequest {
  userName?: string;
  /** The Identity Center instance this person is signed in to for this request. */
  instance: IdentityCenterInstance;
  /** This request's id, for the audit records it causes. */
  requestId: string;
  /** The session's reference in the audit trail (never its id). */
  sessionRef: string;
}

export async function personFor(request: NextRequest): Promise<Person> {
  const { sessionsFor, config } = runtime();
  const instance = instanceOf(request);
  const sessions = sessionsFor(instance);
  const instanceId = instance.id;
  const requestId = requestIdOf(request);
  const name = clientName(portalHost(getConfig()));
  const signedIn = await sessions.accessToken(sessionCookieOf(request, instance), name);
  const sessionId = signedIn.id;
  const userName = signedIn.record.user?.userName;

  // Behind an authenticating proxy, the session belongs to the person the proxy named at sign-in.
  if (!(await proxyBindingHolds(request.headers, sessionId, signedIn.record))) throw new SessionEndedError('unauthorized');
  const userKey = (user: string) => `user:${instanceId}:${user}`;
  const personKey = userName ? userKey(userName) : `session:${instanceId}:${sha256Hex(sessionId)}`;
  // The token this request just read (refreshed when due) serves its first use; later uses, such
  // as a long listing's, ask the session again.
  let fresh: string | undefined = signedIn.token;
  return {
    userName,
    instance,
    requestId,
    personKey,
    sessionRef: sessionAuditRef(sessionId),
    owner: sha256Hex(personKey).slice(0, 16),
    accessToken: async () => {
      const token = fresh ?? (await sessions.accessToken(sessionId, name)).token;
      fresh = undefined;
      return token;
    },
    onIdentity: async (user) => {
      // The device-flow phishing guard: whoever approved the code must be the person the proxy vouches for.
      const vouched = signedIn.record.proxyUser;
      if (config.trustedIdentityHeader && (!vouched || !sameIdentity(vouched, user))) {
        await audit({ event: 'identity_mismatch', user, reason: 'identity_center_user_differs', instance: instanceId, requestId });
        await sessions.signOut(sessionId);
        throw new IdentityCenterUnauthorizedError();
      }
      let named = false;
      await sessions.remember(sessionId, (record) => {
        named = record.user === undefined;
        return { ...record, user: { userName: user } };
      });
      // The first time the session's user is known, its earlier events (the sign-in) become theirs.
      if (named) await identifySession(instanceId, sessionAuditRef(sessionId), user, requestId);
      return userKey(user);
    },
    onUnauthorized: () => sessions.endUnauthorized(sessionId),
    // Until the Identity Center user is known to be the person the proxy vouches for, nothing is shown.
    confirmIdentity: config.trustedIdentityHeader !== undefined && !userName,
  };
}
