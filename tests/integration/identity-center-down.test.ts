/**
 * Identity Center gone (the emulator stops listening and comes back on the same port, with the
 * same sessions) and Identity Center failing one account during a Refresh: a session never ends
 * because AWS was unreachable, a listing waits and goes on by itself, and a failed Refresh keeps the
 * last good roles in the listing the next page load gets.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { accountsOfUser, generateOrganisation } from '../../emulator/directory';
import { createEmulator, type RunningEmulator } from '../../emulator/server';
import type { ListingEvent } from '../../lib/shared/accounts';
import { emulatorAdmin } from '../../scripts/support/emulator-admin';
import { type RunningPortal, startPortal } from '../../scripts/support/portal-process';
import { readListing, signInListed, until } from '../support/api-session';

/** Reads a listing stream event by event, handing each to `onEvent` as it arrives; resolves with all of them. */
async function followListing(response: Response, onEvent: (event: ListingEvent) => void): Promise<ListingEvent[]> {
  expect(response.status).toBe(200);
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const events: ListingEvent[] = [];
  let buffered = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffered += decoder.decode(value, { stream: true });
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines.filter((text) => text.trim())) {
      const event = JSON.parse(line) as ListingEvent;
      events.push(event);
      onEvent(event);
    }
  }
  return events;
}

describe('Identity Center not answering, and a Refresh that fails', () => {
  const directory = generateOrganisation({ accounts: 40, rolesPerAccount: 2, users: ['operator'], seed: 18 });
  const accounts = accountsOfUser(directory, 'operator');
  let emulator: RunningEmulator;
  let portal: RunningPortal;

  beforeAll(async () => {
    // Short-lived access tokens: the outage outlasts one, so the portal has to refresh it while Identity Center is gone.
    emulator = await createEmulator({ port: 0, directory, accessTokenTtlSeconds: 6 });
    portal = await startPortal({ emulatorPort: emulator.port, env: { IDC_RATE_LIMIT: '20' } });
  });
  afterAll(async () => {
    await portal?.stop();
    await emulator?.close();
  });

  it('never ends a session when Identity Center is unreachable: a 503, then the same session goes on', async () => {
    const client = await signInListed(portal.url, emulator, 'operator');
    const account = accounts[0]!;
    await emulator.suspend();
    try {
      // Once the access token is due for a refresh that cannot happen: "try again" (503), never "signed out" (401).
      const refused = await until(
        'the portal to need Identity Center',
        async () => {
          const response = await client.get(`/api/accounts/${account.accountId}/roles`);
          return response.status === 200 ? undefined : response;
        },
        { timeoutMs: 20_000, intervalMs: 500 },
      );
      expect(refused.status).toBe(503);
      expect(await (await client.get('/api/session')).json()).toMatchObject({ signedIn: true });
    } finally {
      await emulator.resume();
    }
    expect((await client.get(`/api/accounts/${account.accountId}/roles`)).status).toBe(200);
    expect(await (await client.get('/api/session')).json()).toMatchObject({ signedIn: true });
  }, 60_000);

  it('a listing says Identity Center is not answering, waits, and finishes whole once it is back', async () => {
    const client = await signInListed(portal.url, emulator, 'operator');
    await emulator.suspend();
    let resumed = false;
    try {
      const events = await followListing(await client.post('/api/accounts/refresh'), (event) => {
        if (event.type === 'unreachable' && !resumed) {
          resumed = true;
          void emulator.resume();
        }
      });
      const unreachable = events.find((event) => event.type === 'unreachable');
      expect(unreachable).toMatchObject({ type: 'unreachable', retryAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
      expect(events.some((event) => event.type === 'reachable')).toBe(true);
      expect(events.filter((event) => event.type === 'error' || event.type === 'roles-error')).toEqual([]);
      expect(events.at(-1)).toMatchObject({ type: 'done', accounts: accounts.length, failedAccounts: 0 });
    } finally {
      if (!resumed) await emulator.resume();
    }
    expect(await (await client.get('/api/session')).json()).toMatchObject({ signedIn: true });
  }, 90_000);

  it('a Refresh that fails for an account keeps its last good roles, marked, in the listing the next page load gets', async () => {
    const client = await signInListed(portal.url, emulator, 'operator');
    const broken = accounts[5]!;
    const before = directory.assignments.filter((a) => a.accountId === broken.accountId).map((a) => a.roleName).sort();
    const admin = emulatorAdmin(emulator);
    await admin.faults({ error: 1_000, accountId: broken.accountId });
    try {
      const refreshed = await readListing(await client.post('/api/accounts/refresh'));
      const failure = refreshed.find((event) => event.type === 'roles-error' && event.accountId === broken.accountId);
      expect(failure).toMatchObject({ type: 'roles-error', keptFrom: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
      expect(refreshed.at(-1)).toMatchObject({ type: 'done', failedAccounts: 1, diff: { rolesRemoved: [] } });

      // The next page load (the saved listing) still has the roles, and says they are the last good ones.
      const saved = await readListing(await client.get('/api/accounts/stream'));
      const roles = saved.find((event) => event.type === 'roles' && event.accountId === broken.accountId);
      expect(roles?.type === 'roles' ? roles.roles.map((role) => role.roleName).sort() : null).toEqual(before);
      expect(saved.find((event) => event.type === 'roles-error' && event.accountId === broken.accountId)).toMatchObject({ keptFrom: expect.any(String) });
    } finally {
      await admin.faults({ error: 0, accountId: null });
    }
  }, 60_000);
});
