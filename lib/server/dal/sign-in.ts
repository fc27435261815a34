import 'server-only';

import { clientAddress } from '@/lib/server/core/client-address';
import { sessionAuditRef } from '@/lib/server/core/crypto';
import { GatehouseError } from '@/lib/server/core/errors';
import { logger } from '@/lib/server/core/log';
import { metrics } from '@/lib/server/core/metrics';
import { services } from '@/lib/server/services';
import { proxyIdentity } from '@/lib/server/session/proxy-identity';
import { clearSessionCookie, setSessionCookie, type Viewer, viewerForToken } from '@/lib/server/viewer';
import type { IdentityProbe } from '@/lib/server/listing/identity';
import type { PollSignInResponse, StartSignInResponse } from '@/lib/shared/api';

/**
 * Signing in and out: the device authorization flow with the portal as the device, the session
 * cookie, and the audit records and metrics of each outcome.
 */

/** Starts a device authorization; the flow state stays on the server, bound to this session. */
export async function startSignIn(viewer: Viewer): Promise<StartSignInResponse> {
  const proxyUser = proxyIdentity(viewer.headers, viewer.config.trustedIdentityHeader);
  if (proxyUser === null) {
    throw new GatehouseError('forbidden', "Sign in through your organisation's login first: the portal did not receive your identity from it.");
  }
  const { sessions } = services().of(viewer.instance);
  const address = clientAddress(viewer.headers, viewer.config.trustedProxyCount);
  const flow = await sessions.startDeviceFlow(viewer.sessionId, proxyUser, { kind: 'browser' }, address);
  const found = await sessions.lookup(flow.sessionId);
  if (found.kind === 'active') await setSessionCookie(viewer.instance, flow.sessionId, sessions.cookieExpiryOf(found.record));
  return {
    userCode: flow.userCode,
    verificationUri: flow.verificationUri,
    verificationUriComplete: flow.verificationUriComplete,
    expiresAt: new Date(flow.expiresAt).toISOString(),
    intervalSeconds: flow.intervalSeconds,
  };
}

/** One poll of the sign-in. The server decides when Identity Center is actually asked. */
export async function pollSignIn(viewer: Viewer): Promise<PollSignInResponse> {
  const { instance } = viewer;
  const { sessions } = services().of(instance);
  const { audit } = services();
  const result = await sessions.pollDeviceFlow(viewer.sessionId);
  if (result.status === 'approved' && result.newSessionId) {
    metrics().signIns.inc({ identity_center: instance.key, outcome: 'approved' });
    // Identity Center does not say who approved; the session's events are tied to the person once
    // a role tells (see the audit trail's identifySession).
    await audit.record({ event: 'authn_login_success', instance: instance.id, session: sessionAuditRef(result.newSessionId), requestId: viewer.requestId });
  } else if (result.settledNow && (result.status === 'denied' || result.status === 'expired')) {
    metrics().signIns.inc({ identity_center: instance.key, outcome: result.status });
    await audit.record({ event: 'authn_login_fail', reason: result.status, instance: instance.id, requestId: viewer.requestId });
  }
  if (result.status === 'approved' && result.newSessionId) {
    await learnWhoSignedIn(await viewerForToken(instance, result.newSessionId, 'cookie'));
  }
  if (result.newSessionId) {
    const found = await sessions.lookup(result.newSessionId);
    if (found.kind === 'active') await setSessionCookie(instance, result.newSessionId, sessions.cookieExpiryOf(found.record));
    else {
      await clearSessionCookie(instance);
      // Someone other than the person the proxy names approved the code: the session was discarded.
      if (result.status === 'approved') throw new GatehouseError('session_ended', undefined, { reason: 'unauthorized' });
    }
  }
  return {
    status: result.status,
    retryAfterMs: result.retryAfterMs,
    expiresAt: result.expiresAt === undefined ? undefined : new Date(result.expiresAt).toISOString(),
  };
}

/** How long a sign-in waits to learn who approved it. */
const IDENTITY_WAIT_MS = 8000;

/**
 * Learns who approved a sign-in, right away (the listing's `identify`): every later request of the
 * session then knows the person, joins their listing in progress (another tab, browser or terminal
 * of theirs started it) or shows their kept one at once, and a terminal greets them by name. Behind
 * an authenticating proxy, someone else's approval ends the session here, before anything is shown.
 * Bounded: a slow Identity Center delays a sign-in by IDENTITY_WAIT_MS at most (the listing learns
 * the name later then).
 */
export async function learnWhoSignedIn(session: Viewer): Promise<IdentityProbe> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const person = await session.person();
    const waited = new Promise<'unavailable'>((resolve) => (timer = setTimeout(() => resolve('unavailable'), IDENTITY_WAIT_MS)));
    const found = await Promise.race([services().of(session.instance).listing.identify(person), waited]);
    if (found !== 'known') logger().info({ event: 'identity_deferred', requestId: session.requestId });
    return found;
  } catch {
    logger().info({ event: 'identity_deferred', requestId: session.requestId });
    return 'unavailable';
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Signs out: Logout at Identity Center (tolerating its failure), the record deleted, the cookie
 * cleared. Of the viewer's instance only, or (`everywhere`) of every instance the request holds a
 * session for, so one click leaves nothing behind on a shared machine. A `unauthenticated` error
 * when there was no session to sign out of.
 */
export async function signOut(viewer: Viewer, options: { everywhere: boolean }): Promise<void> {
  const { config, of } = services();
  const targets = options.everywhere ? config.instances.filter((instance) => viewer.sessionIds.has(instance.key)) : [viewer.instance];
  const results = await Promise.all(targets.map((instance) => of(instance).sessions.signOut(viewer.sessionIds.get(instance.key))));
  for (const instance of targets) await clearSessionCookie(instance);
  if (!results.some(Boolean)) throw new GatehouseError('unauthenticated', 'There is no session to sign out of.');
}
