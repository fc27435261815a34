import 'server-only';

import type { NextRequest } from 'next/server';

import { getConfig } from '@/lib/server/env';
import { audit } from '@/lib/server/audit';
import { portalHost, sameIdentity } from '@/lib/server/http/request-guard';
import { SESSION_COOKIE } from '@/lib/server/http/session-cookie';
import { runtime } from '@/lib/server/runtime';
import { clientName } from '@/lib/server/session/client-name';
import { sha256Hex } from '@/lib/server/session/crypto';
import { proxyBindingHolds } from '@/lib/server/session/proxy-binding';

import { SessionEndedError } from '@/lib/server/session/session-manager';

import { IdentityCenterUnauthorizedError, type ListingRequest } from './listing';

/**
 * The signed-in person behind a request, as the data layer needs them: keys for their cache and
 * their fair share of the rate limit, and their SSO token (refreshed when due). Throws
 * SessionEndedError (→ 401) when there is no live session.
 */
export interface Person extends ListingRequest {
  sessionId: string;
  userName?: string;
}

export async function personFor(request: NextRequest): Promise<Person> {
  const { sessions, config } = runtime();
  const instanceId = config.identityCenter.id;
  const name = clientName(portalHost(request, getConfig().publicUrl));
  const signedIn = await sessions.accessToken(request.cookies.get(SESSION_COOKIE)?.value, name);
  const sessionId = signedIn.id;
  const userName = signedIn.record.user?.userName;

  // Behind an authenticating proxy, the session belongs to the person the proxy named at sign-in.
  if (!(await proxyBindingHolds(request.headers, sessionId, signedIn.record))) throw new SessionEndedError('unauthorized');
  const userKey = (user: string) => `user:${instanceId}:${user}`;
  const personKey = userName ? userKey(userName) : `session:${instanceId}:${sha256Hex(sessionId)}`;
  return {
    sessionId,
    userName,
    personKey,
    owner: sha256Hex(personKey).slice(0, 16),
    accessToken: async () => (await sessions.accessToken(sessionId, name)).token,
    onIdentity: async (user) => {
      // The device-flow phishing guard: whoever approved the code must be the person the proxy vouches for.
      const vouched = signedIn.record.proxyUser;
      if (config.trustedIdentityHeader && (!vouched || !sameIdentity(vouched, user))) {
        await audit({ event: 'identity_mismatch', user, reason: 'identity_center_user_differs', requestId: crypto.randomUUID() });
        await sessions.signOut(sessionId);
        throw new IdentityCenterUnauthorizedError();
      }
      await sessions.remember(sessionId, (record) => ({ ...record, user: { userName: user } }));
      return userKey(user);
    },
    onUnauthorized: () => sessions.endUnauthorized(sessionId),
    // Until the Identity Center user is known to be the person the proxy vouches for, nothing is shown.
    confirmIdentity: config.trustedIdentityHeader !== undefined && !userName,
  };
}
