import 'server-only';

import { z } from 'zod';

import type { RoleCredentials } from '@/lib/server/aws/portal';
import { clientAddress } from '@/lib/server/core/client-address';
import { sessionAuditRef, sha256Hex } from '@/lib/server/core/crypto';
import { GatehouseError } from '@/lib/server/core/errors';
import { metrics } from '@/lib/server/core/metrics';
import { services } from '@/lib/server/services';
import { clientName } from '@/lib/server/session/client-name';
import { proxyIdentity } from '@/lib/server/session/proxy-identity';
import { type Viewer, viewerForToken } from '@/lib/server/viewer';
import { nicknamed } from '@/lib/shared/accounts';
import type { CredentialsDTO } from '@/lib/shared/credential-formats';
import { isoSeconds } from '@/lib/shared/credential-formats';

import { assertAssigned, recordHandOut, roleCredentials } from './credentials';
import { refusingWithAudit } from './refusal-audit';
import { spendBudget } from './request-checks';
import { learnWhoSignedIn } from './sign-in';

/**
 * The `gatehouse` command's side of the front door: signing a terminal in through the portal's
 * own device flow (the terminal gets a Gatehouse session of its own, never an AWS token), and role
 * credentials kept on the server per terminal session until ten minutes before they expire, so
 * that a burst of commands costs one call to Identity Center. Every hand-out is audited.
 */

/** Cached credentials are handed out until this long before they expire. */
const CACHE_MARGIN_MS = 10 * 60 * 1000;

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

const cachedSchema = z.object({ accessKeyId: z.string(), secretAccessKey: z.string(), sessionToken: z.string(), expiration: z.number() });

/**
 * Credentials for one of the person's roles, for a terminal: from the portal's cache while they
 * have more than ten minutes left, else fetched and kept (sealed, per terminal session and role).
 * The assignment is checked every time; every hand-out is audited, cached or not.
 */
export async function terminalCredentials(viewer: Viewer, input: { accountId: string; roleName: string }): Promise<CredentialsDTO> {
  const person = await viewer.person();
  const { sealed, store } = services();
  const key = `terminal-credentials:${sha256Hex(`${viewer.sessionId ?? ''}\n${input.accountId}/${input.roleName}`)}`;
  let credentials: RoleCredentials | null = null;
  let cached = false;
  const kept = await sealed.read(key, cachedSchema);
  if (kept && kept.expiration - Date.now() > CACHE_MARGIN_MS) {
    // Still the person's role: a hand-out is never made for an assignment that is gone.
    await refusingWithAudit(viewer, () => assertAssigned(person, input.accountId, input.roleName));
    credentials = kept;
    cached = true;
  } else {
    // A call to Identity Center: the same budget as a browser's hand-out.
    await spendBudget(viewer, 'credentials');
    credentials = await refusingWithAudit(viewer, () => roleCredentials(person, input.accountId, input.roleName));
    const keepFor = credentials.expiration - Date.now() - CACHE_MARGIN_MS;
    if (keepFor > 0) await sealed.write(key, credentials, keepFor).catch(() => store.delete(key));
  }
  await recordHandOut(person, 'credentials', input.accountId, input.roleName, credentials, { cached });
  return {
    accessKeyId: credentials.accessKeyId,
    secretAccessKey: credentials.secretAccessKey,
    sessionToken: credentials.sessionToken,
    expiration: isoSeconds(credentials.expiration),
  };
}

export interface TerminalAccount {
  accountId: string;
  accountName: string;
  emailAddress: string;
  nickname?: string;
  roles: string[];
}

/** Every account of the person with its roles (waits for the listing to finish), for the command's picker and `accounts`. */
export async function terminalAccounts(viewer: Viewer): Promise<{ accounts: TerminalAccount[] }> {
  const person = await viewer.person();
  const listing = await services().of(viewer.instance).listing.complete(person);
  return {
    accounts: listing.accounts.map((account) => ({
      ...nicknamed(account, viewer.instance.nicknames),
      roles: listing.roles[account.accountId] ?? [],
    })),
  };
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
