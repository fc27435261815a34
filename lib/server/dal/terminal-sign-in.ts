import 'server-only';

import { clientAddress } from '@/lib/server/core/client-address';
import { sessionAuditRef, sha256Hex } from '@/lib/server/core/crypto';
import { GatehouseError } from '@/lib/server/core/errors';
import { metrics } from '@/lib/server/core/metrics';
import { services } from '@/lib/server/services';
import { clientName } from '@/lib/server/session/client-name';
import { proxyIdentity } from '@/lib/server/session/proxy-identity';
import { type Viewer, viewerForToken } from '@/lib/server/viewer';

import { learnWhoSignedIn } from './sign-in';

/**
 * The `gatehouse` command's sign-in through the portal's own device flow: the terminal gets a
 * Gatehouse session of its own, never an AWS token; the person sees and revokes it from their
 * Activity page.
 */

const nameOf = (viewer: Viewer) => clientName(new URL(viewer.config.publicUrl).host);

/** What a terminal says it is (its User-Agent), kept printable and short, for the person's Activity page. */
function terminalLabel(viewer: Viewer): string {
  const agent = (viewer.headers.get('user-agent') ?? '').replace(/[^\x20-\x7e]/g, '').trim();
  return (agent || 'a terminal').slice(0, 120);
}

export interface TerminalLogin {
  /** The pending session's id: the bearer for polling, and for nothing else. */
  loginToken: string;
  userCode: string;
  verificationUri: string;
  verificationUriComplete: string;
  expiresAt: string;
  intervalSeconds: number;
  instance: { key: string; name: string };
}

/** Starts a terminal's sign-in: a device authorization for a terminal session of the portal's own. */
export async function startTerminalLogin(viewer: Viewer): Promise<TerminalLogin> {
  const proxyUser = proxyIdentity(viewer.headers, viewer.config.trustedIdentityHeader);
  if (proxyUser === null) {
    throw new GatehouseError('forbidden', "Sign in through your organisation's login first: the portal did not receive your identity from it.");
  }
  const { sessions } = services().of(viewer.instance);
  const flow = await sessions.startDeviceFlow(undefined, nameOf(viewer), proxyUser, {
    kind: 'terminal',
    client: { label: terminalLabel(viewer), address: clientAddress(viewer.headers, viewer.config.trustedProxyCount).slice(0, 64) },
  });
  return {
    loginToken: flow.sessionId,
    userCode: flow.userCode,
    verificationUri: flow.verificationUri,
    verificationUriComplete: flow.verificationUriComplete,
    expiresAt: new Date(flow.expiresAt).toISOString(),
    intervalSeconds: flow.intervalSeconds,
    instance: { key: viewer.instance.key, name: viewer.instance.name },
  };
}

export interface TerminalPoll {
  status: 'pending' | 'approved' | 'denied' | 'expired';
  retryAfterMs?: number;
  expiresAt?: string;
  /** When approved: the terminal session's bearer token. */
  token?: string;
  session?: TerminalSession;
}

export interface TerminalSession {
  user?: string;
  instance: { key: string; name: string; startUrl: string };
  expiresAt: string;
  endsBecause: string;
}

/** One poll of a terminal's sign-in (the viewer's bearer is the login token). */
export async function pollTerminalLogin(viewer: Viewer): Promise<TerminalPoll> {
  const { instance } = viewer;
  const { sessions } = services().of(instance);
  const result = await sessions.pollDeviceFlow(viewer.sessionId, nameOf(viewer), 'terminal');
  const answer: TerminalPoll = {
    status: result.status,
    retryAfterMs: result.retryAfterMs,
    expiresAt: result.expiresAt === undefined ? undefined : new Date(result.expiresAt).toISOString(),
  };
  if (result.status === 'approved' && result.newSessionId) {
    metrics().signIns.inc({ identity_center: instance.key, outcome: 'approved' });
    await services().audit.record({
      event: 'authn_login_success',
      via: 'terminal',
      instance: instance.id,
      session: sessionAuditRef(result.newSessionId),
      requestId: viewer.requestId,
    });
    const terminal = await viewerForToken(instance, result.newSessionId);
    await learnWhoSignedIn(terminal);
    answer.token = result.newSessionId;
    answer.session = await terminalSession(terminal);
  } else if (result.settledNow && (result.status === 'denied' || result.status === 'expired')) {
    metrics().signIns.inc({ identity_center: instance.key, outcome: result.status });
    await services().audit.record({ event: 'authn_login_fail', via: 'terminal', reason: result.status, instance: instance.id, requestId: viewer.requestId });
  }
  return answer;
}

/** Who the terminal session is and when it ends; a `session_ended` error when it has ended or was revoked. */
export async function terminalSession(viewer: Viewer): Promise<TerminalSession> {
  const standing = await viewer.standing();
  if (standing.state !== 'signed-in') throw new GatehouseError('session_ended');
  return {
    user: standing.user,
    instance: { key: viewer.instance.key, name: viewer.instance.name, startUrl: viewer.instance.startUrl },
    expiresAt: new Date(standing.expiresAt).toISOString(),
    endsBecause: standing.endsBecause,
  };
}

/** Signs the terminal out: Logout at Identity Center, the session deleted. */
export async function signOutTerminal(viewer: Viewer): Promise<void> {
  if (!(await services().of(viewer.instance).sessions.signOut(viewer.sessionId))) {
    throw new GatehouseError('session_ended', 'There is no session to sign out of.');
  }
}

/**
 * Revokes one of the person's terminal sessions from their Activity page (a browser session): the
 * terminal's next command is refused and says to sign in again.
 */
export async function revokeTerminal(viewer: Viewer, handle: string): Promise<void> {
  const person = await viewer.person();
  if (!person.userName) throw new GatehouseError('not_found', 'There is no such terminal session.');
  const { terminals, sessions } = services().of(viewer.instance);
  const entry = (await terminals.list(viewer.instance.id, person.userName)).find((each) => each.handle === handle);
  if (!entry) throw new GatehouseError('not_found', 'There is no such terminal session.');
  await sessions.revoke(entry.idHash, entry.sessionRef);
  await terminals.prune(viewer.instance.id, person.userName, (each) => each.handle !== handle);
}
