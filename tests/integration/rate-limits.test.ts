import { randomInt } from 'node:crypto';
import { request as httpRequest } from 'node:http';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { accountsOfUser, rolesOfUser } from '../../emulator/directory';
import { createEmulator, type RunningEmulator } from '../../emulator/server';
import { emulatorAdmin } from '../../scripts/support/emulator-admin';
import { PortalClient, SESSION_COOKIE, signIn } from '../../scripts/support/portal-client';
import { type RunningPortal, startPortal } from '../../scripts/support/portal-process';
import { auditLines, awsCalls, readListing, until } from '../support/api-session';
import { type RunningRedis, startRedis } from '../../scripts/support/redis';
import { cli, terminalLogin } from '../support/terminal-api';

/**
 * Request budgets (lib/server/http/rate-limit.ts): per session and per client address, in fixed
 * one-minute windows kept in the store, so every instance sharing the store counts together.
 * Over budget: 429 with Retry-After in the error shape, no call to AWS, one `rate_limited` line.
 * The client address is the connection's own; X-Forwarded-For counts only as far as
 * TRUSTED_PROXY_COUNT proxies vouch for it.
 */

const BUDGET = { signInPerSession: 10, signInPerAddress: 30, pollPerSession: 120, credentialsPerSession: 30, consolePerSession: 30 };
const WINDOW_MS = 60_000;

/**
 * Runs a burst and returns what it saw. The windows are fixed wall-clock minutes: a burst that
 * happened to straddle two of them is run once more (the second run starts in a fresh window).
 */
async function inOneWindow<T>(burst: () => Promise<T>): Promise<T> {
  const window = Math.floor(Date.now() / WINDOW_MS);
  const first = await burst();
  if (Math.floor(Date.now() / WINDOW_MS) === window) return first;
  return burst();
}

async function expectRateLimited(response: Response): Promise<void> {
  expect(response.status).toBe(429);
  const retryAfter = Number(response.headers.get('retry-after'));
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect(response.headers.get('content-type')).toContain('application/json');
  expect(response.headers.get('cache-control')).toBe('no-store');
  expect(await response.json()).toEqual({ error: { code: 'rate_limited', message: 'Too many requests. Wait a moment and try again.' } });
}

/** The same person (cookie jar) talking to another instance. */
function at(client: PortalClient, portal: RunningPortal): PortalClient {
  client.baseUrl = portal.url;
  return client;
}

/** 127.x.y.z: every one of them reaches a server on 127.0.0.1, each a different client address. */
const loopbackAddress = () => `127.${randomInt(1, 255)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;

/** A same-origin JSON POST sent from a chosen local address (fetch cannot choose one). */
function postFrom(localAddress: string, baseUrl: string, path: string, headers: Record<string, string>): Promise<Response> {
  return new Promise((resolve, reject) => {
    const body = '{}';
    const request = httpRequest(
      new URL(path, baseUrl),
      {
        method: 'POST',
        localAddress,
        headers: { origin: baseUrl, 'sec-fetch-site': 'same-origin', 'content-type': 'application/json', 'content-length': '2', ...headers },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const answer = new Headers();
          for (const [name, value] of Object.entries(response.headers)) {
            for (const item of Array.isArray(value) ? value : value === undefined ? [] : [value]) answer.append(name, item);
          }
          resolve(new Response(Buffer.concat(chunks), { status: response.statusCode ?? 0, headers: answer }));
        });
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

const randomAddress = () => `${randomInt(1, 224)}.${randomInt(0, 256)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;

describe('request budgets', () => {
  let emulator: RunningEmulator;
  let redis: RunningRedis;
  /** Two instances sharing one Redis. */
  let first: RunningPortal;
  let second: RunningPortal;
  /** Own stores: the per-address buckets are not shared with the sign-ins of the other tests. */
  let direct: RunningPortal;
  let proxied: RunningPortal;

  const rateLimitedLines = (portals: RunningPortal[], action: string, scope: string) =>
    portals.flatMap((portal) => auditLines(portal.output())).filter((line) => line.event === 'rate_limited' && line.action === action && line.scope === scope);

  /**
   * A signed-in person with their listing loaded, and one of their roles. Each comes through the
   * (trusted) proxy from an address of their own, so only their session's budget is in play.
   */
  async function developer() {
    const client = await signIn(new PortalClient(first.url, { 'x-forwarded-for': randomAddress() }), emulator, 'developer');
    await readListing(await client.get('/api/accounts/stream'));
    const account = accountsOfUser(emulator.ctx.directory, 'developer')[0]!;
    const roleName = [...rolesOfUser(emulator.ctx.directory, 'developer', account.accountId)].sort()[0]!;
    return { client, role: { accountId: account.accountId, roleName } };
  }

  beforeAll(async () => {
    emulator = await createEmulator({ port: 0 });
    redis = await startRedis();
    // Behind one trusted proxy: each test's client gets an address of its own (its own address bucket).
    const shared = {
      REDIS_URL: redis.url,
      SESSION_SECRET: 'rate-limit-test-session-secret-0123456789abcdef',
      IDC_RATE_LIMIT: '500',
      TRUSTED_PROXY_COUNT: '1',
    };
    [first, second, direct, proxied] = await Promise.all([
      startPortal({ emulatorPort: emulator.port, env: shared }),
      startPortal({ emulatorPort: emulator.port, env: shared }),
      startPortal({ emulatorPort: emulator.port }),
      startPortal({ emulatorPort: emulator.port, env: { TRUSTED_PROXY_COUNT: '1' } }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([first, second, direct, proxied].map((portal) => portal?.stop()));
    await redis?.stop();
    await emulator?.close();
  });

  it('sign-in: the session\'s budget holds across two instances; over it, 429 without asking Identity Center', async () => {
    const seen = await inOneWindow(async () => {
      // The first start creates the session (it counts for the address only, having no session yet).
      const client = new PortalClient(first.url, { 'x-forwarded-for': randomAddress() });
      expect((await client.post('/api/auth/device')).status).toBe(200);
      const statuses: number[] = [];
      for (let index = 0; index < BUDGET.signInPerSession; index += 1) {
        // The session's own budget: its cookie, on either instance.
        statuses.push((await at(client, index % 2 ? second : first).post('/api/auth/device')).status);
      }
      const cookie = client.cookies.get(SESSION_COOKIE);
      const before = awsCalls(await emulatorAdmin(emulator).calls());
      const refused = [await at(client, second).post('/api/auth/device'), await at(client, first).post('/api/auth/device')];
      expect(client.cookies.get(SESSION_COOKIE)).toBe(cookie);
      const after = awsCalls(await emulatorAdmin(emulator).calls());
      return { statuses, refused, before, after };
    });
    expect(seen.statuses).toEqual(Array(BUDGET.signInPerSession).fill(200));
    for (const response of seen.refused) await expectRateLimited(response);
    expect(seen.after).toEqual(seen.before);
    const lines = await until('a rate_limited line', () => {
      const found = rateLimitedLines([first, second], 'sign-in', 'session');
      return found.length > 0 ? found : undefined;
    });
    // One line per window and bucket, however many requests it refuses (two here).
    expect(lines.length).toBeLessThanOrEqual(2);
    expect(lines[0]).toMatchObject({ requestId: expect.any(String), time: expect.any(String) });
  });

  it('polling: 429 past the session\'s budget, across two instances, without asking Identity Center', async () => {
    const seen = await inOneWindow(async () => {
      const client = new PortalClient(first.url, { 'x-forwarded-for': randomAddress() });
      expect((await client.post('/api/auth/device')).status).toBe(200);
      const statuses: number[] = [];
      for (let index = 0; index < BUDGET.pollPerSession; index += 1) {
        statuses.push((await at(client, index % 2 ? second : first).post('/api/auth/device/poll')).status);
      }
      const before = awsCalls(await emulatorAdmin(emulator).calls());
      const refused = [await at(client, first).post('/api/auth/device/poll'), await at(client, second).post('/api/auth/device/poll')];
      return { statuses, refused, before, after: awsCalls(await emulatorAdmin(emulator).calls()) };
    });
    expect(seen.statuses).toEqual(Array(BUDGET.pollPerSession).fill(200));
    for (const response of seen.refused) await expectRateLimited(response);
    expect(seen.after).toEqual(seen.before);
    await until('a rate_limited line for polling', () => (rateLimitedLines([first, second], 'poll', 'session').length >= 1 ? true : undefined));
  });

  it('credentials: 429 past the session\'s budget, across two instances, without asking Identity Center', async () => {
    const seen = await inOneWindow(async () => {
      const { client, role } = await developer();
      const statuses: number[] = [];
      for (let index = 0; index < BUDGET.credentialsPerSession; index += 1) {
        statuses.push((await at(client, index % 2 ? second : first).post('/api/credentials', role)).status);
      }
      const before = awsCalls(await emulatorAdmin(emulator).calls());
      const refused = [
        await at(client, first).post('/api/credentials', role),
        await at(client, second).post('/api/credentials?format=env', role),
      ];
      return { statuses, refused, before, after: awsCalls(await emulatorAdmin(emulator).calls()) };
    });
    expect(seen.statuses).toEqual(Array(BUDGET.credentialsPerSession).fill(200));
    for (const response of seen.refused) await expectRateLimited(response);
    expect(seen.after).toEqual(seen.before);
    await until('a rate_limited line for credentials', () =>
      rateLimitedLines([first, second], 'credentials', 'session').length >= 1 ? true : undefined,
    );
  });

  it('terminal credentials: a burst the portal\'s cache answers passes; those that reach Identity Center spend the credentials budget', async () => {
    const address = { 'x-forwarded-for': randomAddress() };
    const token = await terminalLogin(first, emulator, 'developer', address);
    const account = accountsOfUser(emulator.ctx.directory, 'developer')[0]!;
    const roles = [...rolesOfUser(emulator.ctx.directory, 'developer', account.accountId)].sort();
    const role = { accountId: account.accountId, roleName: roles[0]! };
    const admin = emulatorAdmin(emulator);
    const burst = await inOneWindow(async () => {
      const before = await admin.calls();
      const statuses: number[] = [];
      // Twice the browser's budget, across both instances: a script running `aws` in a loop.
      for (let index = 0; index < 2 * BUDGET.credentialsPerSession; index += 1) {
        statuses.push((await cli(index % 2 ? second : first, '/api/cli/credentials', token, role, address)).status);
      }
      return { statuses, calls: ((await admin.calls()).GetRoleCredentials ?? 0) - (before.GetRoleCredentials ?? 0) };
    });
    expect(burst.statuses).toEqual(Array(2 * BUDGET.credentialsPerSession).fill(200));
    expect(burst.calls).toBeLessThanOrEqual(1);

    // Credentials too short-lived to keep: every hand-out asks Identity Center, and the budget holds.
    // (Another role: the person's terminals share what is kept, and the first role's are kept.)
    const fresh = await terminalLogin(first, emulator, 'developer', address);
    const shortLived = { accountId: account.accountId, roleName: roles[1]! };
    await admin.knobs({ roleCredentialTtlSeconds: 300 });
    try {
      const seen = await inOneWindow(async () => {
        const statuses: number[] = [];
        for (let index = 0; index < BUDGET.credentialsPerSession; index += 1) {
          statuses.push((await cli(index % 2 ? second : first, '/api/cli/credentials', fresh, shortLived, address)).status);
        }
        const before = awsCalls(await admin.calls());
        const refused = await cli(first, '/api/cli/credentials', fresh, shortLived, address);
        return { statuses, refused, before, after: awsCalls(await admin.calls()) };
      });
      expect(seen.statuses).toEqual(Array(BUDGET.credentialsPerSession).fill(200));
      await expectRateLimited(seen.refused);
      expect(seen.after).toEqual(seen.before);
    } finally {
      await admin.knobs({ roleCredentialTtlSeconds: 0 });
    }
  });

  it('console: 429 past the session\'s budget, for the API and the shortcut alike, without asking Identity Center', async () => {
    const seen = await inOneWindow(async () => {
      const { client, role } = await developer();
      const statuses: number[] = [];
      for (let index = 0; index < BUDGET.consolePerSession; index += 1) {
        const on = at(client, index % 2 ? second : first);
        const response = index % 3 === 0 ? await on.get(`/console/${role.accountId}/${role.roleName}`) : await on.post('/api/console', role);
        statuses.push(response.status === 303 ? 200 : response.status);
      }
      const before = awsCalls(await emulatorAdmin(emulator).calls());
      const api = await at(client, first).post('/api/console', role);
      const shortcut = await at(client, second).get(`/console/${role.accountId}/${role.roleName}`);
      return { statuses, api, shortcut, before, after: awsCalls(await emulatorAdmin(emulator).calls()) };
    });
    expect(seen.statuses).toEqual(Array(BUDGET.consolePerSession).fill(200));
    await expectRateLimited(seen.api);
    // The shortcut is a link a browser follows: a page, with the same Retry-After.
    expect(seen.shortcut.status).toBe(429);
    expect(Number(seen.shortcut.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(seen.shortcut.headers.get('location')).toBeNull();
    expect(seen.after).toEqual(seen.before);
    await until('a rate_limited line for the console', () => (rateLimitedLines([first, second], 'console', 'session').length >= 1 ? true : undefined));
  });

  it('without TRUSTED_PROXY_COUNT, the connection\'s address is the bucket: spoofed X-Forwarded-For (or peer) headers change nothing', async () => {
    const seen = await inOneWindow(async () => {
      // A loopback address of this attempt's own: the portal sees it as the connection's address.
      const source = loopbackAddress();
      const statuses: number[] = [];
      // No cookie: every start is a new session, so only the address's budget applies.
      const start = (from = source) =>
        postFrom(from, direct.url, '/api/auth/device', {
          'x-forwarded-for': randomAddress(),
          'x-real-ip': randomAddress(),
          forwarded: `for=${randomAddress()}`,
          'x-gatehouse-peer-address': randomAddress(),
        });
      for (let index = 0; index < BUDGET.signInPerAddress; index += 1) statuses.push((await start()).status);
      const before = awsCalls(await emulatorAdmin(emulator).calls());
      const refused = [await start(), await start(), await start()];
      const after = awsCalls(await emulatorAdmin(emulator).calls());
      return { statuses, refused, before, after, elsewhere: await start(loopbackAddress()) };
    });
    expect(seen.statuses).toEqual(Array(BUDGET.signInPerAddress).fill(200));
    for (const response of seen.refused) await expectRateLimited(response);
    expect(seen.after).toEqual(seen.before);
    // Another connection address has a budget of its own.
    expect(seen.elsewhere.status).toBe(200);
    await until('a rate_limited line for the address', () => (rateLimitedLines([direct], 'sign-in', 'address').length >= 1 ? true : undefined));
  });

  it('with TRUSTED_PROXY_COUNT=1, the last X-Forwarded-For entry is the bucket', async () => {
    const seen = await inOneWindow(async () => {
      const client = `198.51.100.${randomInt(1, 255)}`;
      const start = (forwardedFor: string) => new PortalClient(proxied.url, { 'x-forwarded-for': forwardedFor }).post('/api/auth/device');
      const statuses: number[] = [];
      for (let index = 0; index < BUDGET.signInPerAddress; index += 1) {
        // What the client put in front of the proxy's entry does not matter.
        statuses.push((await start(index % 2 ? `${randomAddress()}, ${client}` : client)).status);
      }
      return {
        statuses,
        same: await start(client),
        spoofedFirst: await start(`${randomAddress()}, ${client}`),
        other: await start(`203.0.113.${randomInt(1, 255)}`),
        otherAfterSpoof: await start(`${client}, 203.0.113.${randomInt(1, 255)}`),
      };
    });
    expect(seen.statuses).toEqual(Array(BUDGET.signInPerAddress).fill(200));
    await expectRateLimited(seen.same);
    await expectRateLimited(seen.spoofedFirst);
    expect(seen.other.status).toBe(200);
    expect(seen.otherAfterSpoof.status).toBe(200);
  });
});
