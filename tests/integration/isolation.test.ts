import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { accountsOfUser, rolesOfUser } from '../../emulator/directory';
import { createEmulator, type RunningEmulator } from '../../emulator/server';
import type { Directory } from '../../emulator/types';
import type { ListingEvent } from '../../lib/shared/accounts';
import { emulatorAdmin } from '../../scripts/support/emulator-admin';
import { PortalClient, SESSION_COOKIE, signIn } from '../../scripts/support/portal-client';
import { type RunningPortal, startPortal } from '../../scripts/support/portal-process';
import { auditLines, awsCalls, listedAccounts, listedRoles, readListing, until } from '../support/api-session';
import { type RunningRedis, startRedis } from '../../scripts/support/redis';

/**
 * Person A (operator) can never read or use person B's (developer) session, listing, favorites or
 * credentials: with warm caches, on two instances sharing one Redis, and under interleaved
 * concurrent requests. Asking for an account or role one does not have is refused before any call
 * to AWS, and audited.
 */

const A = 'operator';
const B = 'developer';

describe('isolation between people', () => {
  let emulator: RunningEmulator;
  let redis: RunningRedis;
  let first: RunningPortal;
  let second: RunningPortal;
  let directory: Directory;
  /** Each person's client on each instance (same cookie). */
  const clients: Record<string, [PortalClient, PortalClient]> = {};

  const ownAccounts = (user: string) => accountsOfUser(directory, user).map((account) => account.accountId).sort();
  const output = () => first.output() + second.output();

  /** Every account and role of the stream belongs to `user`, and every one of theirs is there. */
  function expectListingOf(user: string, events: ListingEvent[]): void {
    expect(listedAccounts(events).sort()).toEqual(ownAccounts(user));
    const roles = listedRoles(events);
    expect([...roles.keys()].sort()).toEqual(ownAccounts(user));
    for (const [accountId, names] of roles) expect(names).toEqual([...rolesOfUser(directory, user, accountId)].sort());
    expect(events).toContainEqual({ type: 'identity', userName: user });
  }

  beforeAll(async () => {
    emulator = await createEmulator({ port: 0 });
    directory = emulator.ctx.directory;
    redis = await startRedis();
    const env = { REDIS_URL: redis.url, SESSION_SECRET: 'isolation-test-session-secret-0123456789abcdef', IDC_RATE_LIMIT: '500' };
    [first, second] = await Promise.all([startPortal({ emulatorPort: emulator.port, env }), startPortal({ emulatorPort: emulator.port, env })]);
    // The first instance's services are built by a page, the second's by a route handler: Next.js
    // bundles them apart, and sessions must end the same way (401, never a 500) in both.
    expect((await fetch(`${first.url}/accounts`, { redirect: 'manual' })).status).toBe(307);
    const a = await signIn(first.url, emulator, A);
    const b = await signIn(second.url, emulator, B);
    clients[A] = [a, a.on(second.url)];
    clients[B] = [b.on(first.url), b];
  });
  afterAll(async () => {
    await Promise.all([first?.stop(), second?.stop()]);
    await redis?.stop();
    await emulator?.close();
  });

  const on = (user: string, instance: 0 | 1) => clients[user]![instance];

  it('with warm caches: A lists, B lists, A lists again, on either instance, and each sees only their own', async () => {
    const a1 = await readListing(await on(A, 0).get('/api/accounts/stream'));
    expect(a1[0]).toMatchObject({ type: 'start', cached: false });
    expectListingOf(A, a1);

    // B on the instance whose memory holds A's listing.
    const b1 = await readListing(await on(B, 0).get('/api/accounts/stream'));
    expect(b1[0]).toMatchObject({ type: 'start', cached: false });
    expectListingOf(B, b1);

    // Both cached now, on both instances (the cache is in the shared store).
    for (const instance of [0, 1] as const) {
      for (const user of [A, B]) {
        const events = await readListing(await on(user, instance).get('/api/accounts/stream'));
        expect(events[0]).toMatchObject({ type: 'start', cached: true });
        expect(listedAccounts(events).sort()).toEqual(ownAccounts(user));
        const roles = listedRoles(events);
        for (const [accountId, names] of roles) expect(names).toEqual([...rolesOfUser(directory, user, accountId)].sort());

        const accounts = (await (await on(user, instance).get('/api/accounts')).json()) as { accounts: { accountId: string }[] };
        expect(accounts.accounts.map((account) => account.accountId).sort()).toEqual(ownAccounts(user));
        const session = (await (await on(user, instance).get('/api/session')).json()) as { user?: string };
        expect(session.user).toBe(user);
      }
    }
  });

  it('keeps favorites per person: B never sees A\'s stars, and cannot star what is only A\'s', async () => {
    const shared = ownAccounts(B)[0]!;
    const onlyA = ownAccounts(A).find((id) => !ownAccounts(B).includes(id))!;
    const roleOfA = [...rolesOfUser(directory, A, shared)].sort()[0]!;
    const starred = await on(A, 0).post('/api/favorites', { kind: 'role', accountId: shared, roleName: roleOfA, starred: true });
    expect(starred.status).toBe(200);
    expect(((await starred.json()) as { roles: string[] }).roles).toContain(`${shared}/${roleOfA}`);
    expect((await on(A, 1).post('/api/favorites', { kind: 'account', accountId: onlyA, starred: true })).status).toBe(200);

    for (const instance of [0, 1] as const) {
      const favorites = (await (await on(B, instance).get('/api/favorites')).json()) as { accounts: string[]; roles: string[] };
      expect(favorites.roles).not.toContain(`${shared}/${roleOfA}`);
      expect(favorites.accounts).not.toContain(onlyA);
    }

    const before = auditLines(output()).filter((line) => line.event === 'authz_fail').length;
    const foreignAccount = await on(B, 0).post('/api/favorites', { kind: 'account', accountId: onlyA, starred: true });
    expect(foreignAccount.status).toBe(404);
    // A role A has in an account B also has: still not B's role.
    expect(rolesOfUser(directory, B, shared)).not.toContain(roleOfA);
    const foreignRole = await on(B, 1).post('/api/favorites', { kind: 'role', accountId: shared, roleName: roleOfA, starred: true });
    expect(foreignRole.status).toBe(404);
    await until('two authz_fail lines', () => (auditLines(output()).filter((line) => line.event === 'authz_fail').length >= before + 2 ? true : undefined));
    const mine = (await (await on(B, 0).get('/api/favorites')).json()) as { accounts: string[]; roles: string[] };
    expect(mine).toMatchObject({ accounts: [], roles: [] });
  });

  it('refuses accounts and roles one does not have without calling AWS, and audits each refusal with who and what', async () => {
    const shared = ownAccounts(B)[0]!;
    const onlyA = ownAccounts(A).find((id) => !ownAccounts(B).includes(id))!;
    const roleOfAOnly = [...rolesOfUser(directory, A, shared)].find((role) => !rolesOfUser(directory, B, shared).includes(role))!;
    const roleOfBOnly = [...rolesOfUser(directory, B, shared)].find((role) => !rolesOfUser(directory, A, shared).includes(role))!;
    const roleInOnlyA = [...rolesOfUser(directory, A, onlyA)][0]!;

    const attempts: { user: string; instance: 0 | 1; send: (client: PortalClient) => Promise<Response>; status: number; accountId: string; roleName?: string }[] = [
      { user: B, instance: 0, send: (c) => c.post('/api/credentials', { accountId: onlyA, roleName: roleInOnlyA }), status: 403, accountId: onlyA, roleName: roleInOnlyA },
      { user: B, instance: 1, send: (c) => c.post('/api/credentials', { accountId: shared, roleName: roleOfAOnly }), status: 403, accountId: shared, roleName: roleOfAOnly },
      { user: A, instance: 0, send: (c) => c.post('/api/credentials?format=env', { accountId: shared, roleName: roleOfBOnly }), status: 403, accountId: shared, roleName: roleOfBOnly },
      { user: B, instance: 1, send: (c) => c.post('/api/console', { accountId: onlyA, roleName: roleInOnlyA }), status: 403, accountId: onlyA, roleName: roleInOnlyA },
      { user: A, instance: 1, send: (c) => c.get(`/console/${shared}/${roleOfBOnly}`), status: 403, accountId: shared, roleName: roleOfBOnly },
      { user: B, instance: 0, send: (c) => c.get(`/api/accounts/${onlyA}/roles`), status: 404, accountId: onlyA },
      { user: B, instance: 1, send: (c) => c.post('/api/credentials', { accountId: '000000000000', roleName: roleInOnlyA }), status: 403, accountId: '000000000000', roleName: roleInOnlyA },
    ];

    const callsBefore = awsCalls(await emulatorAdmin(emulator).calls());
    const linesBefore = auditLines(output()).filter((line) => line.event === 'authz_fail').length;
    for (const attempt of attempts) {
      const response = await attempt.send(on(attempt.user, attempt.instance));
      expect(response.status, `${attempt.user} → ${attempt.accountId}/${attempt.roleName ?? ''}`).toBe(attempt.status);
      expect(await response.text()).not.toContain('ASIA');
    }
    expect(awsCalls(await emulatorAdmin(emulator).calls())).toEqual(callsBefore);

    const refusals = await until('an authz_fail line per refusal', () => {
      const lines = auditLines(output()).filter((line) => line.event === 'authz_fail').slice(linesBefore);
      return lines.length >= attempts.length ? lines : undefined;
    });
    expect(refusals).toHaveLength(attempts.length);
    for (const attempt of attempts) {
      expect(refusals).toContainEqual(
        expect.objectContaining({ user: attempt.user, accountId: attempt.accountId, ...(attempt.roleName ? { roleName: attempt.roleName } : {}) }),
      );
    }
    // Nobody got anything.
    expect(auditLines(output()).filter((line) => line.event === 'credentials_issued' || line.event === 'console_signin')).toEqual([]);
  });

  it('takes the person only from their own session: no identity from the body, query or headers', async () => {
    const shared = ownAccounts(B)[0]!;
    const roleOfB = [...rolesOfUser(directory, B, shared)].sort()[0]!;
    // A strict body: naming someone else is not a field.
    expect((await on(A, 0).post('/api/credentials', { accountId: shared, roleName: roleOfB, userName: B })).status).toBe(400);
    // Nothing but the cookie makes a request someone's, middleware-skipping headers included.
    const forged = new PortalClient(second.url);
    forged.cookies.set(SESSION_COOKIE, 'A'.repeat(43));
    for (const base of [first.url, second.url]) {
      forged.baseUrl = base;
      expect((await forged.get('/api/accounts')).status, base).toBe(401);
      expect((await forged.post('/api/credentials', { accountId: shared, roleName: roleOfB })).status, base).toBe(401);
      expect((await forged.get('/accounts')).status, base).toBe(307);
      forged.cookies.set(SESSION_COOKIE, 'A'.repeat(43));
    }
    const anonymous = new PortalClient(first.url);
    const spoofs: Record<string, string>[] = [
      { 'x-middleware-subrequest': 'middleware' },
      { 'x-middleware-subrequest': 'proxy:proxy:proxy:proxy:proxy' },
      { 'x-forwarded-user': B },
    ];
    for (const headers of spoofs) {
      for (const path of ['/api/accounts', '/api/favorites', `/api/accounts/${shared}/roles`, '/api/aws-config']) {
        expect((await anonymous.get(`${path}?user=${B}`, headers)).status).toBe(401);
      }
      expect((await anonymous.post('/api/credentials', { accountId: shared, roleName: roleOfB }, headers)).status).toBe(401);
    }
  });

  it('answers 100 interleaved concurrent requests from A and B across both instances, each with the caller\'s own data', async () => {
    const byPerson: Record<string, { accounts: string[]; client: (instance: 0 | 1) => PortalClient }> = {
      [A]: { accounts: ownAccounts(A), client: (instance: 0 | 1) => on(A, instance) },
      [B]: { accounts: ownAccounts(B), client: (instance: 0 | 1) => on(B, instance) },
    };
    type Check = () => Promise<void>;
    const requestFor = (user: string, index: number): Check => {
      const instance = (index % 2) as 0 | 1;
      const client = byPerson[user]!.client(instance);
      const accounts = byPerson[user]!.accounts;
      const accountId = accounts[index % accounts.length]!;
      const roles = [...rolesOfUser(directory, user, accountId)].sort();
      switch (index % 6) {
        case 0:
          return async () => {
            const body = (await (await client.get('/api/accounts')).json()) as { accounts: { accountId: string }[] };
            expect(body.accounts.map((account) => account.accountId).sort()).toEqual(accounts);
          };
        case 1:
          return async () => {
            const body = (await (await client.get(`/api/accounts/${accountId}/roles`)).json()) as { roles: { roleName: string }[] };
            expect(body.roles.map((role) => role.roleName)).toEqual(roles);
          };
        case 2:
          return async () => {
            const response = await client.post('/api/credentials', { accountId, roleName: roles[0] });
            expect(response.status).toBe(200);
            const { accessKeyId } = (await response.json()) as { accessKeyId: string };
            // The emulator knows whose sign-in these credentials came from.
            const issued = emulator.ctx.roleCredentials.get(accessKeyId);
            expect(issued).toMatchObject({ userName: user, accountId, roleName: roles[0] });
          };
        case 3:
          return async () => {
            const events = await readListing(await client.get('/api/accounts/stream'));
            expect(listedAccounts(events).sort()).toEqual(accounts);
          };
        case 4:
          return async () => {
            const body = (await (await client.get('/api/session')).json()) as { user?: string };
            expect(body.user).toBe(user);
          };
        default:
          return async () => {
            const text = await (await client.get('/api/aws-config')).text();
            const ids = [...text.matchAll(/^sso_account_id = (\d{12})$/gm)].map((match) => match[1]);
            expect([...new Set(ids)].sort()).toEqual(accounts);
          };
      }
    };
    const checks: Check[] = [];
    for (let index = 0; index < 50; index += 1) checks.push(requestFor(A, index), requestFor(B, index));
    const results = await Promise.allSettled(checks.map((check) => check()));
    const failures = results.flatMap((result, index) => (result.status === 'rejected' ? [`#${index}: ${String(result.reason)}`] : []));
    expect(failures).toEqual([]);
  });
});
