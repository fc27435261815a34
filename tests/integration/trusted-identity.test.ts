import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { accountsOfUser, rolesOfUser } from '../../emulator/directory';
import { createEmulator, type RunningEmulator } from '../../emulator/server';
import { emulatorAdmin } from '../../scripts/support/emulator-admin';
import { PortalClient, SESSION_COOKIE, signIn } from '../../scripts/support/portal-client';
import { type RunningPortal, startPortal } from '../../scripts/support/portal-process';
import { auditLines, listedAccounts, readListing, until } from '../support/api-session';
import { confirmFromBrowser, type TerminalConfirmView } from '../../scripts/support/terminal-sign-in';
import { cli, startTerminalLogin, terminalLogin } from '../support/terminal-api';

/**
 * Behind an authenticating proxy (TRUSTED_IDENTITY_HEADER), the Identity Center user who approved
 * the device code must be the person the proxy names: otherwise someone else's approval (device
 * code phishing) would hand the attacker's session the victim's access. On a mismatch the session
 * is discarded, Identity Center's Logout is called and `identity_mismatch` is audited, before any
 * of the victim's data or credentials go out.
 */

const HEADER = 'X-Forwarded-User';
const as = (user: string) => ({ [HEADER]: user });
const SESSION_ENDED = 'Your session has ended. Sign in again.';

/** A client with the same headers that presents exactly this cookie. */
function withCookie(client: PortalClient, cookie: string): PortalClient {
  const copy = new PortalClient(client.baseUrl, client.extraHeaders);
  copy.cookies.set(SESSION_COOKIE, cookie);
  return copy;
}

describe('the proxy-named person must be the Identity Center user', () => {
  let emulator: RunningEmulator;
  let portal: RunningPortal;

  const developerRole = () => {
    const account = accountsOfUser(emulator.ctx.directory, 'developer')[0]!;
    return { accountId: account.accountId, roleName: [...rolesOfUser(emulator.ctx.directory, 'developer', account.accountId)].sort()[0]! };
  };
  const operatorOnlyRole = () => {
    const mine = new Set(accountsOfUser(emulator.ctx.directory, 'developer').map((account) => account.accountId));
    const account = accountsOfUser(emulator.ctx.directory, 'operator').find((candidate) => !mine.has(candidate.accountId))!;
    return { accountId: account.accountId, roleName: [...rolesOfUser(emulator.ctx.directory, 'operator', account.accountId)][0]! };
  };
  const mismatches = () => auditLines(portal.output()).filter((line) => line.event === 'identity_mismatch');

  beforeAll(async () => {
    emulator = await createEmulator({ port: 0 });
    portal = await startPortal({ emulatorPort: emulator.port, env: { TRUSTED_IDENTITY_HEADER: HEADER, IDC_RATE_LIMIT: '500' } });
  });
  afterAll(async () => {
    await portal?.stop();
    await emulator?.close();
  });

  it('refuses to start a sign-in without the header (403)', async () => {
    for (const headers of [{}, as(''), as('   ')]) {
      const response = await new PortalClient(portal.url, headers).post('/api/auth/device');
      expect(response.status).toBe(403);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('forbidden');
    }
  });

  it('works when the approval is the proxy-named person\'s own: the listing completes and credentials are handed out', async () => {
    const client = await signIn(new PortalClient(portal.url, as('developer')), emulator, 'developer');
    const events = await readListing(await client.get('/api/accounts/stream'));
    expect(events.filter((event) => event.type === 'error')).toEqual([]);
    expect(events).toContainEqual({ type: 'identity', userName: 'developer' });
    expect(events.at(-1)).toMatchObject({ type: 'done', failedAccounts: 0 });
    expect(listedAccounts(events).sort()).toEqual(accountsOfUser(emulator.ctx.directory, 'developer').map((account) => account.accountId).sort());
    const credentials = await client.post('/api/credentials', developerRole());
    expect(credentials.status).toBe(200);
    expect(((await credentials.json()) as { accessKeyId: string }).accessKeyId).toMatch(/^ASIA/);
    expect(((await (await client.get('/api/session')).json()) as { user?: string }).user).toBe('developer');
    // Case differences between the proxy and Identity Center (e-mail addresses) are not a mismatch.
    expect((await client.get('/api/session', as('Developer'))).status).toBe(200);
  });

  /**
   * The attacker (named developer by the proxy) starts a sign-in and gets operator to approve the
   * code: the portal learns who approved before it answers the poll, so the sign-in is refused.
   */
  async function approvedBySomeoneElse(): Promise<{ attacker: PortalClient; cookie: string; poll: Response }> {
    const attacker = new PortalClient(portal.url, as('developer'));
    const started = await attacker.post('/api/auth/device');
    expect(started.status).toBe(200);
    // The attacker keeps the cookie, whatever the portal says to clear later.
    const cookie = attacker.cookies.get(SESSION_COOKIE)!;
    emulator.admin.approve(((await started.json()) as { userCode: string }).userCode, 'operator');
    const poll = await until('the poll to settle', async () => {
      const response = await withCookie(attacker, cookie).post('/api/auth/device/poll');
      const answer = (await response.clone().json()) as { status?: string };
      return answer.status === 'pending' ? undefined : response;
    }, { intervalMs: 250 });
    return { attacker, cookie, poll };
  }

  it('discards the session when someone else approved the code: refused at sign-in, nothing of theirs goes out, Logout is called, identity_mismatch is audited', async () => {
    const before = await emulatorAdmin(emulator).calls();
    const mismatchesBefore = mismatches().length;
    const { cookie, poll } = await approvedBySomeoneElse();
    expect(poll.status).toBe(401);
    const answer = await poll.text();
    expect(JSON.parse(answer)).toEqual({ error: { code: 'session_ended', message: SESSION_ENDED } });
    expect(poll.headers.get('set-cookie') ?? '').not.toMatch(new RegExp(`${SESSION_COOKIE}=[^;]`));
    // Not one of operator's accounts or roles reached the attacker.
    for (const account of accountsOfUser(emulator.ctx.directory, 'operator').slice(0, 20)) expect(answer).not.toContain(account.accountId);

    // The cookie the attacker kept names nothing.
    const replay = () => withCookie(new PortalClient(portal.url, as('developer')), cookie);
    expect((await replay().get('/api/session')).status).toBe(401);
    expect((await replay().get('/api/accounts/stream')).status).toBe(401);
    expect((await replay().post('/api/credentials', operatorOnlyRole())).status).toBe(401);
    expect((await replay().get('/api/accounts')).status).toBe(401);

    const after = await emulatorAdmin(emulator).calls();
    expect((after.Logout ?? 0) - (before.Logout ?? 0)).toBe(1);
    const lines = await until('an identity_mismatch line', () => (mismatches().length > mismatchesBefore ? mismatches().slice(mismatchesBefore) : undefined));
    expect(lines).toEqual([expect.objectContaining({ event: 'identity_mismatch', user: 'operator', reason: 'identity_center_user_differs' })]);
    // Identity Center no longer accepts the token: the approval is spent.
    expect(auditLines(portal.output()).filter((line) => line.event === 'credentials_issued' && line.user === 'operator')).toEqual([]);
  });

  it('hands out credentials asked for right after sign-in, before any listing, to the person the proxy named', async () => {
    // The person's own approval: credentials, and the audit record already knows who took them.
    const own = await signIn(new PortalClient(portal.url, as('developer')), emulator, 'developer');
    const response = await own.post('/api/credentials', developerRole());
    expect(response.status).toBe(200);
    const { accessKeyId } = (await response.json()) as { accessKeyId: string };
    const issued = await until('the credentials_issued line', () =>
      auditLines(portal.output()).find((line) => line.event === 'credentials_issued' && line.accessKeyId === accessKeyId),
    );
    expect(issued).toMatchObject({ user: 'developer' });
  });

  it('refuses credentials asked for right after someone else\'s approval: the check comes first, at sign-in', async () => {
    const before = await emulatorAdmin(emulator).calls();
    const { cookie, poll } = await approvedBySomeoneElse();
    expect(poll.status).toBe(401);
    const refused = await withCookie(new PortalClient(portal.url, as('developer')), cookie).post('/api/credentials', operatorOnlyRole());
    expect(refused.status).toBe(401);
    expect(await refused.text()).not.toContain('ASIA');
    const console = await withCookie(new PortalClient(portal.url, as('developer')), cookie).post('/api/console', operatorOnlyRole());
    expect(console.status).toBe(401);
    expect(((await emulatorAdmin(emulator).calls()).Logout ?? 0) - (before.Logout ?? 0)).toBeGreaterThanOrEqual(1);
    expect(auditLines(portal.output()).filter((line) => line.event === 'credentials_issued' && line.user !== 'developer')).toEqual([]);
  });

  it('refuses a session begun for one proxy user when another proxy user (or nobody) presents it (401)', async () => {
    for (const intruder of [as('operator'), {}]) {
      const owner = await signIn(new PortalClient(portal.url, as('developer')), emulator, 'developer');
      await readListing(await owner.get('/api/accounts/stream'));
      const stolen = withCookie(new PortalClient(portal.url, intruder), owner.cookies.get(SESSION_COOKIE)!);
      const session = await stolen.get('/api/session');
      expect(session.status).toBe(401);
      expect(await session.text()).not.toContain('developer');
      // The session is gone for its owner too: a stolen cookie is a compromised session.
      expect((await owner.get('/api/session')).status).toBe(401);
    }
    for (const [path, method] of [
      ['/api/accounts', 'GET'],
      ['/api/accounts/stream', 'GET'],
      ['/api/favorites', 'GET'],
      ['/api/aws-config', 'GET'],
      ['/api/credentials', 'POST'],
      ['/api/console', 'POST'],
    ] as const) {
      const owner = await signIn(new PortalClient(portal.url, as('developer')), emulator, 'developer');
      await readListing(await owner.get('/api/accounts/stream'));
      const stolen = owner.on(portal.url);
      stolen.extraHeaders = as('operator');
      const response = method === 'GET' ? await stolen.get(path) : await stolen.post(path, developerRole());
      expect(response.status, path).toBe(401);
    }
    // Pages: the Activity and accounts pages send the intruder to sign in instead of showing anything.
    const owner = await signIn(new PortalClient(portal.url, as('developer')), emulator, 'developer');
    await readListing(await owner.get('/api/accounts/stream'));
    expect((await owner.post('/api/credentials', developerRole())).status).toBe(200);
    for (const page of ['/activity', '/accounts']) {
      const stolen = owner.on(portal.url);
      stolen.extraHeaders = as('operator');
      const response = await stolen.get(page);
      expect(response.status, page).toBeGreaterThanOrEqual(300);
      expect(response.status, page).toBeLessThan(400);
      expect(response.headers.get('location'), page).toMatch(/\/sign-in/);
      expect(await response.text()).not.toMatch(/ASIA[A-Z0-9]{16}/);
    }
  });
  it('holds for a terminal through the confirmation page behind the proxy: the terminal API needs no header, someone else\'s approval is refused', async () => {
    const role = developerRole();
    // The terminal API is not behind the proxy: no header needed, and none trusted.
    const token = await terminalLogin(portal, emulator, 'developer', {}, await signIn(new PortalClient(portal.url, as('developer')), emulator, 'developer'));
    expect((await cli(portal, '/api/cli/credentials', token, role)).status).toBe(200);
    // A header on a terminal request names nobody: the terminal is its confirmed person's.
    expect((await cli(portal, '/api/cli/credentials', token, role, as('operator'))).status).toBe(200);

    // The confirmation page is behind the proxy: a browser session presented without the proxy's header cannot confirm.
    const pending = await startTerminalLogin(portal);
    const browser = await signIn(new PortalClient(portal.url, as('developer')), emulator, 'developer');
    const headerless = new PortalClient(portal.url);
    for (const [name, value] of browser.cookies) headerless.cookies.set(name, value);
    expect((await confirmFromBrowser(headerless, pending.confirmUrl)).status).toBe(401);

    // Confirmed by the proxy's person, approved at Identity Center by someone else: refused, audited, no token.
    const refusalsBefore = auditLines(portal.output()).filter((line) => line.event === 'terminal_login_refused').length;
    const phished = await startTerminalLogin(portal);
    const developer = await signIn(new PortalClient(portal.url, as('developer')), emulator, 'developer');
    const confirmed = (await (await confirmFromBrowser(developer, phished.confirmUrl)).json()) as TerminalConfirmView;
    emulator.admin.approve(confirmed.identityCenter!.userCode, 'operator');
    const poll = await until('the poll to settle', async () => {
      const answer = (await (await cli(portal, '/api/cli/login/poll', phished.loginToken, {})).json()) as { status: string; token?: string };
      return answer.status === 'pending' ? undefined : answer;
    });
    expect(poll).toEqual({ status: 'refused', message: expect.stringMatching(/approved at Identity Center by someone else/) as unknown });
    await until('a terminal_login_refused line', () =>
      auditLines(portal.output()).filter((line) => line.event === 'terminal_login_refused').length > refusalsBefore ? true : undefined,
    );
    const refusal = auditLines(portal.output()).filter((line) => line.event === 'terminal_login_refused').at(-1)!;
    expect(refusal).toMatchObject({ user: 'operator', confirmedBy: 'developer', reason: 'identity_differs' });
    expect(auditLines(portal.output()).filter((line) => line.event === 'credentials_issued' && line.user === 'operator')).toEqual([]);
  });
});
