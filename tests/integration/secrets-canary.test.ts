import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { RegisterClientCommand, StartDeviceAuthorizationCommand, SSOOIDCClient } from '@aws-sdk/client-sso-oidc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { accountsOfUser, rolesOfUser } from '../../emulator/directory';
import { createEmulator, type RunningEmulator } from '../../emulator/server';
import { PortalClient, SESSION_COOKIE, signIn } from '../../scripts/support/portal-client';
import { type RunningPortal, startPortal } from '../../scripts/support/portal-process';
import { type RunningRedis, startRedis } from '../../scripts/support/redis';
import { cli, terminalLogin } from '../support/terminal-api';

/**
 * The canary test: the emulator writes one marker into every access token, refresh token, client
 * secret and device code it issues. After sign-in, use, errors and sign-out, the marker must not
 * appear in any response (body or header), any log line, or any value in the store.
 */

const MARKER = `CANARY${randomBytes(6).toString('hex')}`;

interface Seen {
  what: string;
  text: string;
}

async function record(seen: Seen[], what: string, response: Response): Promise<Response> {
  const headers = [...response.headers].map(([name, value]) => `${name}: ${value}`).join('\n');
  const body = await response.clone().text();
  seen.push({ what, text: `${headers}\n\n${body}` });
  return response;
}

async function exercisePortal(portal: RunningPortal, emulator: RunningEmulator): Promise<Seen[]> {
  const seen: Seen[] = [];
  const client = new PortalClient(portal.url);
  const pages = ['/', '/sign-in', '/accounts', '/activity', '/does-not-exist'];
  const crawl = async (label: string) => {
    for (const page of pages) {
      await record(seen, `${label} GET ${page}`, await client.get(page));
      await record(seen, `${label} RSC ${page}`, await client.get(page, { rsc: '1' }));
    }
    await record(seen, `${label} GET /api/session`, await client.get('/api/session'));
  };

  await crawl('signed out');
  await signIn(client, emulator, 'operator', {
    onStarted: async (start) => {
      await record(seen, 'POST /api/auth/device', start);
      await record(seen, 'poll pending', await client.post('/api/auth/device/poll'));
    },
    onPoll: (poll) => record(seen, 'poll', poll),
  });
  expect(client.cookies.get(SESSION_COOKIE)).toBeDefined();
  await crawl('signed in');
  await exerciseSignedIn(client, emulator, seen);
  await crawl('after use');

  // Error paths.
  await record(seen, 'bad JSON', await client.post('/api/auth/device', '{oops'));
  await record(seen, 'extra field', await client.post('/api/auth/device/poll', { deviceCode: 'guess' }));
  await record(seen, 'foreign origin', await client.post('/api/auth/logout', {}, { origin: 'https://evil.example' }));
  const forged = new PortalClient(portal.url);
  forged.cookies.set(SESSION_COOKIE, 'A'.repeat(43));
  await record(seen, 'forged cookie session', await forged.get('/api/session'));
  await record(seen, 'forged cookie poll', await forged.post('/api/auth/device/poll'));

  // A second flow started while signed in, then sign-out and replay.
  await record(seen, 'second flow', await client.post('/api/auth/device'));
  const cookie = client.cookies.get(SESSION_COOKIE) as string;
  await record(seen, 'sign out', await client.post('/api/auth/logout'));
  const replay = new PortalClient(portal.url);
  replay.cookies.set(SESSION_COOKIE, cookie);
  await record(seen, 'replay session', await replay.get('/api/session'));
  await record(seen, 'replay sign out', await replay.post('/api/auth/logout'));
  await exerciseTerminal(portal, emulator, seen);
  return seen;
}

/**
 * The terminal's side, as the `gatehouse` command uses it: sign-in through the portal, the session,
 * the listing, credentials in every format (fresh and cached), the console link, the profiles for
 * ~/.aws/config, a role not assigned, a bearer token sent where a cookie is expected, sign-out and replay.
 */
async function exerciseTerminal(portal: RunningPortal, emulator: RunningEmulator, seen: Seen[]): Promise<void> {
  const started = await record(seen, 'terminal login', await cli(portal, '/api/cli/login', undefined, {}));
  const { loginToken } = (await started.json()) as { loginToken: string };
  await record(seen, 'terminal poll pending', await cli(portal, '/api/cli/login/poll', loginToken, {}));
  const token = await terminalLogin(portal, emulator, 'operator');
  const directory = emulator.ctx.directory;
  const account = accountsOfUser(directory, 'operator')[0]!;
  const role = { accountId: account.accountId, roleName: [...rolesOfUser(directory, 'operator', account.accountId)].sort()[0]! };
  const call = async (what: string, path: string, body?: unknown, bearer = token) => record(seen, `terminal ${what}`, await cli(portal, path, bearer, body));

  expect((await call('session', '/api/cli/session')).status).toBe(200);
  expect((await call('accounts', '/api/cli/accounts')).status).toBe(200);
  for (const format of ['', 'env', 'fish', 'powershell', 'ini', 'process', 'process']) {
    const query = format ? `?format=${format}` : '';
    expect((await call(`credentials ${format || 'json'}`, `/api/cli/credentials${query}`, { ...role, region: 'eu-west-1' })).status).toBe(200);
  }
  await call('credentials 400', '/api/cli/credentials', { accountId: '1', roleName: 'x\ny' });
  await call('credentials 403', '/api/cli/credentials', { accountId: '000000000000', roleName: 'Admin' });
  expect((await call('console', '/api/cli/console', { ...role, destination: '/ec2/home' })).status).toBe(200);
  expect((await call('profiles', '/api/cli/aws-config-profiles')).status).toBe(200);
  await call('poll with a session token', '/api/cli/login/poll', {});
  await record(seen, 'terminal bearer on a browser route', await fetch(`${portal.url}/api/session`, { headers: { authorization: `Bearer ${token}` } }));
  expect((await call('logout', '/api/cli/logout', {})).status).toBe(200);
  expect((await call('replay', '/api/cli/credentials', role)).status).toBe(401);
}

/**
 * Everything a signed-in person can reach, and its error paths: the listing, accounts and roles,
 * favorites, credentials in every format, the console (API and shortcut), the config export, the
 * Activity page; 400, 403/404 and 429 answers.
 */
async function exerciseSignedIn(client: PortalClient, emulator: RunningEmulator, seen: Seen[]): Promise<void> {
  const directory = emulator.ctx.directory;
  const account = accountsOfUser(directory, 'operator')[0]!;
  const roleName = [...rolesOfUser(directory, 'operator', account.accountId)].sort()[0]!;
  const role = { accountId: account.accountId, roleName };
  const developerOnly = accountsOfUser(directory, 'developer')
    .flatMap((candidate) => rolesOfUser(directory, 'developer', candidate.accountId).map((name) => ({ accountId: candidate.accountId, roleName: name })))
    .find((candidate) => !rolesOfUser(directory, 'operator', candidate.accountId).includes(candidate.roleName))!;
  const get = async (what: string, path: string, headers: Record<string, string> = {}) => record(seen, what, await client.get(path, headers));
  const post = async (what: string, path: string, body: unknown = {}) => record(seen, what, await client.post(path, body));

  const stream = await get('listing stream', '/api/accounts/stream');
  expect((await stream.text()).trim().split('\n').at(-1)).toContain('"type":"done"');
  await get('listing stream (cached)', '/api/accounts/stream');
  await (await post('listing refresh', '/api/accounts/refresh')).text();
  await get('accounts', '/api/accounts');
  await get('roles', `/api/accounts/${account.accountId}/roles`);
  await get('roles 400', '/api/accounts/12345/roles');
  await get('roles 404', '/api/accounts/000000000000/roles');

  await get('favorites', '/api/favorites');
  await post('star a role', '/api/favorites', { kind: 'role', ...role, starred: true });
  await post('star 404', '/api/favorites', { kind: 'account', accountId: '000000000000', starred: true });
  await post('star 400', '/api/favorites', { kind: 'role', accountId: account.accountId, roleName: '../x', starred: true });

  for (const format of ['', 'env', 'env-no-export', 'fish', 'powershell', 'windows-cmd', 'ini', 'dotenv', 'process']) {
    const response = await post(`credentials ${format || 'json'}`, `/api/credentials${format ? `?format=${format}` : ''}`, {
      ...role,
      ...(format ? { region: 'eu-west-1' } : {}),
      ...(format === 'ini' ? { profileName: 'canary' } : {}),
    });
    expect(response.status).toBe(200);
  }
  await post('credentials 400 format', '/api/credentials?format=yaml', role);
  await post('credentials 400 body', '/api/credentials', { accountId: '1', roleName: 'x\ny' });
  expect((await post('credentials 403', '/api/credentials', developerOnly)).status).toBe(403);

  expect((await post('console', '/api/console', { ...role, destination: '/ec2/home' })).status).toBe(200);
  await post('console 400', '/api/console', { ...role, destination: 'https://evil.example/' });
  expect((await post('console 403', '/api/console', developerOnly)).status).toBe(403);
  expect((await get('console shortcut', `/console/${role.accountId}/${role.roleName}?region=eu-west-1`)).status).toBe(303);
  await get('console shortcut 400', '/console/123/Admin');
  expect((await get('console shortcut 403', `/console/${developerOnly.accountId}/${developerOnly.roleName}`)).status).toBe(403);

  expect((await get('aws-config', '/api/aws-config?region=eu-west-1')).status).toBe(200);
  await get('aws-config favorites', '/api/aws-config?favorites=1');
  await get('aws-config 400', '/api/aws-config?region=mars-1');

  await get('activity', '/activity');
  await get('activity RSC', '/activity', { rsc: '1' });

  // Over budget: refused roles count too, and the refusal itself is checked like any answer.
  for (const [what, send] of [
    ['credentials', () => client.post('/api/credentials', developerOnly)],
    ['console', () => client.post('/api/console', developerOnly)],
  ] as const) {
    let response = await send();
    for (let attempt = 0; attempt < 40 && response.status !== 429; attempt += 1) response = await send();
    expect(response.status).toBe(429);
    await record(seen, `${what} 429`, response);
  }
  expect((await get('console shortcut 429', `/console/${role.accountId}/${role.roleName}`)).status).toBe(429);
}

function expectNoMarker(places: Seen[]): void {
  const leaks = places.filter((place) => place.text.includes(MARKER)).map((place) => place.what);
  expect(leaks).toEqual([]);
}

describe('secrets never leave the server', () => {
  let emulator: RunningEmulator;
  let redis: RunningRedis;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'gatehouse-canary-'));

  beforeAll(async () => {
    emulator = await createEmulator({ port: 0, secretMarker: MARKER });
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis.stop();
    await emulator.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('the emulator does mark every secret it issues (the canary is live)', async () => {
    const oidc = new SSOOIDCClient({ region: 'us-east-1', endpoint: emulator.url });
    const client = await oidc.send(new RegisterClientCommand({ clientName: 'probe', clientType: 'public' }));
    expect(client.clientSecret).toContain(MARKER);
    const device = await oidc.send(
      new StartDeviceAuthorizationCommand({
        clientId: client.clientId,
        clientSecret: client.clientSecret,
        startUrl: emulator.ctx.directory.startUrl,
      }),
    );
    expect(device.deviceCode).toContain(MARKER);
  });

  it('with the SQLite store: not in any response, log line or stored value', async () => {
    const portal = await startPortal({ emulatorPort: emulator.port, dataDir, env: { LOG_LEVEL: 'trace', IDC_RATE_LIMIT: '500' } });
    let seen: Seen[];
    try {
      seen = await exercisePortal(portal, emulator);
    } finally {
      await portal.stop();
    }
    expect(seen.length).toBeGreaterThan(80);
    expect(seen.some((place) => place.what.startsWith('terminal credentials'))).toBe(true);
    expectNoMarker(seen);
    expectNoMarker([{ what: 'portal log', text: portal.output() }]);

    const files = readdirSync(dataDir).filter((file) => file.startsWith('gatehouse.sqlite'));
    expect(files).toContain('gatehouse.sqlite');
    const stored = files.map((file) => ({ what: file, text: readFileSync(path.join(dataDir, file)).toString('latin1') }));
    // The store does hold the (sealed) client registration: there is something to search.
    expect(stored.some((file) => file.text.includes('oidc-client:'))).toBe(true);
    expectNoMarker(stored);
    // Some 130 requests and three sign-ins: more than a default test's 30 s on a busy machine.
  }, 120_000);

  it('with the Redis store: not in any response, log line or stored value', async () => {
    const portal = await startPortal({
      emulatorPort: emulator.port,
      env: { REDIS_URL: redis.url, SESSION_SECRET: 'canary-test-session-secret-0123456789abcdef', LOG_LEVEL: 'trace', IDC_RATE_LIMIT: '500' },
    });
    let seen: Seen[];
    try {
      seen = await exercisePortal(portal, emulator);
    } finally {
      await portal.stop();
    }
    expectNoMarker(seen);
    expectNoMarker([{ what: 'portal log', text: portal.output() }]);

    const redisClient = redis.client();
    const keys = await redisClient.keys('*');
    expect(keys.some((key) => key.includes('oidc-client:'))).toBe(true);
    // Strings (sessions, caches, favorites, counters), lists (the newest events), sorted sets and hashes (each person's trail) alike.
    const read = async (key: string, type: string): Promise<string> => {
      switch (type) {
        case 'list':
          return (await redisClient.lrange(key, 0, -1)).join('\n');
        case 'zset':
          return (await redisClient.zrange(key, 0, -1)).join('\n');
        case 'hash':
          return Object.entries(await redisClient.hgetall(key)).flat().join('\n');
        case 'string':
          return (await redisClient.get(key)) ?? '';
        default:
          throw new Error(`a key of a type this test does not read: ${type} ${key}`);
      }
    };
    const values = await Promise.all(
      keys.map(async (key) => {
        const type = await redisClient.type(key);
        return { what: `${type} ${key}`, text: `${key} ${await read(key, type)}` };
      }),
    );
    expect(values.some((value) => value.what.startsWith('list ') && value.text.includes('credentials_issued'))).toBe(true);
    expect(values.some((value) => value.what.startsWith('hash ') && value.text.includes('credentials_issued'))).toBe(true);
    expectNoMarker(values);
  }, 120_000);
});
