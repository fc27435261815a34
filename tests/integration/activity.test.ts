import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { accountsOfUser, rolesOfUser } from '../../emulator/directory';
import { createEmulator, type RunningEmulator } from '../../emulator/server';
import { PortalClient, signIn } from '../../scripts/support/portal-client';
import { type RunningPortal, startPortal } from '../../scripts/support/portal-process';
import { auditLines, pageText, readListing } from '../support/api-session';
import { cli, terminalLogin } from '../support/terminal-api';

/**
 * The Activity page tells the story and keeps it: a terminal's loop of hand-outs is one row with a
 * count, so it cannot push the rest out; accounts are named; older rows are a page away; every
 * session of the person, browser and terminal, is listed and revocable; the audit line says where
 * each request came from.
 */

interface SessionRow {
  handle: string;
  kind: 'browser' | 'terminal';
  current: boolean;
  label: string;
  address: string;
}

describe('the Activity page', () => {
  let emulator: RunningEmulator;
  let portal: RunningPortal;

  beforeAll(async () => {
    emulator = await createEmulator({ port: 0 });
    portal = await startPortal({ emulatorPort: emulator.port, env: { IDC_RATE_LIMIT: '200', TRUSTED_PROXY_COUNT: '1' } });
  });
  afterAll(async () => {
    await portal?.stop();
    await emulator?.close();
  });

  const developerRole = () => {
    const account = accountsOfUser(emulator.ctx.directory, 'developer')[0]!;
    return { account, roleName: [...rolesOfUser(emulator.ctx.directory, 'developer', account.accountId)].sort()[0]! };
  };

  it("keeps a terminal's 210 hand-outs as one row with a count, the account named, and the sign-in before them still there", async () => {
    const browser = await signIn(new PortalClient(portal.url, { 'x-forwarded-for': '198.51.100.20', 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0' }), emulator, 'developer');
    await readListing(await browser.get('/api/accounts/stream'));
    const { account, roleName } = developerRole();
    const token = await terminalLogin(portal, emulator, 'developer', { 'x-forwarded-for': '198.51.100.21' }, browser);
    for (let each = 0; each < 210; each += 1) {
      expect((await cli(portal, '/api/cli/credentials', token, { accountId: account.accountId, roleName }, { 'x-forwarded-for': '198.51.100.21' })).status).toBe(200);
    }
    const text = pageText(await (await browser.get('/activity')).text());
    expect(text).toContain("Credentials taken 210 times (by a terminal, from the portal's cache)");
    expect(text).toContain(`${account.accountName} ${account.accountId}`);
    // The browser's sign-in, before the loop, is on the first page still.
    expect(text).toMatch(/ Signed in \d{4}-/);
    expect(text).not.toContain('signed_out');
    // The stdout line of every hand-out says where the request came from.
    const handOuts = auditLines(portal.output()).filter((line) => line.event === 'credentials_issued' && line.via === 'terminal');
    expect(handOuts).toHaveLength(210);
    expect(handOuts[0]).toMatchObject({ address: '198.51.100.21', userAgent: 'gatehouse/0.1.0 (linux; node 20)' });
  });

  it('pages its older rows', async () => {
    const account = accountsOfUser(emulator.ctx.directory, 'operator')[0]!;
    const roleName = [...rolesOfUser(emulator.ctx.directory, 'operator', account.accountId)][0]!;
    const keys: string[] = [];
    // Two browsers, each within its own budget of 30 hand-outs a minute.
    let browser: PortalClient | undefined;
    for (let each = 0; each < 56; each += 1) {
      if (each % 28 === 0) {
        browser = await signIn(new PortalClient(portal.url, { 'x-forwarded-for': `198.51.100.${40 + each}` }), emulator, 'operator');
        await readListing(await browser.get('/api/accounts/stream'));
      }
      const response = await browser!.post('/api/credentials', { accountId: account.accountId, roleName });
      expect(response.status).toBe(200);
      keys.push(((await response.json()) as { accessKeyId: string }).accessKeyId);
    }
    const first = await (await browser!.get('/activity')).text();
    // A page of 50 rows, newest first: the second browser's sign-in and the 49 hand-outs after and around it.
    expect(keys.filter((key) => first.includes(key))).toEqual(keys.slice(-49));
    expect(first).not.toContain(keys[0]!);
    const older = /href="(\/activity\?before=[^"]+)"/.exec(first)?.[1]?.replace(/&amp;/g, '&');
    expect(older).toBeDefined();
    const second = await (await browser!.get(older!)).text();
    expect(second).toContain(keys[0]!);
    expect(second).not.toContain(keys.at(-1)!);
    expect(second).toContain('>Newest<');
  });

  it("lists every session of the person, browser and terminal; Revoke ends another browser's at its next request, never its own", async () => {
    const mine = await signIn(new PortalClient(portal.url, { 'user-agent': 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit Chrome/150.0 Safari/537.36' }), emulator, 'developer');
    const other = await signIn(new PortalClient(portal.url, { 'user-agent': 'Mozilla/5.0 (Windows NT 10.0) Firefox/140.0', 'x-forwarded-for': '203.0.113.5' }), emulator, 'developer');
    const sessions = ((await (await mine.get('/api/sessions')).json()) as { sessions: SessionRow[] }).sessions;
    expect(sessions.filter((row) => row.current)).toEqual([expect.objectContaining({ kind: 'browser', label: 'Chrome on macOS' })]);
    const theirs = sessions.find((row) => row.label === 'Firefox on Windows' && row.address === '203.0.113.5');
    expect(theirs).toBeDefined();
    expect(sessions.some((row) => row.kind === 'terminal')).toBe(true);
    // Its own session: Sign out is the way.
    expect((await mine.post('/api/sessions/revoke', { handle: sessions.find((row) => row.current)!.handle })).status).toBe(409);
    expect((await mine.post('/api/sessions/revoke', { handle: theirs!.handle })).status).toBe(200);
    expect((await other.get('/api/session')).status).toBe(401);
    expect(((await (await mine.get('/api/session')).json()) as { signedIn: boolean }).signedIn).toBe(true);
    const after = ((await (await mine.get('/api/sessions')).json()) as { sessions: SessionRow[] }).sessions;
    expect(after.some((row) => row.handle === theirs!.handle)).toBe(false);
  });
});
