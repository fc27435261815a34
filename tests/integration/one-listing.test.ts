import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { accountsOfUser } from '../../emulator/directory';
import { createEmulator, type RunningEmulator } from '../../emulator/server';
import type { ListingEvent } from '../../lib/shared/accounts';
import { emulatorAdmin } from '../../scripts/support/emulator-admin';
import { type PortalClient, signIn } from '../../scripts/support/portal-client';
import { type RunningPortal, startPortal } from '../../scripts/support/portal-process';
import { listedRoles, readListing, until } from '../support/api-session';
import { cli, terminalLogin } from '../support/terminal-api';

/**
 * One listing per person: every tab, browser and terminal of the same person follows the listing
 * already in flight (one ListAccountRoles per account, by the emulator's counters), and a listing
 * nobody watches any more pauses, spending nothing, until someone comes back.
 */

const stream = async (client: PortalClient): Promise<ListingEvent[]> => readListing(await client.get('/api/accounts/stream'), { ndjson: true, noStore: true });

describe('one listing per person', () => {
  let emulator: RunningEmulator;
  let portal: RunningPortal;
  const listAccountRoles = async () => (await emulatorAdmin(emulator).calls()).ListAccountRoles ?? 0;

  beforeAll(async () => {
    emulator = await createEmulator({ port: 0 });
    // A pace at which operator's 120 accounts take about 30 s: long enough to join, and to leave.
    portal = await startPortal({ emulatorPort: emulator.port, env: { IDC_RATE_LIMIT: '4' } });
  });
  afterAll(async () => {
    await portal?.stop();
    await emulator?.close();
  });

  it('two tabs, a second browser and a terminal of one person share one listing: one ListAccountRoles per account', async () => {
    const accounts = accountsOfUser(emulator.ctx.directory, 'developer');
    const browser = await signIn(portal.url, emulator, 'developer');
    const otherBrowser = await signIn(portal.url, emulator, 'developer');
    const terminal = await terminalLogin(portal, emulator, 'developer');
    // Each sign-in asked who signed in (one ListAccountRoles each); the listing starts from here.
    const before = await listAccountRoles();
    const [firstTab, secondTab, otherTab, terminalAccounts] = await Promise.all([
      stream(browser),
      stream(browser),
      stream(otherBrowser),
      cli(portal, '/api/cli/accounts', terminal),
    ]);
    for (const events of [firstTab, secondTab, otherTab]) {
      expect(events.at(-1)).toMatchObject({ type: 'done', accounts: accounts.length, failedAccounts: 0 });
      expect(listedRoles(events).size).toBe(accounts.length);
    }
    expect(terminalAccounts.status).toBe(200);
    expect((await listAccountRoles()) - before).toBe(accounts.length);
  }, 60_000);

  it('a listing nobody watches pauses, and goes on where it stopped when someone comes back', async () => {
    const accounts = accountsOfUser(emulator.ctx.directory, 'operator');
    const client = await signIn(portal.url, emulator, 'operator');
    const before = await listAccountRoles();

    // The tab shows the first roles, then is closed.
    const response = await client.get('/api/accounts/stream');
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    while (!text.includes('"type":"roles"')) {
      const { value, done } = await reader.read();
      expect(done).toBe(false);
      text += decoder.decode(value, { stream: true });
    }
    await reader.cancel();

    // The calls stop well before the listing is done (after a grace period and the calls already queued).
    let last = -1;
    let steadySince = Date.now();
    const paused = await until(
      'ListAccountRoles calls to stop',
      async () => {
        const now = await listAccountRoles();
        if (now !== last) {
          last = now;
          steadySince = Date.now();
          return undefined;
        }
        return Date.now() - steadySince >= 5_000 ? now : undefined;
      },
      { timeoutMs: 45_000, intervalMs: 250 },
    );
    expect(paused - before).toBeGreaterThan(0);
    expect(paused - before).toBeLessThan(accounts.length);

    // Back on the page: the same listing goes on and finishes, and no account is asked for twice.
    const events = await stream(client);
    expect(events.at(-1)).toMatchObject({ type: 'done', accounts: accounts.length, failedAccounts: 0 });
    expect(listedRoles(events).size).toBe(accounts.length);
    expect((await listAccountRoles()) - before).toBe(accounts.length);
  }, 120_000);
});
