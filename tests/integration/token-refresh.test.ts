/**
 * A signed-in person stays signed in past the lifetime of their first SSO access token, because the
 * portal refreshes it. Identity Center issues refresh tokens only to registrations with the
 * `sso:account:access` scope, so this fails if the portal ever stopped asking for it. Access tokens
 * last 8 seconds here, in real time: the portal refreshes a token with under 5 minutes left once it
 * is 5 seconds old, so a person using the portal for half a minute lives through several of them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { accountsOfUser, generateOrganisation } from '../../emulator/directory';
import { createEmulator, type RunningEmulator } from '../../emulator/server';
import { emulatorAdmin } from '../../scripts/support/emulator-admin';
import { signIn } from '../../scripts/support/portal-client';
import { type RunningPortal, startPortal } from '../../scripts/support/portal-process';
import { listedAccounts, readListing } from '../support/api-session';

const ACCESS_TOKEN_TTL_SECONDS = 8;
/** Several token lifetimes of use. */
const USE_FOR_MS = 24_000;

describe('SSO token refresh', () => {
  // A small organisation: every listing asks Identity Center a handful of times, each with a fresh token.
  const directory = generateOrganisation({ accounts: 3, rolesPerAccount: 1, users: ['operator'], seed: 11 });
  let emulator: RunningEmulator;
  let portal: RunningPortal;

  beforeAll(async () => {
    emulator = await createEmulator({ port: 0, directory, accessTokenTtlSeconds: ACCESS_TOKEN_TTL_SECONDS });
    portal = await startPortal({ emulatorPort: emulator.port });
  });
  afterAll(async () => {
    await portal?.stop();
    await emulator?.close();
  });

  it('keeps a person listing their accounts after their first access token expired at Identity Center', async () => {
    const client = await signIn(portal.url, emulator, 'operator');
    await emulatorAdmin(emulator).resetStats();
    const expected = accountsOfUser(directory, 'operator').map((account) => account.accountId).sort();

    // A person listing afresh every two seconds: each listing asks Identity Center with the token of the moment.
    const started = Date.now();
    while (Date.now() - started < USE_FOR_MS) {
      const events = await readListing(await client.post('/api/accounts/refresh'));
      expect(events.filter((event) => event.type === 'error' || event.type === 'roles-error')).toEqual([]);
      expect(listedAccounts(events).sort()).toEqual(expected);
      expect(events.at(-1)).toMatchObject({ type: 'done', accounts: expected.length, failedAccounts: 0 });
      await new Promise((resolve) => setTimeout(resolve, 2_000));
    }
    expect(await (await client.get('/api/session')).json()).toMatchObject({ signedIn: true });

    const stats = await emulatorAdmin(emulator).stats();
    expect(stats.grants.refresh_token?.issued).toBeGreaterThanOrEqual(3);
    expect(stats.grants.refresh_token).toEqual({ issued: expect.any(Number) });
    expect(stats.calls.ListAccounts).toBeGreaterThanOrEqual(3);
  }, 60_000);
});
