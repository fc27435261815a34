import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { accountsOfUser } from '../../emulator/directory';
import { createEmulator, type RunningEmulator } from '../../emulator/server';
import type { ListingEvent } from '../../lib/shared/accounts';
import { emulatorAdmin } from '../../scripts/support/emulator-admin';
import { signIn } from '../../scripts/support/portal-client';
import { type RunningPortal, startPortal } from '../../scripts/support/portal-process';
import { listedRoles, until } from '../support/api-session';
import { cli, terminalLogin } from '../support/terminal-api';

/**
 * A listing shared by a person's sessions is theirs, not one session's: when the terminal that
 * started it is revoked (from the person's browser) while it runs, the listing goes on with the
 * browser's session, and the browser is never told its session has ended.
 */

describe('a listing shared by a person\'s browser and terminal', () => {
  let emulator: RunningEmulator;
  let portal: RunningPortal;

  beforeAll(async () => {
    emulator = await createEmulator({ port: 0 });
    // A pace at which operator's 120 accounts take about 30 s: long enough to revoke the terminal in the middle.
    portal = await startPortal({ emulatorPort: emulator.port, env: { IDC_RATE_LIMIT: '4' } });
  });
  afterAll(async () => {
    await portal?.stop();
    await emulator?.close();
  });

  it('goes on with the browser\'s session when the terminal that started it is revoked', { timeout: 120_000 }, async () => {
    const accounts = accountsOfUser(emulator.ctx.directory, 'operator');
    const browser = await signIn(portal.url, emulator, 'operator');
    // The terminal's sign-in is confirmed from that browser.
    const terminal = await terminalLogin(portal, emulator, 'operator', {}, browser);
    await until('the terminal session to name its user', async () =>
      ((await (await cli(portal, '/api/cli/session', terminal)).json()) as { user?: string }).user ? true : undefined,
    );
    const admin = emulatorAdmin(emulator);
    await admin.resetStats();

    // The terminal starts the person's listing (`gatehouse accounts` waits for all of it) …
    const terminalListing = cli(portal, '/api/cli/accounts', terminal).then((response) => response.status);
    await until('the terminal\'s listing to be under way', async () => (((await admin.calls()).ListAccountRoles ?? 0) > 0 ? true : undefined));

    // … the browser follows it, and once roles show, revokes the terminal from the Activity page.
    const response = await browser.get('/api/accounts/stream');
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    while (!text.includes('"type":"roles"')) {
      const { value, done } = await reader.read();
      expect(done).toBe(false);
      text += decoder.decode(value, { stream: true });
    }
    const listed = (await (await browser.get('/api/terminal-sessions')).json()) as { sessions: { handle: string }[] };
    expect(listed.sessions).toHaveLength(1);
    expect((await browser.post('/api/terminal-sessions/revoke', { handle: listed.sessions[0]!.handle })).status).toBe(200);
    expect((await cli(portal, '/api/cli/session', terminal)).status).toBe(401);

    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    const events = text
      .split('\n')
      .filter((line) => line.length > 0)
      .map((line) => JSON.parse(line) as ListingEvent);
    expect(events.filter((event) => event.type === 'error')).toEqual([]);
    expect(events.at(-1)).toMatchObject({ type: 'done', accounts: accounts.length, failedAccounts: 0 });
    expect(listedRoles(events).size).toBe(accounts.length);
    expect(await (await browser.get('/api/session')).json()).toMatchObject({ signedIn: true, user: 'operator' });
    await terminalListing;
  });
});
