/**
 * A terminal's sign-in finished as a person does it: the link `gatehouse login` printed opened in a
 * browser signed in as them (signed in first if need be), Confirm pressed, and the code the page then
 * shows approved at Identity Center as the same person. For tests, the bench and the load run.
 */
import { type Approver, PortalClient, signIn } from './portal-client';

/** The confirmation page's view of a terminal's sign-in (GET or POST /api/terminal/confirm). */
export interface TerminalConfirmView {
  state: string;
  words: string;
  label: string;
  address: string;
  identityCenter?: { userCode: string; verificationUriComplete: string };
}

/** Presses Confirm for the sign-in `confirmUrl` names, in `browser`'s session. */
export async function confirmFromBrowser(browser: PortalClient, confirmUrl: string): Promise<Response> {
  const url = new URL(confirmUrl);
  const instance = url.searchParams.get('instance');
  return browser.post(`/api/terminal/confirm${instance ? `?instance=${instance}` : ''}`, { request: url.searchParams.get('request') });
}

/**
 * Confirms the terminal's sign-in from `browser` (or a new browser session of `userName`, signed in
 * through `approver`) and approves its code at Identity Center as `userName`; the browser session.
 */
export async function confirmTerminalSignIn(
  confirmUrl: string,
  userName: string,
  approver: Approver,
  options: { browser?: PortalClient; headers?: Record<string, string> } = {},
): Promise<PortalClient> {
  const browser = options.browser ?? (await signIn(new PortalClient(new URL(confirmUrl).origin, options.headers), approver, userName));
  const confirmed = await confirmFromBrowser(browser, confirmUrl);
  const text = await confirmed.text();
  if (confirmed.status !== 200) throw new Error(`confirming the terminal answered ${confirmed.status}: ${text}`);
  const view = JSON.parse(text) as TerminalConfirmView;
  if (!view.identityCenter) throw new Error(`the confirmed sign-in shows no Identity Center step: ${text}`);
  await approver.admin.approve(view.identityCenter.userCode, userName);
  return browser;
}
