import 'server-only';

import { sessionAuditRef } from '@/lib/server/core/crypto';
import { GatehouseError } from '@/lib/server/core/errors';
import { metrics } from '@/lib/server/core/metrics';
import { services } from '@/lib/server/services';
import { clientName } from '@/lib/server/session/client-name';
import { proxyIdentity } from '@/lib/server/session/proxy-identity';
import { clearSessionCookie, setSessionCookie, type Viewer } from '@/lib/server/viewer';
import type { PollSignInResponse, StartSignInResponse } from '@/lib/shared/api';

/**
 * Signing in and out: the device authorization flow with the portal as the device, the session
 * cookie, and the audit records and metrics of each outcome.
 */

const nameOf = (viewer: Viewer) => clientName(new URL(viewer.config.publicUrl).host);

/** Starts a device authorization; the flow state stays on the server, bound to this session. */
export async function startSignIn(viewer: Viewer): Promise<StartSignInResponse> {
  const proxyUser = proxyIdentity(viewer.headers, viewer.config.trustedIdentityHeader);
  if (proxyUser === null) {
    throw new GatehouseError('forbidden', "Sign in through your organisation's login first: the portal did not receive your identity from it.");
  }
  const { sessions } = services().of(viewer.instance);
  const flow = await sessions.startDeviceFlow(viewer.sessionId, nameOf(viewer), proxyUser);
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
  const result = await sessions.pollDeviceFlow(viewer.sessionId, nameOf(viewer));
  if (result.status === 'approved' && result.newSessionId) {
    metrics().signIns.inc({ identity_center: instance.key, outcome: 'approved' });
    // Identity Center does not say who approved; the session's events are tied to the person once
    // a role tells (see the audit trail's identifySession).
    await audit.record({ event: 'authn_login_success', instance: instance.id, session: sessionAuditRef(result.newSessionId), requestId: viewer.requestId });
  } else if (result.settledNow && (result.status === 'denied' || result.status === 'expired')) {
    metrics().signIns.inc({ identity_center: instance.key, outcome: result.status });
    await audit.record({ event: 'authn_login_fail', reason: result.status, instance: instance.id, requestId: viewer.requestId });
  }
  if (result.newSessionId) {
    const found = await sessions.lookup(result.newSessionId);
    if (found.kind === 'active') await setSessionCookie(instance, result.newSessionId, sessions.cookieExpiryOf(found.record));
    else await clearSessionCookie(instance);
  }
  return {
    status: result.status,
    retryAfterMs: result.retryAfterMs,
    expiresAt: result.expiresAt === undefined ? undefined : new Date(result.expiresAt).toISOString(),
  };
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
