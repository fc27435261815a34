import 'server-only';

import { clientAddress } from '@/lib/server/core/client-address';
import { sessionAuditRef, sha256Hex } from '@/lib/server/core/crypto';
import { GatehouseError } from '@/lib/server/core/errors';
import { metrics } from '@/lib/server/core/metrics';
import { services } from '@/lib/server/services';
import { isSignedIn } from '@/lib/server/session/record';
import { confirmationWords } from '@/lib/server/session/confirmation-words';
import { terminalEndMessage } from '@/lib/server/session/session-end';
import type { TerminalLogin, TerminalLoginRefusal } from '@/lib/server/session/terminal-logins';
import { type Viewer, viewerForToken } from '@/lib/server/viewer';
import { withInstance } from '@/lib/shared/instances';

import { learnWhoSignedIn } from './sign-in';
import { admitTerminal } from './terminal-sessions';

/**
 * The `gatehouse` command's sign-in. The terminal gets a Gatehouse session of its own, never an AWS
 * token, and only once two things have happened: the person confirmed it in the portal, from a
 * browser signed in as them (the page shows the terminal's address, label, time and three words the
 * terminal shows too), and Identity Center approved its device code, as that same person. Identity
 * Center's approval alone (a phished link) never yields a token, and the portal asks Identity Center
 * nothing for a sign-in nobody confirmed.
 */

/** What a terminal says it is (its User-Agent), kept printable and short, for the person to recognise. */
function terminalLabel(viewer: Viewer): string {
  const agent = (viewer.headers.get('user-agent') ?? '').replace(/[^\x20-\x7e]/g, '').trim();
  return (agent || 'a terminal').slice(0, 120);
}

export interface TerminalLoginStart {
  /** The pending sign-in's id: the bearer for polling, and for nothing else. */
  loginToken: string;
  /** The portal page where the person confirms this terminal. */
  confirmUrl: string;
  /** Shown by the terminal and by the page, for the person to compare. */
  words: string;
  expiresAt: string;
  intervalSeconds: number;
  instance: { key: string; name: string };
}

/** Starts a terminal's sign-in: a device authorization of the terminals' client, to be confirmed in the portal. */
export async function startTerminalLogin(viewer: Viewer): Promise<TerminalLoginStart> {
  const { sessions } = services().of(viewer.instance);
  const address = clientAddress(viewer.headers, viewer.config.trustedProxyCount);
  const client = { label: terminalLabel(viewer), address: address.slice(0, 64) };
  // No proxy identity here: the terminal API is not behind the authenticating proxy; the person
  // who confirms the sign-in in a browser is.
  const flow = await sessions.startDeviceFlow(undefined, undefined, { kind: 'terminal', client }, address);
  const words = confirmationWords();
  const confirmId = await sessions.terminalLogins.create(flow.sessionId, {
    instanceId: viewer.instance.id,
    words,
    client,
    requestedAt: Date.now(),
    expiresAt: flow.expiresAt,
    userCode: flow.userCode,
    verificationUriComplete: flow.verificationUriComplete,
  });
  const several = viewer.config.instances.length > 1;
  return {
    loginToken: flow.sessionId,
    confirmUrl: withInstance(`${viewer.config.publicUrl}/terminal/confirm?request=${confirmId}`, several ? viewer.instance.key : undefined),
    words,
    expiresAt: new Date(flow.expiresAt).toISOString(),
    intervalSeconds: flow.intervalSeconds,
    instance: { key: viewer.instance.key, name: viewer.instance.name },
  };
}

export type TerminalPoll =
  | { status: 'pending'; retryAfterMs: number; expiresAt: string; confirmed: boolean }
  | { status: 'approved'; token: string; session: TerminalSession }
  | { status: 'denied' | 'expired' }
  | { status: 'refused'; message: string };

export interface TerminalSession {
  user?: string;
  instance: { key: string; name: string; startUrl: string; region: string };
  expiresAt: string;
  endsBecause: string;
}

const REFUSALS: Record<TerminalLoginRefusal, string> = {
  declined: 'This sign-in was declined in the portal.',
  identity_differs: 'This sign-in was refused: it was approved at Identity Center by someone else than the person who confirmed it in the portal.',
  identity_unknown:
    'This sign-in was refused: Identity Center did not say who approved it (Gatehouse learns it from a role assigned to you, and found none).',
};

/**
 * Refuses a pending sign-in: the portal never hands its session out, Identity Center's session (if
 * one was made) is logged out, and the refusal is audited with who confirmed and who approved.
 */
export async function refuseTerminalLogin(
  viewer: Viewer,
  loginHash: string,
  login: TerminalLogin,
  reason: TerminalLoginRefusal,
  /** Whose trail it goes in: who declined it, or who approved it at Identity Center; else who confirmed it. */
  user?: string,
): Promise<void> {
  const { sessions } = services().of(viewer.instance);
  const refused = await sessions.terminalLogins.update(loginHash, (current) =>
    current.refused ? null : { ...current, refused: { reason, at: Date.now(), message: REFUSALS[reason] } },
  );
  if (!refused?.refused || refused.refused.at === login.refused?.at) return;
  if (login.approvedSessionId) await sessions.signOut(login.approvedSessionId);
  metrics().signIns.inc({ identity_center: viewer.instance.key, outcome: 'refused' });
  await services().audit.record({
    event: 'terminal_login_refused',
    via: 'terminal',
    reason,
    user: user ?? login.confirmedBy?.userName,
    confirmedBy: login.confirmedBy?.userName,
    client: login.client.label,
    address: login.client.address,
    instance: viewer.instance.id,
    requestId: viewer.requestId,
  });
}

/** The session a terminal was approved into, checked against who confirmed it; the answer to its poll. */
async function finishApproved(viewer: Viewer, loginHash: string, login: TerminalLogin & { approvedSessionId: string }): Promise<TerminalPoll> {
  const { instance } = viewer;
  const { sessions } = services().of(instance);
  const terminal = await viewerForToken(instance, login.approvedSessionId);
  const learned = await learnWhoSignedIn(terminal);
  const found = await sessions.lookup(login.approvedSessionId, 'terminal');
  const user = found.kind === 'active' && isSignedIn(found.record) ? found.record.user?.userName : undefined;
  const confirmer = login.confirmedBy?.userName;
  if (found.kind !== 'active' || (user === undefined && learned === 'no-role') || (user !== undefined && user !== confirmer)) {
    const reason: TerminalLoginRefusal = user === undefined ? 'identity_unknown' : 'identity_differs';
    await refuseTerminalLogin(viewer, loginHash, login, reason, user);
    return { status: 'refused', message: REFUSALS[reason] };
  }
  // Identity Center busy: the name comes on a later poll, while the code lives.
  if (user === undefined) return pendingAnswer(login, 1000);
  await admitTerminal(terminal, user, login);
  metrics().signIns.inc({ identity_center: instance.key, outcome: 'approved' });
  await services().audit.record({
    event: 'authn_login_success',
    via: 'terminal',
    user,
    confirmedBy: confirmer,
    client: login.client.label,
    address: login.client.address,
    instance: instance.id,
    session: sessionAuditRef(login.approvedSessionId),
    requestId: viewer.requestId,
  });
  // The login token is spent: a later poll with it learns nothing more.
  await sessions.terminalLogins.update(loginHash, (current) => ({ ...current, completedAt: Date.now() }));
  return { status: 'approved', token: login.approvedSessionId, session: await terminalSession(terminal) };
}

function pendingAnswer(login: TerminalLogin, retryAfterMs: number): TerminalPoll {
  return { status: 'pending', retryAfterMs, expiresAt: new Date(login.expiresAt).toISOString(), confirmed: login.confirmedBy !== undefined };
}

/**
 * One poll of a terminal's sign-in (the viewer's bearer is the login token). Until the person
 * confirms it in the portal, Identity Center is not asked at all; then the device flow is polled on
 * its schedule, and an approval is checked against who confirmed before the token goes out.
 */
export async function pollTerminalLogin(viewer: Viewer): Promise<TerminalPoll> {
  const { instance } = viewer;
  const { sessions } = services().of(instance);
  const loginToken = viewer.sessionId;
  const login = loginToken === undefined ? null : await sessions.terminalLogins.byLoginToken(loginToken);
  if (!login || loginToken === undefined || login.instanceId !== instance.id || login.completedAt) return { status: 'expired' };
  const loginHash = sha256Hex(loginToken);
  if (login.refused) {
    await sessions.abandonDeviceFlow(loginToken);
    return { status: 'refused', message: login.refused.message };
  }
  if (login.approvedSessionId) return finishApproved(viewer, loginHash, { ...login, approvedSessionId: login.approvedSessionId });
  if (Date.now() >= login.expiresAt) {
    await sessions.abandonDeviceFlow(loginToken);
    return { status: 'expired' };
  }
  // Not confirmed in the portal: nothing is asked of Identity Center, whatever was approved there.
  if (!login.confirmedBy) return pendingAnswer(login, 2000);
  const result = await sessions.pollDeviceFlow(loginToken, 'terminal');
  if (result.status === 'approved' && result.newSessionId) {
    const approvedSessionId = result.newSessionId;
    const updated = await sessions.terminalLogins.update(loginHash, (current) => ({ ...current, approvedSessionId }));
    return finishApproved(viewer, loginHash, { ...(updated ?? login), approvedSessionId });
  }
  if (result.status === 'denied' || result.status === 'expired') {
    if (result.settledNow) {
      metrics().signIns.inc({ identity_center: instance.key, outcome: result.status });
      await services().audit.record({
        event: 'authn_login_fail',
        via: 'terminal',
        reason: result.status,
        user: login.confirmedBy.userName,
        instance: instance.id,
        requestId: viewer.requestId,
      });
    }
    return { status: result.status };
  }
  return pendingAnswer(login, result.retryAfterMs ?? 1000);
}

/** Who the terminal session is and when it ends; a `session_ended` error (saying why) when it has ended or was revoked. */
export async function terminalSession(viewer: Viewer): Promise<TerminalSession> {
  const standing = await viewer.standing();
  if (standing.state !== 'signed-in') {
    const end = standing.state === 'ended' ? standing.end : undefined;
    throw new GatehouseError('session_ended', terminalEndMessage(end), end ? { reason: end.reason, endedAt: end.at, endedBy: end.by } : {});
  }
  return {
    user: standing.user,
    instance: { key: viewer.instance.key, name: viewer.instance.name, startUrl: viewer.instance.startUrl, region: viewer.instance.consoleRegion },
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
