import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createEmulator, type RunningEmulator } from '../../emulator/server';
import { pollSignIn, PortalClient, SESSION_COOKIE, signIn } from '../../scripts/support/portal-client';
import { type RunningPortal, startPortal } from '../../scripts/support/portal-process';
import { type RunningRedis, startRedis } from '../../scripts/support/redis';

interface StartedFlow {
  userCode: string;
  verificationUri: string;
  verificationUriComplete: string;
  expiresAt: string;
  intervalSeconds: number;
}

/** Signs `client` in as operator; its session cookie before the approval and after. */
async function signInWatchingCookie(client: PortalClient, emulator: RunningEmulator) {
  let preAuthCookie: string | undefined;
  await signIn(client, emulator, 'operator', { onStarted: () => (preAuthCookie = client.cookies.get(SESSION_COOKIE)) });
  return { preAuthCookie, signedInCookie: client.cookies.get(SESSION_COOKIE) };
}

describe('sign-in through the API, on the SQLite store', () => {
  let emulator: RunningEmulator;
  let portal: RunningPortal;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'gatehouse-signin-'));

  beforeAll(async () => {
    emulator = await createEmulator({ port: 0 });
    portal = await startPortal({ emulatorPort: emulator.port, dataDir });
  });
  afterAll(async () => {
    await portal.stop();
    await emulator.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts a device authorization and shows only what the person needs', async () => {
    const client = new PortalClient(portal.url);
    const response = await client.post('/api/auth/device');
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['expiresAt', 'intervalSeconds', 'userCode', 'verificationUri', 'verificationUriComplete']);
    expect(body.userCode).toMatch(/^[A-Z]{4}-[A-Z]{4}$/);
    expect(body.verificationUriComplete).toBe(`${emulator.url}/device?user_code=${String(body.userCode)}`);
    expect(new Date(String(body.expiresAt)).getTime()).toBeGreaterThan(Date.now());
  });

  it('sets a __Host- cookie that is HttpOnly, Secure, SameSite and carries only a random id', async () => {
    const response = await new PortalClient(portal.url).post('/api/auth/device');
    const cookie = response.headers.getSetCookie().find((line) => line.startsWith(`${SESSION_COOKIE}=`));
    expect(cookie).toBeDefined();
    expect(cookie).toMatch(/; Path=\//);
    expect(cookie).toMatch(/; HttpOnly/i);
    expect(cookie).toMatch(/; Secure/i);
    expect(cookie).toMatch(/; SameSite=Lax/i);
    expect(cookie).not.toMatch(/Domain=/i);
    expect(cookie?.split(';')[0]?.split('=')[1]).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('signs in, changing the session id, and reports the session', async () => {
    const client = new PortalClient(portal.url);
    const before = await client.get('/api/session');
    expect(await before.json()).toEqual({ signedIn: false });

    const { preAuthCookie, signedInCookie } = await signInWatchingCookie(client, emulator);
    expect(preAuthCookie).toBeDefined();
    expect(signedInCookie).toBeDefined();
    expect(signedInCookie).not.toBe(preAuthCookie);

    const session = await client.get('/api/session');
    expect(session.status).toBe(200);
    const body = (await session.json()) as { signedIn: boolean; expiresAt: string };
    expect(body.signedIn).toBe(true);
    expect(new Date(body.expiresAt).getTime()).toBeGreaterThan(Date.now());

    // The pre-sign-in id is dead.
    const replay = new PortalClient(portal.url);
    replay.cookies.set(SESSION_COOKIE, preAuthCookie as string);
    expect((await replay.get('/api/session')).status).toBe(401);
  });

  it('says "denied" when the person denies on the Identity Center page', async () => {
    const client = new PortalClient(portal.url);
    const flow = (await (await client.post('/api/auth/device')).json()) as StartedFlow;
    emulator.admin.deny(flow.userCode);
    expect(await pollSignIn(client)).toBe('denied');
    expect(await (await client.get('/api/session')).json()).toEqual({ signedIn: false });
  });

  it('keeps the person signed in across a restart of the portal', async () => {
    const client = new PortalClient(portal.url);
    await signIn(client, emulator, 'operator');
    await portal.stop();
    portal = await startPortal({ emulatorPort: emulator.port, dataDir });
    client.baseUrl = portal.url;
    const session = await client.get('/api/session');
    expect(session.status).toBe(200);
    expect(((await session.json()) as { signedIn: boolean }).signedIn).toBe(true);
  });

  it('signs out with a POST; the old cookie replayed gets 401', async () => {
    const client = new PortalClient(portal.url);
    const { signedInCookie } = await signInWatchingCookie(client, emulator);
    const signOut = await client.post('/api/auth/logout');
    expect(signOut.status).toBe(200);
    expect(signOut.headers.getSetCookie().join('\n')).toMatch(new RegExp(`${SESSION_COOKIE}=;.*Max-Age=0`, 'i'));
    expect(client.cookies.has(SESSION_COOKIE)).toBe(false);

    const replay = new PortalClient(portal.url);
    replay.cookies.set(SESSION_COOKIE, signedInCookie as string);
    const session = await replay.get('/api/session');
    expect(session.status).toBe(401);
    expect(await session.json()).toEqual({ error: { code: 'session_ended', message: 'Your session has ended. Sign in again.' } });
    expect((await replay.post('/api/auth/logout')).status).toBe(401);
  });

  it('does not sign out on GET', async () => {
    const client = new PortalClient(portal.url);
    await signIn(client, emulator, 'operator');
    expect((await client.get('/api/auth/logout')).status).toBe(405);
    expect(((await (await client.get('/api/session')).json()) as { signedIn: boolean }).signedIn).toBe(true);
  });

  it.each([
    ['forged', 'A'.repeat(43)],
    ['truncated', 'abc'],
    ['garbage', '%7E%2A~*!'],
    ['oversized', 'x'.repeat(3000)],
    ['non-ASCII', encodeURIComponent('ünïcødé')],
  ])('treats a %s cookie as signed out, never a 5xx', async (_label, value) => {
    const client = new PortalClient(portal.url);
    client.cookies.set(SESSION_COOKIE, value);
    const session = await client.get('/api/session');
    expect(session.status).toBe(401);
    const poll = await client.post('/api/auth/device/poll');
    expect(poll.status).toBe(200);
    expect(await poll.json()).toEqual({ status: 'expired' });
    const page = await client.get('/accounts');
    expect(page.status).toBeLessThan(500);
  });

  it.each([
    ['a foreign Origin', { origin: 'https://evil.example' }],
    ['a null Origin', { origin: 'null' }],
    ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }],
  ])('refuses to start a sign-in from %s', async (_label, headers) => {
    const response = await new PortalClient(portal.url).post('/api/auth/device', {}, headers);
    expect(response.status).toBe(403);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('forbidden_origin');
  });

  it('refuses a non-JSON body and unknown fields with a 4xx in the error shape', async () => {
    const client = new PortalClient(portal.url);
    const text = await client.post('/api/auth/device', '{}', { 'content-type': 'text/plain' });
    expect(text.status).toBe(415);
    const extra = await client.post('/api/auth/device', { deviceCode: 'x' });
    expect(extra.status).toBe(400);
    expect(await extra.json()).toEqual({ error: { code: 'bad_request', message: 'The request body does not have the expected fields (it takes no fields).' } });
    const broken = await client.post('/api/auth/device', '{not json');
    expect(broken.status).toBe(400);
  });
});

describe('two portal instances sharing one Redis', () => {
  let emulator: RunningEmulator;
  let redis: RunningRedis;
  let first: RunningPortal;
  let second: RunningPortal;

  beforeAll(async () => {
    emulator = await createEmulator({ port: 0 });
    redis = await startRedis();
    const env = { REDIS_URL: redis.url, SESSION_SECRET: 'shared-secret-for-the-two-instances-0123456789' };
    [first, second] = await Promise.all([
      startPortal({ emulatorPort: emulator.port, env }),
      startPortal({ emulatorPort: emulator.port, env }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([first.stop(), second.stop()]);
    await redis.stop();
    await emulator.close();
  });

  it('signs in through one, uses the session through the other, signs out through one, and the other answers 401', async () => {
    const client = new PortalClient(first.url);
    await signIn(client, emulator, 'operator');

    client.baseUrl = second.url;
    const session = await client.get('/api/session');
    expect(session.status).toBe(200);
    expect(((await session.json()) as { signedIn: boolean }).signedIn).toBe(true);

    const cookie = client.cookies.get(SESSION_COOKIE) as string;
    expect((await client.post('/api/auth/logout')).status).toBe(200);

    const other = new PortalClient(first.url);
    other.cookies.set(SESSION_COOKIE, cookie);
    expect((await other.get('/api/session')).status).toBe(401);
  });

  it('polls a flow started on one instance through the other', async () => {
    const client = new PortalClient(first.url);
    const flow = (await (await client.post('/api/auth/device')).json()) as StartedFlow;
    emulator.admin.approve(flow.userCode, 'developer');
    client.baseUrl = second.url;
    expect(await pollSignIn(client)).toBe('approved');
    client.baseUrl = first.url;
    expect(((await (await client.get('/api/session')).json()) as { signedIn: boolean }).signedIn).toBe(true);
  });

  it('keeps no session id or token readable in Redis', async () => {
    const client = new PortalClient(first.url);
    await signIn(client, emulator, 'operator');
    const cookie = client.cookies.get(SESSION_COOKIE) as string;
    const keys = await redis.client().keys('*');
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) expect(key).not.toContain(cookie);
  });
});
