import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { RegisterClientCommand, StartDeviceAuthorizationCommand, SSOOIDCClient } from '@aws-sdk/client-sso-oidc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createEmulator, type RunningEmulator } from '../../emulator/server';
import { PortalClient } from '../support/browserless-client';
import { type RunningPortal, startPortal } from '../support/portal';
import { type RunningRedis, startRedis } from '../support/redis';

/**
 * The canary test: the emulator writes one marker into every access token, refresh token, client
 * secret and device code it issues. After sign-in, use, errors and sign-out, the marker must not
 * appear in any response (body or header), any log line, or any value in the store.
 */

const MARKER = `CANARY${randomBytes(6).toString('hex')}`;
const SESSION_COOKIE = '__Host-gatehouse-session';

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
  const pages = ['/', '/sign-in', '/accounts', '/does-not-exist'];
  const crawl = async (label: string) => {
    for (const page of pages) {
      await record(seen, `${label} GET ${page}`, await client.get(page));
      await record(seen, `${label} RSC ${page}`, await client.get(page, { rsc: '1' }));
    }
    await record(seen, `${label} GET /api/session`, await client.get('/api/session'));
  };

  await crawl('signed out');
  const start = await record(seen, 'POST /api/auth/device', await client.post('/api/auth/device'));
  const { userCode } = (await start.json()) as { userCode: string };
  await record(seen, 'poll pending', await client.post('/api/auth/device/poll'));
  emulator.admin.approve(userCode, 'operator');
  const deadline = Date.now() + 20_000;
  for (;;) {
    const poll = await record(seen, 'poll', await client.post('/api/auth/device/poll'));
    const { status, retryAfterMs } = (await poll.json()) as { status: string; retryAfterMs?: number };
    if (status === 'approved') break;
    if (Date.now() > deadline) throw new Error(`sign-in did not complete (${status})`);
    await new Promise((resolve) => setTimeout(resolve, Math.min(retryAfterMs ?? 500, 1000)));
  }
  expect(client.cookies.get(SESSION_COOKIE)).toBeDefined();
  await crawl('signed in');

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
  return seen;
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
    const portal = await startPortal({ emulatorPort: emulator.port, dataDir, env: { LOG_LEVEL: 'trace' } });
    let seen: Seen[];
    try {
      seen = await exercisePortal(portal, emulator);
    } finally {
      await portal.stop();
    }
    expect(seen.length).toBeGreaterThan(20);
    expectNoMarker(seen);
    expectNoMarker([{ what: 'portal log', text: portal.output() }]);

    const files = readdirSync(dataDir).filter((file) => file.startsWith('gatehouse.sqlite'));
    expect(files).toContain('gatehouse.sqlite');
    const stored = files.map((file) => ({ what: file, text: readFileSync(path.join(dataDir, file)).toString('latin1') }));
    // The store does hold the (sealed) client registration: there is something to search.
    expect(stored.some((file) => file.text.includes('oidc-client:'))).toBe(true);
    expectNoMarker(stored);
  });

  it('with the Redis store: not in any response, log line or stored value', async () => {
    const portal = await startPortal({
      emulatorPort: emulator.port,
      env: { REDIS_URL: redis.url, SESSION_SECRET: 'canary-test-session-secret-0123456789abcdef', LOG_LEVEL: 'trace' },
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
    const values = await Promise.all(keys.map(async (key) => ({ what: key, text: `${key} ${(await redisClient.get(key)) ?? ''}` })));
    expectNoMarker(values);
  });
});
