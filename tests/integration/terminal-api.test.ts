import { randomBytes } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { accountsOfUser, rolesOfUser } from '../../emulator/directory';
import { createEmulator, type RunningEmulator } from '../../emulator/server';
import { emulatorAdmin } from '../../scripts/support/emulator-admin';
import { type RunningPortal, startPortal } from '../../scripts/support/portal-process';
import { PortalClient, SESSION_COOKIE } from '../../scripts/support/portal-client';
import { auditLines, signInListed, until } from '../support/api-session';
import { cli, terminalLogin } from '../support/terminal-api';

/**
 * The terminal side of the portal (/api/cli/*) as the `gatehouse` command uses it: a sign-in
 * through the portal's device flow that ends with a bearer token of the portal's own, bearer tokens
 * and cookies each refused where the other is expected, credentials kept on the server so a burst
 * of commands costs one call to Identity Center, and a terminal session the person sees and revokes.
 */

const MARKER = `CANARY${randomBytes(6).toString('hex')}`;

describe('the terminal API', () => {
  let emulator: RunningEmulator;
  let portal: RunningPortal;
  const account = () => accountsOfUser(emulator.ctx.directory, 'developer')[0]!;
  const role = () => [...rolesOfUser(emulator.ctx.directory, 'developer', account().accountId)].sort()[0]!;

  beforeAll(async () => {
    emulator = await createEmulator({ port: 0, secretMarker: MARKER });
    portal = await startPortal({ emulatorPort: emulator.port });
  });
  afterAll(async () => {
    await portal?.stop();
    await emulator?.close();
  });

  it('signs a terminal in through the portal and names who it is, with no AWS token in any answer', async () => {
    const token = await terminalLogin(portal, emulator, 'developer');
    // The portal learns who signed in by itself, from the person's first role.
    const session = await until('the terminal session to name its user', async () => {
      const answer = (await (await cli(portal, '/api/cli/session', token)).json()) as { user?: string; expiresAt: string; instance: { key: string } };
      return answer.user ? answer : undefined;
    });
    expect(session).toMatchObject({ user: 'developer', instance: { key: 'default' } });
    expect(new Date(session.expiresAt).getTime()).toBeGreaterThan(Date.now());
    const accounts = await cli(portal, '/api/cli/accounts', token);
    expect(accounts.headers.get('x-gatehouse-version')).toMatch(/^\d+\.\d+\.\d+/);
    const text = await accounts.text();
    expect(JSON.parse(text)).toMatchObject({ accounts: expect.arrayContaining([expect.objectContaining({ accountId: account().accountId, roles: expect.arrayContaining([role()]) })]) });
    expect(text).not.toContain(MARKER);
    expect(portal.output()).not.toContain(MARKER);
  });

  it('refuses a bearer token where a cookie is expected, and a cookie where a bearer token is', async () => {
    const token = await terminalLogin(portal, emulator, 'developer');
    const browser = await signInListed(portal.url, emulator, 'developer');
    const cookie = browser.cookies.get(SESSION_COOKIE)!;
    // The terminal's token, presented to the browser's routes (as a bearer, and as a cookie).
    expect((await cli(portal, '/api/accounts', token)).status).toBe(401);
    const asCookie = new PortalClient(portal.url);
    asCookie.cookies.set(SESSION_COOKIE, token);
    expect((await asCookie.get('/api/accounts')).status).toBe(401);
    // The browser's cookie, presented to the terminal's routes (as a cookie, and as a bearer).
    const withCookie = await fetch(`${portal.url}/api/cli/session`, { headers: { cookie: `${SESSION_COOKIE}=${cookie}` } });
    expect(withCookie.status).toBe(401);
    expect((await cli(portal, '/api/cli/session', cookie)).status).toBe(401);
    // Both still work where they belong.
    expect((await browser.get('/api/accounts')).status).toBe(200);
    expect((await cli(portal, '/api/cli/session', token)).status).toBe(200);
  });

  it('costs one GetRoleCredentials for ten commands in a row, and audits each hand-out as a terminal\'s', async () => {
    const token = await terminalLogin(portal, emulator, 'developer');
    await until('the listing', async () => ((await cli(portal, '/api/cli/accounts', token)).status === 200 ? true : undefined));
    const admin = emulatorAdmin(emulator);
    await admin.resetStats();
    const from = auditLines(portal.output()).length;
    const keys = new Set<string>();
    for (let command = 0; command < 10; command += 1) {
      const answer = await cli(portal, '/api/cli/credentials?format=process', token, { accountId: account().accountId, roleName: role() });
      expect(answer.status).toBe(200);
      keys.add((JSON.parse(await answer.text()) as { AccessKeyId: string }).AccessKeyId);
    }
    expect(keys.size).toBe(1);
    expect((await admin.calls()).GetRoleCredentials ?? 0).toBe(1);
    const issued = await until('ten hand-outs in the audit trail', () => {
      const lines = auditLines(portal.output()).slice(from).filter((line) => line.event === 'credentials_issued');
      return lines.length >= 10 ? lines : undefined;
    });
    expect(issued.map((line) => [line.user, line.via, line.cached])).toEqual([
      ['developer', 'terminal', false],
      ...Array.from({ length: 9 }, () => ['developer', 'terminal', true]),
    ]);
    // A role the person does not have is refused, cached credentials or not.
    const foreign = accountsOfUser(emulator.ctx.directory, 'operator').find((each) => each.accountId !== account().accountId)!;
    expect((await cli(portal, '/api/cli/credentials', token, { accountId: foreign.accountId, roleName: role() })).status).toBe(403);
  });

  it('lists the terminal on the person\'s Activity page, and a Revoke there ends it', async () => {
    const token = await terminalLogin(portal, emulator, 'developer');
    await until('the terminal session to name its user', async () =>
      ((await (await cli(portal, '/api/cli/session', token)).json()) as { user?: string }).user ? true : undefined,
    );
    const browser = await signInListed(portal.url, emulator, 'developer');
    expect(await (await browser.get('/activity')).text()).toContain('gatehouse/0.1.0 (linux; node 20)');
    const listed = (await (await browser.get('/api/terminal-sessions')).json()) as { sessions: { handle: string; label: string }[] };
    expect(listed.sessions.map((each) => each.label)).toContain('gatehouse/0.1.0 (linux; node 20)');
    const handles = listed.sessions.map((each) => each.handle);
    for (const handle of new Set(handles)) {
      expect((await browser.post('/api/terminal-sessions/revoke', { handle })).status).toBe(200);
    }
    const refused = await cli(portal, '/api/cli/credentials', token, { accountId: account().accountId, roleName: role() });
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error: { code: 'session_ended' } });
    expect((await browser.post('/api/terminal-sessions/revoke', { handle: handles[0] })).status).toBe(404);
    // Revoking is the person's own business: a handle means nothing in someone else's session.
    const operator = await signInListed(portal.url, emulator, 'operator');
    expect((await operator.post('/api/terminal-sessions/revoke', { handle: handles[0] })).status).toBe(404);
  });

  it('signs a terminal out', async () => {
    const token = await terminalLogin(portal, emulator, 'developer');
    expect((await cli(portal, '/api/cli/logout', token, {})).status).toBe(200);
    expect((await cli(portal, '/api/cli/session', token)).status).toBe(401);
  });
});
