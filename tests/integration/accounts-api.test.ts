import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { accountsOfUser, rolesOfUser } from '../../emulator/directory';
import { createEmulator, type RunningEmulator } from '../../emulator/server';
import type { Directory } from '../../emulator/types';
import type { ListingEvent } from '../../lib/shared/accounts';
import { emulatorAdmin } from '../../scripts/support/emulator-admin';
import { PortalClient, signIn } from '../../scripts/support/portal-client';
import { type RunningPortal, startPortal } from '../../scripts/support/portal-process';
import { listedRoles, readListing as readStream } from '../support/api-session';

/** Reads a whole listing stream as the accounts page does, and asserts it is NDJSON and never stored. */
const readListing = (response: Response) => readStream(response, { ndjson: true, noStore: true });

function summarise(events: ListingEvent[]) {
  return {
    accounts: events.flatMap((event) => (event.type === 'accounts' ? event.accounts : [])),
    roles: listedRoles(events),
    errors: events.filter((event) => event.type === 'roles-error'),
    start: events[0],
    done: events.at(-1),
  };
}

async function fetchStream(client: PortalClient) {
  return summarise(await readListing(await client.get('/api/accounts/stream')));
}

describe('the account listing API', () => {
  let emulator: RunningEmulator;
  let portal: RunningPortal;
  let original: Directory;

  beforeAll(async () => {
    emulator = await createEmulator({ port: 0 });
    original = emulator.ctx.directory;
    portal = await startPortal({ emulatorPort: emulator.port, env: { IDC_RATE_LIMIT: '200' } });
  });
  afterAll(async () => {
    await portal.stop();
    await emulator.close();
  });

  it('streams every account of operator with its roles, then serves the cached listing at once', async () => {
    const client = await signIn(portal.url, emulator, 'operator');
    const expected = accountsOfUser(original, 'operator');
    const first = await fetchStream(client);
    expect(first.start).toMatchObject({ type: 'start', cached: false });
    expect(first.accounts.map((account) => account.accountId).sort()).toEqual(expected.map((account) => account.accountId).sort());
    for (const account of expected) {
      expect(first.roles.get(account.accountId)).toEqual([...rolesOfUser(original, 'operator', account.accountId)].sort());
    }
    expect(first.errors).toEqual([]);
    expect(first.done).toMatchObject({ type: 'done', accounts: expected.length, failedAccounts: 0 });

    const second = await fetchStream(client);
    expect(second.start).toMatchObject({ type: 'start', cached: true });
    expect(second.accounts).toEqual(first.accounts);
  });

  it('learns who the person is from STS', async () => {
    const client = await signIn(portal.url, emulator, 'developer');
    const listing = await readListing(await client.get('/api/accounts/stream'));
    expect(listing).toContainEqual({ type: 'identity', userName: 'developer' });
    const session = (await (await client.get('/api/session')).json()) as { user?: string };
    expect(session.user).toBe('developer');
  });

  it('answers GET /api/accounts with the contract shape', async () => {
    const client = await signIn(portal.url, emulator, 'developer');
    const response = await client.get('/api/accounts');
    expect(response.status).toBe(200);
    const body = (await response.json()) as { accounts: { accountId: string }[] };
    expect(body.accounts.map((account) => account.accountId).sort()).toEqual(
      accountsOfUser(original, 'developer')
        .map((account) => account.accountId)
        .sort(),
    );
    expect(Object.keys(body.accounts[0] ?? {}).sort()).toEqual(['accountId', 'accountName', 'emailAddress']);
  });

  it('shows newcomer an empty listing', async () => {
    const client = await signIn(portal.url, emulator, 'newcomer');
    const listing = await fetchStream(client);
    expect(listing.accounts).toEqual([]);
    expect(listing.done).toMatchObject({ type: 'done', accounts: 0, roles: 0 });
    expect(await (await client.get('/api/accounts')).json()).toEqual({ accounts: [] });
  });

  it('serves one account\'s roles, refusing malformed ids with 400 and other people\'s accounts with 404', async () => {
    const client = await signIn(portal.url, emulator, 'developer');
    const mine = accountsOfUser(original, 'developer')[0]!;
    const roles = await client.get(`/api/accounts/${mine.accountId}/roles`);
    expect(roles.status).toBe(200);
    expect(await roles.json()).toEqual({
      roles: [...rolesOfUser(original, 'developer', mine.accountId)].sort().map((roleName) => ({ roleName })),
    });

    for (const bad of ['12345', '1234567890123', 'abcdefghijkl', '１２３４５６７８９０１２', '%20123456789012']) {
      const response = await client.get(`/api/accounts/${bad}/roles`);
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('bad_request');
    }

    const developerAccounts = new Set(accountsOfUser(original, 'developer').map((account) => account.accountId));
    const notMine = accountsOfUser(original, 'operator').find((account) => !developerAccounts.has(account.accountId))!;
    await emulatorAdmin(emulator).resetStats();
    const refused = await client.get(`/api/accounts/${notMine.accountId}/roles`);
    expect(refused.status).toBe(404);
    expect(await refused.json()).toEqual({ error: { code: 'not_found', message: 'You have no account with that id.' } });
    // Decided from the person's own listing: Identity Center was not asked about that account.
    const stats = await emulatorAdmin(emulator).stats();
    expect(stats.calls.ListAccountRoles ?? 0).toBe(0);
  });

  it('reports a failing account on its own, and its roles load on retry', async () => {
    const client = await signIn(portal.url, emulator, 'developer');
    // Earlier tests' listings of developer are kept (a refresh would keep their roles for the failing
    // account); forgotten, the refresh below is a first listing.
    expect((await client.post('/api/saved-listing/forget', {})).status).toBe(200);
    const mine = accountsOfUser(original, 'developer');
    const broken = mine[1]!;
    const admin = emulatorAdmin(emulator);
    // Every attempt at this one account's roles fails (more failures than the portal retries).
    await admin.faults({ error: 50, accountId: broken.accountId });
    let failed;
    try {
      failed = summarise(await readListing(await client.post('/api/accounts/refresh')));
    } finally {
      await admin.faults({ error: 0, accountId: null });
    }
    expect(failed.accounts).toHaveLength(mine.length);
    expect(failed.errors).toEqual([
      { type: 'roles-error', accountId: broken.accountId, message: 'Identity Center did not answer; try again.' },
    ]);
    expect(failed.done).toMatchObject({ failedAccounts: 1 });
    // The other accounts loaded.
    expect([...failed.roles.keys()].sort()).toEqual(
      mine
        .map((account) => account.accountId)
        .filter((id) => id !== broken.accountId)
        .sort(),
    );
    // Retry works once Identity Center answers again, and the listing remembers it.
    const retry = await client.get(`/api/accounts/${broken.accountId}/roles`);
    expect(retry.status).toBe(200);
    expect(await retry.json()).toEqual({
      roles: [...rolesOfUser(original, 'developer', broken.accountId)].sort().map((roleName) => ({ roleName })),
    });
    const after = await fetchStream(client);
    expect(after.errors).toEqual([]);
    expect(after.roles.get(broken.accountId)).toBeDefined();
  });

  it('refreshes on request and says what changed', async () => {
    const client = await signIn(portal.url, emulator, 'developer');
    await fetchStream(client);
    const developerAccounts = accountsOfUser(original, 'developer');
    const gained = accountsOfUser(original, 'operator').find(
      (account) => !developerAccounts.some((mine) => mine.accountId === account.accountId),
    )!;
    const lost = developerAccounts[0]!;
    const changed: Directory = {
      ...original,
      assignments: [
        ...original.assignments.filter((assignment) => !(assignment.userName === 'developer' && assignment.accountId === lost.accountId)),
        { userName: 'developer', accountId: gained.accountId, roleName: 'ReadOnlyAccess' },
      ],
    };
    const replaced = await fetch(`${emulator.url}/__emulator/directory`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(changed),
    });
    expect(replaced.status).toBe(200);
    try {
      // Without a refresh, the cached listing is served unchanged.
      const cached = await fetchStream(client);
      expect(cached.start).toMatchObject({ cached: true });
      expect(cached.accounts.some((account) => account.accountId === gained.accountId)).toBe(false);

      const refreshed = summarise(await readListing(await client.post('/api/accounts/refresh')));
      expect(refreshed.start).toMatchObject({ cached: false });
      const done = refreshed.done as Extract<ListingEvent, { type: 'done' }>;
      expect(done.diff?.accountsAdded.map((account) => account.accountId)).toEqual([gained.accountId]);
      expect(done.diff?.accountsRemoved.map((account) => account.accountId)).toEqual([lost.accountId]);
      expect(done.diff?.rolesAdded).toEqual([{ accountId: gained.accountId, roleName: 'ReadOnlyAccess' }]);
      expect(done.diff?.rolesRemoved.map((role) => role.accountId)).toEqual(
        rolesOfUser(original, 'developer', lost.accountId).map(() => lost.accountId),
      );
    } finally {
      await emulatorAdmin(emulator).replaceDirectory(original);
    }
  });

  it('keeps favorites per person, across sessions', async () => {
    const first = await signIn(portal.url, emulator, 'developer');
    // Listed afresh: the kept listing may be one an earlier test made with the directory changed.
    await readListing(await first.post('/api/accounts/refresh'));
    const account = accountsOfUser(original, 'developer')[0]!;
    const roleName = [...rolesOfUser(original, 'developer', account.accountId)].sort()[0]!;
    const starred = await first.post('/api/favorites', { kind: 'role', accountId: account.accountId, roleName, starred: true });
    expect(starred.status).toBe(200);
    expect(((await starred.json()) as { roles: string[] }).roles).toContain(`${account.accountId}/${roleName}`);

    const second = await signIn(portal.url, emulator, 'developer');
    await fetchStream(second);
    const favorites = (await (await second.get('/api/favorites')).json()) as { roles: string[] };
    expect(favorites.roles).toContain(`${account.accountId}/${roleName}`);

    // Someone else does not see them, and cannot star what is not theirs.
    const other = await signIn(portal.url, emulator, 'operator');
    await fetchStream(other);
    expect(((await (await other.get('/api/favorites')).json()) as { roles: string[] }).roles).not.toContain(
      `${account.accountId}/${roleName}`,
    );
    const foreign = await first.post('/api/favorites', { kind: 'account', accountId: '000000000000', starred: true });
    expect(foreign.status).toBe(404);
    const malformed = await first.post('/api/favorites', { kind: 'role', accountId: account.accountId, roleName: '../etc', starred: true });
    expect(malformed.status).toBe(400);
  });

  it('ends the session when Identity Center stops accepting its token (401), and the API answers 401', async () => {
    const client = await signIn(portal.url, emulator, 'developer');
    await fetchStream(client);
    const revoked = await fetch(`${emulator.url}/__emulator/users/revoke-sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userName: 'developer' }),
    });
    expect(((await revoked.json()) as { revoked: number }).revoked).toBeGreaterThan(0);
    const listing = await readListing(await client.post('/api/accounts/refresh'));
    expect(listing).toContainEqual({ type: 'error', message: 'Your session has ended. Sign in again.' });
    expect((await client.get('/api/session')).status).toBe(401);
    expect((await client.get('/api/accounts')).status).toBe(401);
  });

  it('refuses every listing route without a session', async () => {
    const anonymous = new PortalClient(portal.url);
    for (const path of ['/api/accounts', '/api/accounts/stream', '/api/accounts/123456789012/roles', '/api/favorites']) {
      const response = await anonymous.get(path);
      expect(response.status).toBe(401);
    }
    expect((await anonymous.post('/api/accounts/refresh')).status).toBe(401);
  });
});
