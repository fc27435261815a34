import 'server-only';

import { GatehouseError, hasCode } from '@/lib/server/core/errors';
import { services } from '@/lib/server/services';
import type { TerminalLogin } from '@/lib/server/session/terminal-logins';
import { getViewer, type Viewer } from '@/lib/server/viewer';
import type { TerminalLoginRequestView, TerminalLoginState } from '@/lib/shared/terminal-sessions';

import { refuseTerminalLogin } from './terminal-sign-in';

/**
 * The browser's side of a terminal's sign-in: the confirmation page shows what asks (its address,
 * label, time and words), the person confirms it or declines it, and follows it to the end. Only
 * the person who confirmed sees the Identity Center step; the terminal gets its token only if
 * Identity Center's approval comes from that same person.
 */

const GONE = 'This terminal sign-in has expired or was already used. Run `gatehouse login` again in your terminal.';

function stateOf(login: TerminalLogin, userName: string | undefined): TerminalLoginState {
  if (login.completedAt) return 'signed-in';
  if (login.refused) return 'refused';
  if (Date.now() >= login.expiresAt) return 'expired';
  if (!login.confirmedBy) return 'awaiting-confirmation';
  return login.confirmedBy.userName === userName ? 'awaiting-identity-center' : 'confirmed-by-someone-else';
}

function viewOf(login: TerminalLogin, userName: string | undefined): TerminalLoginRequestView {
  const state = stateOf(login, userName);
  return {
    label: login.client.label,
    address: login.client.address,
    requestedAt: new Date(login.requestedAt).toISOString(),
    expiresAt: new Date(login.expiresAt).toISOString(),
    words: login.words,
    state,
    identityCenter: state === 'awaiting-identity-center' ? { userCode: login.userCode, verificationUriComplete: login.verificationUriComplete } : undefined,
  };
}

async function find(viewer: Viewer, confirmId: string) {
  const found = await services().of(viewer.instance).sessions.terminalLogins.byConfirmId(confirmId);
  if (!found || found.login.instanceId !== viewer.instance.id) throw new GatehouseError('not_found', GONE);
  return found;
}

/** The sign-in a confirmation link names, as its page shows it to the signed-in person. */
export async function terminalLoginRequest(viewer: Viewer, confirmId: string): Promise<TerminalLoginRequestView> {
  const person = await viewer.person();
  const { login } = await find(viewer, confirmId);
  return viewOf(login, person.userName);
}

/**
 * The person confirms that the terminal is theirs. They must be known by name (their Identity
 * Center user is what the terminal's approval is checked against). Confirming twice is harmless;
 * a sign-in someone else confirmed, or one that is over, is refused.
 */
export async function confirmTerminalLogin(viewer: Viewer, confirmId: string): Promise<TerminalLoginRequestView> {
  const person = await viewer.person();
  const userName = person.userName;
  if (!userName) {
    throw new GatehouseError(
      'forbidden',
      'Gatehouse does not know your Identity Center user name yet (it learns it from a role assigned to you), so it cannot confirm a terminal for you.',
    );
  }
  const { loginHash, login } = await find(viewer, confirmId);
  const before = stateOf(login, userName);
  if (before === 'confirmed-by-someone-else') throw new GatehouseError('conflict', 'Someone else has already confirmed this terminal sign-in.');
  if (before !== 'awaiting-confirmation' && before !== 'awaiting-identity-center') throw new GatehouseError('not_found', GONE);
  const updated = await services()
    .of(viewer.instance)
    .sessions.terminalLogins.update(loginHash, (current) =>
      current.confirmedBy ? null : { ...current, confirmedBy: { userName, sessionRef: person.sessionRef, at: Date.now() } },
    );
  if (!updated) throw new GatehouseError('not_found', GONE);
  if (before === 'awaiting-confirmation' && updated.confirmedBy?.userName === userName) {
    await services().audit.record({
      event: 'terminal_login_confirmed',
      via: 'terminal',
      user: userName,
      client: login.client.label,
      address: login.client.address,
      instance: viewer.instance.id,
      session: person.sessionRef,
      requestId: viewer.requestId,
    });
  }
  const view = viewOf(updated, userName);
  if (view.state === 'confirmed-by-someone-else') throw new GatehouseError('conflict', 'Someone else has already confirmed this terminal sign-in.');
  return view;
}

/** The person says the terminal is not theirs: the sign-in ends, and the terminal is told. */
export async function declineTerminalLogin(viewer: Viewer, confirmId: string): Promise<TerminalLoginRequestView> {
  const person = await viewer.person();
  const { loginHash, login } = await find(viewer, confirmId);
  const state = stateOf(login, person.userName);
  if (state === 'signed-in' || state === 'expired') throw new GatehouseError('not_found', GONE);
  if (state !== 'refused') await refuseTerminalLogin(viewer, loginHash, login, 'declined', person.userName);
  const after = await services().of(viewer.instance).sessions.terminalLogins.byConfirmId(confirmId);
  return viewOf(after?.login ?? login, person.userName);
}

/** For the confirmation page: the sign-in its link names, for the page's instance; null when there is none (expired, used, or never was). */
export async function terminalLoginForPage(confirmId: string, instance?: string): Promise<TerminalLoginRequestView | null> {
  try {
    return await terminalLoginRequest(await getViewer(instance), confirmId);
  } catch (error) {
    if (hasCode(error, 'not_found')) return null;
    throw error;
  }
}
