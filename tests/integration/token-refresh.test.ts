/**
 * A signed-in person stays signed in past the lifetime of their first SSO access token, because the
 * portal refreshes it. Identity Center issues refresh tokens only to registrations with the
 * `sso:account:access` scope, so this fails if the portal ever stopped asking for it. The emulator's
 * clock is moved by hand, so tokens expire there in no time; the portal (on real time) sees every
 * access token with under 5 minutes left and refreshes it before each use.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { accountsOfUser, generateOrganisation } from '../../emulator/directory';
import { createEmulator, type RunningEmulator } from '../../emulator/server';
import type { StatsSnapshot } from '../../emulator/runtime';
import { listedAccounts, readListing, resetEmulatorStats, signIn } from '../support/api-session';
import { FakeClock } from '../support/emulator';
import { type RunningPortal, startPortal } from '../support/portal';

const ACCESS_TOKEN_TTL_SECONDS = 60;

describe('SSO token refresh', () => {
  // A small organisation: every listing asks Identity Center a handful of times, each with a fresh token.
  const directory = generateOrganisation({ accounts: 3, rolesPerAccount: 1, users: ['operator'], seed: 11 });
  const clock = new FakeClock();
  let emulator: RunningEmulator;
  let portal: RunningPortal;

  beforeAll(async () => {
    emulator = await createEmulator({ port: 0, clock, directory, accessTokenTtlSeconds: ACCESS_TOKEN_TTL_SECONDS });
    portal = await startPortal({ emulatorPort: emulator.port });
  });
  afterAll(async () => {
    await portal?.stop();
    await emulator?.close();
  });

  it('keeps a person listing their accounts after their first access token expired at Identity Center', async () => {
    const client = await signIn(portal.url, emulator, 'operator');
    await resetEmulatorStats(emulator);
    const expected = accountsOfUser(directory, 'operator').map((account) => account.accountId).sort();

    for (let round = 0; round < 3; round += 1) {
      // Every access token issued so far, the sign-in's first included, is now expired at Identity Center.
      clock.advanceSeconds(ACCESS_TOKEN_TTL_SECONDS);
      const events = await readListing(await client.post('/api/accounts/refresh'));
      expect(events.filter((event) => event.type === 'error' || event.type === 'roles-error')).toEqual([]);
      expect(listedAccounts(events).sort()).toEqual(expected);
      expect(events.at(-1)).toMatchObject({ type: 'done', accounts: expected.length, failedAccounts: 0 });
    }
    expect(await (await client.get('/api/session')).json()).toMatchObject({ signedIn: true });

    const stats = (await (await fetch(`${emulator.url}/__emulator/stats`)).json()) as StatsSnapshot;
    expect(stats.grants.refresh_token?.issued).toBeGreaterThanOrEqual(3);
    expect(stats.grants.refresh_token).toEqual({ issued: expect.any(Number) });
    expect(stats.calls.ListAccounts).toBeGreaterThanOrEqual(3);
  });
});
