import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { accountsOfUser, rolesOfUser } from '../../emulator/directory';
import { createEmulator, type RunningEmulator } from '../../emulator/server';
import { emulatorAdmin } from '../../scripts/support/emulator-admin';
import { PortalClient, signIn } from '../../scripts/support/portal-client';
import { type RunningPortal, startPortal } from '../../scripts/support/portal-process';
import { confirmFromBrowser, type TerminalConfirmView } from '../../scripts/support/terminal-sign-in';
import { auditLines, awsCalls, expectApiError, until } from '../support/api-session';
import { METRICS_TOKEN, sample, scrape } from '../support/metrics';
import { cli, startTerminalLogin, terminalLogin } from '../support/terminal-api';

/**
 * A terminal's sign-in is finished only once its person confirms it in the portal, from a browser
 * signed in as the same Identity Center user: Identity Center's approval alone (a phished link) never
 * yields a token and costs the portal no call; an approval by someone else than who confirmed is
 * refused, audited and ends the sign-in; whoever is sent the link can refuse it. Sign-ins cannot be
 * used to burn Identity Center's budget: JSON only, capped per address, through the rate limiter.
 */

const PENDING = { status: 'pending', confirmed: false };

describe("a terminal's sign-in, confirmed in the portal", () => {
  let emulator: RunningEmulator;
  let portal: RunningPortal;
  /** Each test's requests come from an address of their own (the portal trusts one proxy's X-Forwarded-For). */
  let nextAddress = 10;
  const from = () => ({ 'x-forwarded-for': `198.51.100.${nextAddress++}` });
  const poll = async (loginToken: string) => (await (await cli(portal, '/api/cli/login/poll', loginToken, {})).json()) as Record<string, unknown>;
  const developerRole = () => {
    const account = accountsOfUser(emulator.ctx.directory, 'developer')[0]!;
    return { accountId: account.accountId, roleName: [...rolesOfUser(emulator.ctx.directory, 'developer', account.accountId)].sort()[0]! };
  };

  beforeAll(async () => {
    emulator = await createEmulator({ port: 0 });
    portal = await startPortal({ emulatorPort: emulator.port, env: { TRUSTED_PROXY_COUNT: '1', METRICS_TOKEN, IDC_RATE_LIMIT: '200' } });
  });
  afterAll(async () => {
    await portal?.stop();
    await emulator?.close();
  });

  it("never finishes on Identity Center's approval alone, and asks Identity Center nothing until the person confirms", async () => {
    const headers = from();
    const login = await startTerminalLogin(portal, headers);
    expect(login.words).toMatch(/^[a-z]{3,10} [a-z]{3,10} [a-z]{3,10}$/);
    // The code as a phished person would get it: Identity Center's page names a terminal of this portal.
    const code = emulator.admin.pending().find((each) => each.clientName.startsWith('Gatehouse terminal ('));
    expect(code?.clientName).toBe(`Gatehouse terminal (${new URL(portal.url).host})`);
    emulator.admin.approve(code!.userCode, 'developer');
    const admin = emulatorAdmin(emulator);
    const before = (await admin.calls()).CreateToken ?? 0;
    // Polled at the pace it asks for, for three poll intervals of the emulator (1 s): still waiting.
    const until3s = Date.now() + 3_000;
    while (Date.now() < until3s) {
      const answer = await poll(login.loginToken);
      expect(answer).toMatchObject(PENDING);
      await new Promise((resolve) => setTimeout(resolve, Math.min(Number(answer.retryAfterMs), 500)));
    }
    expect((await admin.calls()).CreateToken ?? 0).toBe(before);
    expect((await cli(portal, '/api/cli/session', login.loginToken)).status).toBe(401);
  });

  it('refuses an approval by someone else than the person who confirmed, audits it, and ends the sign-in', async () => {
    const login = await startTerminalLogin(portal, from());
    const developer = await signIn(new PortalClient(portal.url, from()), emulator, 'developer');
    const confirmed = await confirmFromBrowser(developer, login.confirmUrl);
    expect(confirmed.status).toBe(200);
    const view = (await confirmed.json()) as TerminalConfirmView;
    expect(view).toMatchObject({ state: 'awaiting-identity-center', words: login.words, address: expect.stringMatching(/^198\.51\.100\./) as unknown });
    expect(await poll(login.loginToken)).toMatchObject({ status: 'pending', confirmed: true });
    emulator.admin.approve(view.identityCenter!.userCode, 'operator');
    const settled = await until('the sign-in to settle', async () => {
      const answer = await poll(login.loginToken);
      return answer.status === 'pending' ? undefined : answer;
    });
    expect(settled).toEqual({ status: 'refused', message: expect.stringMatching(/approved at Identity Center by someone else/) as unknown });
    expect(await poll(login.loginToken)).toMatchObject({ status: 'refused' });
    const refusal = auditLines(portal.output()).find((line) => line.event === 'terminal_login_refused' && line.reason === 'identity_differs');
    expect(refusal).toMatchObject({ user: 'operator', confirmedBy: 'developer', via: 'terminal' });
    // The confirmation page says so; nothing was handed out to anyone.
    const page = (await (await developer.get(`/api/terminal/confirm?request=${new URL(login.confirmUrl).searchParams.get('request')}`)).json()) as TerminalConfirmView;
    expect(page.state).toBe('refused');
    expect(auditLines(portal.output()).filter((line) => line.event === 'credentials_issued' && line.user === 'operator')).toEqual([]);
  });

  it('can be refused by whoever is sent the link: the terminal is told, and the refusal is in their trail', async () => {
    const login = await startTerminalLogin(portal, from());
    const operator = await signIn(new PortalClient(portal.url, from()), emulator, 'operator');
    const declined = await operator.post('/api/terminal/decline', { request: new URL(login.confirmUrl).searchParams.get('request') });
    expect(declined.status).toBe(200);
    expect(((await declined.json()) as TerminalConfirmView).state).toBe('refused');
    expect(await poll(login.loginToken)).toEqual({ status: 'refused', message: 'This sign-in was declined in the portal.' });
    expect(auditLines(portal.output()).find((line) => line.event === 'terminal_login_refused' && line.reason === 'declined')).toMatchObject({ user: 'operator' });
    // Someone who confirms after the refusal gets nothing.
    expect((await confirmFromBrowser(await signIn(new PortalClient(portal.url, from()), emulator, 'developer'), login.confirmUrl)).status).toBe(404);
  });

  it('shows its confirmation page only to a signed-in person, and sends anyone else to sign in and back', async () => {
    const login = await startTerminalLogin(portal, from());
    const path = new URL(login.confirmUrl).pathname + new URL(login.confirmUrl).search;
    const anonymous = await new PortalClient(portal.url).get(path);
    expect(anonymous.status).toBe(307);
    expect(anonymous.headers.get('location')).toBe(`/sign-in?next=${encodeURIComponent(path)}`);
    const developer = await signIn(new PortalClient(portal.url, from()), emulator, 'developer');
    const page = await developer.get(path);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(login.words);
    expect(html).toContain('Confirm: this is my terminal');
    // No Identity Center code before the person confirms.
    expect(emulator.admin.pending().some((each) => html.includes(each.userCode))).toBe(false);
  });

  it('is a JSON request: another content type is a 415 and starts nothing', async () => {
    const before = (await emulatorAdmin(emulator).calls()).StartDeviceAuthorization ?? 0;
    for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', undefined]) {
      const response = await fetch(`${portal.url}/api/cli/login`, { method: 'POST', headers: contentType ? { 'content-type': contentType } : {}, body: '{}' });
      await expectApiError(response, 415, 'unsupported_media_type');
    }
    expect((await emulatorAdmin(emulator).calls()).StartDeviceAuthorization ?? 0).toBe(before);
  });

  it('caps the sign-ins waiting from one address (an IPv6 /64 as one) with a 429 and Retry-After, and spends the rate limiter for every sign-in call', async () => {
    const admin = emulatorAdmin(emulator);
    const limiterBefore = sample(await scrape(portal.url), 'gatehouse_aws_limiter_wait_seconds_count', { priority: 'interactive' });
    const callsBefore = awsCalls(await admin.calls());
    for (let host = 1; host <= 30; host += 1) {
      const started = await cli(portal, '/api/cli/login', undefined, {}, { 'x-forwarded-for': `2001:db8:7:7::${host.toString(16)}` });
      expect(started.status, `sign-in ${host}`).toBe(200);
    }
    const refused = await cli(portal, '/api/cli/login', undefined, {}, { 'x-forwarded-for': '2001:db8:7:7:ffff::1' });
    await expectApiError(refused.clone(), 429, 'rate_limited');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // A browser's sign-in from the same network counts too; another network is not held back.
    expect((await new PortalClient(portal.url, { 'x-forwarded-for': '2001:db8:7:7::abcd' }).post('/api/auth/device')).status).toBe(429);
    expect((await cli(portal, '/api/cli/login', undefined, {}, { 'x-forwarded-for': '2001:db8:7:8::1' })).status).toBe(200);
    // Every sign-in call to Identity Center went through the instance's rate limiter.
    const callsAfter = awsCalls(await admin.calls());
    const signInCalls = ['RegisterClient', 'StartDeviceAuthorization', 'CreateToken'].reduce((sum, name) => sum + callsAfter[name]! - callsBefore[name]!, 0);
    expect(signInCalls).toBe(31);
    expect(sample(await scrape(portal.url), 'gatehouse_aws_limiter_wait_seconds_count', { priority: 'interactive' }) - limiterBefore).toBe(signInCalls);
  });

  it('says why a terminal session ended: revoked, when and by whom', async () => {
    const developer = await signIn(new PortalClient(portal.url, from()), emulator, 'developer');
    const token = await terminalLogin(portal, emulator, 'developer', from(), developer);
    expect((await cli(portal, '/api/cli/credentials', token, developerRole())).status).toBe(200);
    const listed = (await (await developer.get('/api/terminal-sessions')).json()) as { sessions: { handle: string }[] };
    expect(listed.sessions).toHaveLength(1);
    expect((await developer.post('/api/terminal-sessions/revoke', { handle: listed.sessions[0]!.handle })).status).toBe(200);
    const ended = await expectApiError(await cli(portal, '/api/cli/session', token), 401, 'session_ended');
    expect(ended.error.message).toMatch(/^Your Gatehouse session was revoked on \d{4}-\d\d-\d\d at \d\d:\d\d UTC by developer from the portal's Activity page\.$/);
    const refused = await expectApiError(await cli(portal, '/api/cli/credentials', token, developerRole()), 401, 'session_ended');
    expect(refused.error.message).toBe(ended.error.message);
  });
});

describe("a person's terminal sessions", () => {
  let emulator: RunningEmulator;
  let dataDir: string;

  beforeAll(async () => {
    emulator = await createEmulator({ port: 0 });
    dataDir = mkdtempSync(path.join(tmpdir(), 'gatehouse-terminals-'));
  });
  afterAll(async () => {
    await emulator?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('are all listed, 25 at most: the 26th ends the one used least recently, audited, and that terminal is told why', async () => {
    const portal = await startPortal({ emulatorPort: emulator.port, env: { IDC_RATE_LIMIT: '200' } });
    try {
      const developer = await signIn(portal.url, emulator, 'developer');
      const tokens: string[] = [];
      for (let each = 0; each < 25; each += 1) tokens.push(await terminalLogin(portal, emulator, 'developer', { 'user-agent': `gatehouse-cli/0.1.0 (host-${each}; linux x64; node 20)` }, developer));
      // Every terminal but the second is used after sign-in: the second is the one used least recently.
      const role = { accountId: accountsOfUser(emulator.ctx.directory, 'developer')[0]!.accountId };
      const roleName = [...rolesOfUser(emulator.ctx.directory, 'developer', role.accountId)].sort()[0]!;
      for (const [index, token] of tokens.entries()) {
        if (index !== 1) expect((await cli(portal, '/api/cli/credentials', token, { ...role, roleName })).status).toBe(200);
      }
      const listed = async () => ((await (await developer.get('/api/terminal-sessions')).json()) as { sessions: { label: string }[] }).sessions;
      expect(await listed()).toHaveLength(25);
      const newest = await terminalLogin(portal, emulator, 'developer', { 'user-agent': 'gatehouse-cli/0.1.0 (host-new; linux x64; node 20)' }, developer);
      const now = (await listed()).map((session) => session.label);
      expect(now).toHaveLength(25);
      expect(now).not.toContain('gatehouse-cli/0.1.0 (host-1; linux x64; node 20)');
      expect(now).toContain('gatehouse-cli/0.1.0 (host-new; linux x64; node 20)');
      const ended = await expectApiError(await cli(portal, '/api/cli/session', tokens[1]), 401, 'session_ended');
      expect(ended.error.message).toMatch(/to make room for a newer terminal of yours/);
      expect((await cli(portal, '/api/cli/session', newest)).status).toBe(200);
      expect(auditLines(portal.output()).filter((line) => line.event === 'terminal_session_evicted')).toEqual([
        expect.objectContaining({ user: 'developer', client: 'gatehouse-cli/0.1.0 (host-1; linux x64; node 20)' }),
      ]);
    } finally {
      await portal.stop();
    }
  }, 240_000);

  it("say so when the portal restarted with a new session key and can no longer read them", async () => {
    const first = await startPortal({ emulatorPort: emulator.port, dataDir, env: { SESSION_SECRET: 'a'.repeat(40) } });
    let token: string;
    try {
      token = await terminalLogin(first, emulator, 'developer');
      expect((await cli(first, '/api/cli/session', token)).status).toBe(200);
    } finally {
      await first.stop();
    }
    const restarted = await startPortal({ emulatorPort: emulator.port, dataDir, env: { SESSION_SECRET: 'b'.repeat(40) } });
    try {
      const ended = await expectApiError(await cli(restarted, '/api/cli/session', token), 401, 'session_ended');
      expect(ended.error.message).toBe("Your Gatehouse session can no longer be read: the portal's session key changed (it was restarted with a new SESSION_SECRET).");
    } finally {
      await restarted.stop();
    }
  }, 90_000);
});
