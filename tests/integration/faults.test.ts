/**
 * The portal under faults: Identity Center answering 500s, throttling, too slow or dropping the
 * connection, and the session store (Redis) going away and coming back. Whatever happens, a caller
 * gets a clear JSON answer (a 503 with Retry-After where the portal cannot help, or a per-account
 * `roles-error` in a listing), never a 5xx with a stack trace or an HTML page, never someone else's
 * data; and once the fault is gone the same session works again without a restart.
 *
 * The three scenarios have an emulator and a portal each and run side by side (the slow one waits
 * out the portal's 30 s deadline); within a scenario the steps run in order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { accountsOfUser, generateOrganisation, rolesOfUser } from '../../emulator/directory';
import { createEmulator, type RunningEmulator } from '../../emulator/server';
import type { Directory } from '../../emulator/types';
import { emulatorAdmin } from '../../scripts/support/emulator-admin';
import { pollSignIn, PortalClient, signIn } from '../../scripts/support/portal-client';
import { type RunningPortal, startPortal } from '../../scripts/support/portal-process';
import { expectApiError, expectUnavailable, readListing as readStream, summariseListing, until } from '../support/api-session';
import { type RunningRedis, startRedis } from '../../scripts/support/redis';

/** Reads a whole listing stream, and asserts it is NDJSON. */
const readListing = (response: Response) => readStream(response, { ndjson: true });

/** The scenarios run side by side; the steps of one scenario run in order. */
const SIDE_BY_SIDE = { concurrent: true } as const;
const step = it.sequential;

const EXCLUSIVE_ACCOUNT = { accountId: '999999999999', accountName: 'developer-sandbox', emailAddress: 'aws+sandbox@example.com' };

/** 30 accounts with 2 roles each for operator; developer has three of them and one of their own. */
function organisation(): Directory {
  const org = generateOrganisation({ accounts: 30, rolesPerAccount: 2, seed: 1, users: ['operator'] });
  const shared = org.accounts.slice(0, 3).map((account) => ({ userName: 'developer', accountId: account.accountId, roleName: org.roles[0]!.roleName }));
  return {
    ...org,
    users: [...org.users, { userName: 'developer', displayName: 'Developer', email: 'developer@example.com' }],
    accounts: [...org.accounts, EXCLUSIVE_ACCOUNT],
    assignments: [...org.assignments, ...shared, { userName: 'developer', accountId: EXCLUSIVE_ACCOUNT.accountId, roleName: org.roles[0]!.roleName }],
  };
}

/** A person's accounts and roles as the directory has them, for comparing with what the portal shows. */
function expectedListing(directory: Directory, userName: string) {
  const accounts = accountsOfUser(directory, userName).map((account) => account.accountId);
  return {
    accountIds: [...accounts].sort(),
    roles: new Map(accounts.map((accountId) => [accountId, [...rolesOfUser(directory, userName, accountId)].sort()])),
  };
}

/** Whatever a listing under faults shows must be the person's own and correct; failures are named per account. */
function expectOnlyOwnData(events: Awaited<ReturnType<typeof readListing>>, directory: Directory, userName: string) {
  const expected = expectedListing(directory, userName);
  const listing = summariseListing(events);
  for (const accountId of listing.accountIds) expect(expected.accountIds).toContain(accountId);
  for (const [accountId, roles] of listing.roles) expect(roles).toEqual(expected.roles.get(accountId));
  for (const failure of listing.roleErrors) {
    expect(expected.accountIds).toContain(failure.accountId);
    expect(failure.message).toMatch(/^(Identity Center [a-z ;,]+|The roles of this account could not be loaded)\.$/);
  }
  expect(listing.done).toMatchObject({ type: 'done' });
  return listing;
}

/** A full, fault-free listing of the person's own accounts and roles. */
async function expectCompleteListing(client: PortalClient, directory: Directory, userName: string) {
  const listing = summariseListing(await readListing(await client.post('/api/accounts/refresh')));
  const expected = expectedListing(directory, userName);
  expect(listing.errors).toEqual([]);
  expect(listing.roleErrors).toEqual([]);
  expect([...listing.accountIds].sort()).toEqual(expected.accountIds);
  expect(new Map([...listing.roles].sort())).toEqual(new Map([...expected.roles].sort()));
}

/** The console link's answer when it cannot help now: a small page for people, 503, no internals. */
async function expectTryAgainPage(response: Response) {
  const html = await response.text();
  expect(response.status, html.slice(0, 300)).toBe(503);
  expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
  expect(html).toContain('Try again');
  expect(html).not.toMatch(/\n\s+at |node_modules|\.ts:\d/);
}

async function expectCredentials(client: PortalClient, accountId: string, roleName: string) {
  const response = await client.post('/api/credentials', { accountId, roleName });
  expect(response.status, await response.clone().text()).toBe(200);
  const body = (await response.json()) as Record<string, string>;
  expect(Object.keys(body).sort()).toEqual(['accessKeyId', 'expiration', 'secretAccessKey', 'sessionToken']);
}

describe('Identity Center failing: 500s, 429 bursts, dropped connections', SIDE_BY_SIDE, () => {
  const directory = organisation();
  let emulator: RunningEmulator;
  let portal: RunningPortal;
  let admin: ReturnType<typeof emulatorAdmin>;
  let operator: PortalClient;
  let developer: PortalClient;
  const [first, second] = accountsOfUser(directory, 'operator');
  const roleOf = (accountId: string) => [...rolesOfUser(directory, 'operator', accountId)].sort()[0]!;

  beforeAll(async () => {
    emulator = await createEmulator({ port: 0, seed: 7, directory });
    admin = emulatorAdmin(emulator);
    portal = await startPortal({ emulatorPort: emulator.port, env: { IDC_RATE_LIMIT: '200' } });
  });
  afterAll(async () => {
    await portal?.stop();
    await emulator?.close();
  });

  step('sign-in: a failing RegisterClient or StartDeviceAuthorization is a clear 503; polling goes on through failing CreateToken calls', async () => {
    // Every OIDC call fails (half 500s, half dropped connections); this portal has not registered yet.
    await admin.knobs({ faultRate: 1 });
    const person = new PortalClient(portal.url);
    await expectUnavailable(await person.post('/api/auth/device'), 'upstream_unavailable');

    // Registered, then StartDeviceAuthorization alone fails.
    await admin.knobs({ faultRate: 0 });
    expect((await person.post('/api/auth/device')).status).toBe(200);
    await admin.knobs({ faultRate: 1 });
    await expectUnavailable(await person.post('/api/auth/device'), 'upstream_unavailable');

    // A flow started while Identity Center answers, approved, then polled while every CreateToken fails.
    await admin.knobs({ faultRate: 0 });
    const started = await person.post('/api/auth/device');
    expect(started.status).toBe(200);
    emulator.admin.approve(((await started.json()) as { userCode: string }).userCode, 'operator');
    await admin.knobs({ faultRate: 1 });
    await admin.resetStats();
    const polls: { status: number; body: unknown }[] = [];
    await until('two failed CreateToken calls', async () => {
      const response = await person.post('/api/auth/device/poll');
      polls.push({ status: response.status, body: await response.json() });
      return ((await admin.stats()).calls.CreateToken ?? 0) >= 2 ? true : undefined;
    }, { timeoutMs: 15_000, intervalMs: 300, retryErrors: true });
    // Every poll meanwhile: still pending, nothing ended.
    for (const poll of polls) expect(poll).toMatchObject({ status: 200, body: { status: 'pending' } });
    // Identity Center answers again: the same flow completes.
    await admin.knobs({ faultRate: 0 });
    expect(await pollSignIn(person)).toBe('approved');
    expect(await (await person.get('/api/session')).json()).toMatchObject({ signedIn: true });

    operator = person;
    developer = await signIn(portal.url, emulator, 'developer');
    await expectCompleteListing(operator, directory, 'operator');
    await expectCompleteListing(developer, directory, 'developer');
  });

  step('500s: credentials are a 503 with Retry-After, a refresh reports the failure, the last listing still serves; all recover', async () => {
    await admin.faults({ error: 1_000 });
    try {
      await admin.resetStats();
      await expectUnavailable(await operator.post('/api/credentials', { accountId: first!.accountId, roleName: roleOf(first!.accountId) }), 'upstream_unavailable');
      // Bounded retries, no tight loop.
      expect((await admin.stats()).calls.GetRoleCredentials).toBeLessThanOrEqual(5);

      const refreshed = summariseListing(await readListing(await operator.post('/api/accounts/refresh')));
      expect(refreshed.errors).toEqual([{ type: 'error', message: 'Identity Center did not answer; try again.' }]);
      expect(refreshed.done).toMatchObject({ type: 'done' });

      // What was listed before still answers, and only the person's own.
      const accounts = await operator.get('/api/accounts');
      expect(accounts.status).toBe(200);
      expect(((await accounts.json()) as { accounts: { accountId: string }[] }).accounts.map((account) => account.accountId).sort()).toEqual(
        expectedListing(directory, 'operator').accountIds,
      );
      const roles = await developer.get(`/api/accounts/${EXCLUSIVE_ACCOUNT.accountId}/roles`);
      expect(roles.status).toBe(200);
      await expectApiError(await operator.get(`/api/accounts/${EXCLUSIVE_ACCOUNT.accountId}/roles`), 404, 'not_found');
      expect(await (await operator.get('/api/session')).json()).toMatchObject({ signedIn: true, user: 'operator' });
    } finally {
      await admin.faults({ error: 0 });
    }
    await expectCredentials(operator, first!.accountId, roleOf(first!.accountId));
    await expectCompleteListing(operator, directory, 'operator');
  });

  step('one account failing is a roles-error for that account alone; its roles and credentials come back on retry', async () => {
    await admin.faults({ error: 1_000, accountId: second!.accountId });
    try {
      const events = await readListing(await operator.post('/api/accounts/refresh'));
      const listing = expectOnlyOwnData(events, directory, 'operator');
      expect(listing.errors).toEqual([]);
      // The roles listed before stay, as the last good ones (the refresh says since when).
      expect(listing.roleErrors).toEqual([
        { type: 'roles-error', accountId: second!.accountId, message: 'Identity Center did not answer; try again.', keptFrom: expect.any(String) },
      ]);
      expect(listing.roles.size).toBe(expectedListing(directory, 'operator').accountIds.length - 1);
      expect(listing.done).toMatchObject({ failedAccounts: 1 });
      await expectUnavailable(await operator.get(`/api/accounts/${second!.accountId}/roles`), 'upstream_unavailable');
      await expectUnavailable(
        await operator.post('/api/credentials', { accountId: second!.accountId, roleName: roleOf(second!.accountId) }),
        'upstream_unavailable',
      );
      // The console link (a page for people, not the API) says to try again, too.
      await expectTryAgainPage(await operator.get(`/console/${second!.accountId}/${roleOf(second!.accountId)}`));
      await expectCredentials(operator, first!.accountId, roleOf(first!.accountId));
    } finally {
      await admin.faults({ error: 0, accountId: null });
    }
    const roles = await operator.get(`/api/accounts/${second!.accountId}/roles`);
    expect(roles.status).toBe(200);
    expect(await roles.json()).toEqual({ roles: [...rolesOfUser(directory, 'operator', second!.accountId)].sort().map((roleName) => ({ roleName })) });
    await expectCredentials(operator, second!.accountId, roleOf(second!.accountId));
  });

  step('429 bursts: a short burst is absorbed, a long one is a 503 with Retry-After and a bounded number of calls', async () => {
    await admin.faults({ throttle: 2 });
    await admin.resetStats();
    await expectCredentials(operator, first!.accountId, roleOf(first!.accountId));
    expect((await admin.stats()).throttled).toBe(2);

    await admin.faults({ throttle: 1_000 });
    try {
      await admin.resetStats();
      const body = await expectUnavailable(
        await operator.post('/api/credentials', { accountId: first!.accountId, roleName: roleOf(first!.accountId) }),
        'upstream_unavailable',
      );
      expect(body.error.message).toMatch(/try again/i);
      expect((await admin.stats()).calls.GetRoleCredentials).toBeLessThanOrEqual(5);
      const refreshed = summariseListing(await readListing(await developer.post('/api/accounts/refresh')));
      expect(refreshed.errors).toEqual([{ type: 'error', message: 'Identity Center is throttling requests; try again in a moment.' }]);
    } finally {
      await admin.faults({ throttle: 0 });
    }
    await expectCredentials(operator, first!.accountId, roleOf(first!.accountId));
    await expectCompleteListing(developer, directory, 'developer');
  });

  step('dropped connections: a few are retried away, many are a 503; the same session recovers', async () => {
    await admin.faults({ drop: 2 });
    await expectCredentials(operator, first!.accountId, roleOf(first!.accountId));

    await admin.faults({ drop: 1_000 });
    try {
      await expectUnavailable(await operator.post('/api/credentials', { accountId: first!.accountId, roleName: roleOf(first!.accountId) }), 'upstream_unavailable');
      const signInUrl = await operator.post('/api/console', { accountId: first!.accountId, roleName: roleOf(first!.accountId) });
      await expectUnavailable(signInUrl, 'upstream_unavailable');
      const refreshed = summariseListing(await readListing(await operator.post('/api/accounts/refresh')));
      expect(refreshed.errors).toEqual([{ type: 'error', message: 'Identity Center did not answer; try again.' }]);
    } finally {
      await admin.faults({ drop: 0 });
    }
    const signInUrl = await operator.post('/api/console', { accountId: first!.accountId, roleName: roleOf(first!.accountId) });
    expect(signInUrl.status).toBe(200);
    await expectCompleteListing(operator, directory, 'operator');
  });

  step('random 500s and drops on every AWS call: each answer is correct or a clear 503, never another person\'s data', async () => {
    await admin.knobs({ faultRate: 0.4 });
    try {
      const people = [
        { client: operator, userName: 'operator', accountId: first!.accountId, roleName: roleOf(first!.accountId) },
        { client: developer, userName: 'developer', accountId: EXCLUSIVE_ACCOUNT.accountId, roleName: directory.roles[0]!.roleName },
      ];
      await Promise.all(
        people.flatMap(({ client, userName, accountId, roleName }) => [
          (async () => {
            expectOnlyOwnData(await readListing(await client.post('/api/accounts/refresh')), directory, userName);
          })(),
          ...[0, 1, 2].map(async () => {
            const response = await client.post('/api/credentials', { accountId, roleName });
            if (response.status !== 200) await expectUnavailable(response, 'upstream_unavailable');
          }),
          (async () => {
            const response = await client.get('/api/aws-config');
            if (response.status === 200) {
              const text = await response.text();
              for (const id of expectedListing(directory, userName === 'operator' ? 'developer' : 'operator').accountIds) {
                if (!expectedListing(directory, userName).accountIds.includes(id)) expect(text).not.toContain(id);
              }
            } else {
              await expectUnavailable(response, 'upstream_unavailable');
            }
          })(),
        ]),
      );
    } finally {
      await admin.knobs({ faultRate: 0 });
    }
    await expectCompleteListing(operator, directory, 'operator');
    await expectCompleteListing(developer, directory, 'developer');
    await expectCredentials(developer, EXCLUSIVE_ACCOUNT.accountId, directory.roles[0]!.roleName);
    expect(portal.output()).not.toMatch(/unhandled|uncaught/i);
  });
});

describe('Identity Center too slow (answers after 12 s; the portal gives up on a call after 10 s)', SIDE_BY_SIDE, () => {
  const directory = organisation();
  let emulator: RunningEmulator;
  let portal: RunningPortal;
  let admin: ReturnType<typeof emulatorAdmin>;
  let operator: PortalClient;
  let leaving: PortalClient;
  const account = accountsOfUser(directory, 'operator')[0]!;
  const roleName = [...rolesOfUser(directory, 'operator', account.accountId)].sort()[0]!;

  beforeAll(async () => {
    emulator = await createEmulator({ port: 0, seed: 8, directory });
    admin = emulatorAdmin(emulator);
    portal = await startPortal({ emulatorPort: emulator.port, env: { IDC_RATE_LIMIT: '200' } });
    operator = await signIn(portal.url, emulator, 'operator');
    leaving = await signIn(portal.url, emulator, 'developer');
    await expectCompleteListing(operator, directory, 'operator');
  });
  afterAll(async () => {
    await portal?.stop();
    await emulator?.close();
  });

  step('a call that outlasts the deadline is a 503 with Retry-After; meanwhile everything else answers at once', async () => {
    await admin.knobs({ latencyMs: 12_000 });
    try {
      await admin.resetStats();
      const startedAt = Date.now();
      const slow = operator.post('/api/credentials', { accountId: account.accountId, roleName }).then((response) => ({
        response,
        elapsedMs: Date.now() - startedAt,
      }));
      const signOut = leaving.post('/api/auth/logout');

      // Whatever needs no call to Identity Center answers while the slow calls are in flight.
      for (const path of ['/api/health', '/api/session', '/api/accounts', `/api/accounts/${account.accountId}/roles`, '/api/favorites']) {
        const before = Date.now();
        const response = await operator.get(path);
        expect(response.status, path).toBe(200);
        expect(Date.now() - before, path).toBeLessThan(3_000);
      }
      // Sign-out does not wait for a Logout that does not answer.
      const signedOut = await signOut;
      expect(signedOut.status).toBe(200);
      expect(await signedOut.json()).toEqual({ signedOut: true });
      expect(await (await leaving.get('/api/session')).json()).toEqual({ signedIn: false });

      const { response, elapsedMs } = await slow;
      await expectUnavailable(response, 'upstream_unavailable');
      expect(elapsedMs).toBeGreaterThanOrEqual(10_000);
      expect(elapsedMs).toBeLessThan(35_000);
      // Each attempt was cut off at 10 s: at most three fit in the 30 s deadline.
      expect((await admin.stats()).calls.GetRoleCredentials).toBeLessThanOrEqual(3);
    } finally {
      await admin.knobs({ latencyMs: 0 });
    }
    await expectCredentials(operator, account.accountId, roleName);
    expect(await (await operator.get('/api/session')).json()).toMatchObject({ signedIn: true, user: 'operator' });
  }, 60_000);
});

describe('the session store (Redis, with persistence) stopped and restarted', SIDE_BY_SIDE, () => {
  const directory = organisation();
  let emulator: RunningEmulator;
  let redis: RunningRedis;
  let portal: RunningPortal;
  let operator: PortalClient;
  const account = accountsOfUser(directory, 'operator')[0]!;
  const roleName = [...rolesOfUser(directory, 'operator', account.accountId)].sort()[0]!;

  beforeAll(async () => {
    emulator = await createEmulator({ port: 0, seed: 9, directory });
    redis = await startRedis({ persist: true });
    portal = await startPortal({
      emulatorPort: emulator.port,
      env: { REDIS_URL: redis.url, SESSION_SECRET: 'faults-test-session-secret-0123456789abcdef', IDC_RATE_LIMIT: '200' },
    });
    operator = await signIn(portal.url, emulator, 'operator');
    await expectCompleteListing(operator, directory, 'operator');
  });
  afterAll(async () => {
    await portal?.stop();
    await redis?.stop();
    await emulator?.close();
  });

  step('while Redis is down the API answers 503 store_unavailable; after it returns the same session goes on', async () => {
    const client = redis.client();
    const sessionKeys = async () => (await client.keys('gatehouse:session:*')).sort();
    const before = await sessionKeys();
    expect(before.length).toBeGreaterThanOrEqual(1);
    client.disconnect();

    await redis.halt();
    const stranger = new PortalClient(portal.url);
    const answers: [string, Promise<Response>][] = [
      ['GET /api/session', operator.get('/api/session')],
      ['GET /api/accounts', operator.get('/api/accounts')],
      ['GET /api/accounts/stream', operator.get('/api/accounts/stream')],
      ['GET /api/favorites', operator.get('/api/favorites')],
      ['POST /api/credentials', operator.post('/api/credentials', { accountId: account.accountId, roleName })],
      ['POST /api/accounts/refresh', operator.post('/api/accounts/refresh')],
      ['POST /api/auth/device', stranger.post('/api/auth/device')],
    ];
    for (const [what, answer] of answers) {
      const response = await answer;
      expect(response.status, what).toBe(503);
      await expectUnavailable(response, 'store_unavailable');
    }
    await expectTryAgainPage(await operator.get(`/console/${account.accountId}/${roleName}`));
    // A page is a 500 with nothing of the failure in it (the browser shows app/error.tsx: tests/e2e/error-pages.spec.ts).
    const page = await operator.get('/activity');
    expect(page.status).toBe(500);
    expect(await page.text()).not.toMatch(/\n\s+at |node_modules|\.ts:\d|Redis|ECONNREFUSED/);
    // The process itself is alive.
    expect((await fetch(`${portal.url}/api/health`)).status).toBe(200);
    // The cookie was kept: a store outage is not a sign-out.
    expect(operator.cookies.size).toBe(1);

    await redis.start();
    const session = await until('the session to answer again', async () => {
      const response = await operator.get('/api/session');
      return response.status === 200 ? ((await response.json()) as { signedIn: boolean; user?: string }) : undefined;
    }, { timeoutMs: 15_000, intervalMs: 200, retryErrors: true });
    expect(session).toMatchObject({ signedIn: true, user: 'operator' });
    const after = redis.client();
    expect((await after.keys('gatehouse:session:*')).sort()).toEqual(before);

    await expectCredentials(operator, account.accountId, roleName);
    const accounts = await operator.get('/api/accounts');
    expect(accounts.status).toBe(200);
    await expectCompleteListing(operator, directory, 'operator');
    // A new person can sign in again too.
    await signIn(portal.url, emulator, 'developer');
  });
});
