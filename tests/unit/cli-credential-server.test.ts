import { request } from 'node:http';

import { afterEach, describe, expect, it, vi } from 'vitest';

import { CredentialCache, freshEnough, isLoopbackHost, renewalMargin, type RoleCredentials, type RunningCredentialServer, startCredentialServer } from '../../cli/credential-server';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

let issued = 0;
/** A set of credentials, numbered, expiring `lifetimeMs` after `now`. */
function credentials(now: number, lifetimeMs: number): RoleCredentials {
  issued += 1;
  return { accessKeyId: `ASIA${String(issued).padStart(16, '0')}`, secretAccessKey: `secret-${issued}`, sessionToken: `token-${issued}`, expiration: new Date(now + lifetimeMs) };
}

describe('when credentials are renewed', () => {
  it('keeps them while more than max(5 minutes, a quarter of their lifetime) is left, at most half their lifetime', () => {
    expect(renewalMargin(HOUR)).toBe(15 * MINUTE);
    expect(renewalMargin(12 * HOUR)).toBe(3 * HOUR);
    expect(renewalMargin(15 * MINUTE)).toBe(5 * MINUTE);
    // Credentials that live only minutes (a test's, say) are still used for their first half.
    expect(renewalMargin(4 * MINUTE)).toBe(2 * MINUTE);
    expect(renewalMargin(20_000)).toBe(10_000);

    const c = credentials(0, HOUR);
    expect(freshEnough(c, 0, 0)).toBe(true);
    expect(freshEnough(c, 0, 45 * MINUTE - 1)).toBe(true);
    expect(freshEnough(c, 0, 45 * MINUTE)).toBe(false);
  });
});

describe('the credential cache', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('asks the portal once while the credentials are fresh, once for concurrent callers, and again when they are due', async () => {
    let now = 1_000_000;
    const fetch = vi.fn(async () => credentials(now, HOUR));
    const cache = new CredentialCache({ fetch, now: () => now });
    const [a, b, c] = await Promise.all([cache.get(), cache.get(), cache.get()]);
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(b).toBe(a);
    expect(c).toBe(a);
    now += 44 * MINUTE;
    expect(await cache.get()).toBe(a);
    now += 2 * MINUTE;
    const renewed = await cache.get();
    expect(renewed).not.toBe(a);
    expect(fetch).toHaveBeenCalledTimes(2);
    cache.stop();
  });

  it('renews in the background when they become due, so the next request does not wait for the portal', async () => {
    vi.useFakeTimers({ now: 5_000_000, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const fetch = vi.fn(async () => credentials(Date.now(), HOUR));
    const cache = new CredentialCache({ fetch });
    const first = await cache.get();
    await vi.advanceTimersByTimeAsync(45 * MINUTE - 1);
    expect(fetch).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(fetch).toHaveBeenCalledTimes(2);
    const second = await cache.get();
    expect(second).not.toBe(first);
    expect(fetch).toHaveBeenCalledTimes(2);
    // And again for the next set, 45 minutes after it came.
    await vi.advanceTimersByTimeAsync(45 * MINUTE);
    expect(fetch).toHaveBeenCalledTimes(3);
    cache.stop();
  });

  it('keeps handing out the old credentials while a renewal fails and they still work, and retries', async () => {
    vi.useFakeTimers({ now: 5_000_000, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    let portalUp = true;
    const errors: unknown[] = [];
    const fetch = vi.fn(async () => {
      if (!portalUp) throw new Error('The portal at https://gh.example.com could not be reached.');
      return credentials(Date.now(), HOUR);
    });
    const cache = new CredentialCache({ fetch, onRenewalError: (error) => errors.push(error) });
    const first = await cache.get();
    portalUp = false;
    await vi.advanceTimersByTimeAsync(45 * MINUTE);
    expect(errors).toHaveLength(1);
    expect(await cache.get()).toBe(first);
    portalUp = true;
    await vi.advanceTimersByTimeAsync(30_000);
    const renewed = await cache.get();
    expect(renewed).not.toBe(first);
    cache.stop();
  });

  it('fails once the old credentials have expired and the portal still cannot be reached', async () => {
    let now = 0;
    let up = true;
    const cache = new CredentialCache({
      fetch: async () => {
        if (!up) throw new Error('down');
        return credentials(now, HOUR);
      },
      now: () => now,
    });
    await cache.get();
    cache.stop();
    up = false;
    now = HOUR;
    await expect(cache.get()).rejects.toThrow('down');
  });
});

interface Answer {
  status: number;
  body: string;
}

function get(url: string, headers: Record<string, string>, method = 'GET'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the container-credentials endpoint', () => {
  let server: RunningCredentialServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('answers the SDKs\' request with the right token, 401 without one, 403 with another; on 127.0.0.1 only', async () => {
    const now = Date.now();
    const fetch = vi.fn(async () => credentials(now, HOUR));
    server = await startCredentialServer({ cache: new CredentialCache({ fetch }) });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/credentials$/);
    expect(server.token).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const ok = await get(server.url, { authorization: server.token });
    expect(ok.status).toBe(200);
    const body = JSON.parse(ok.body) as Record<string, string>;
    expect(Object.keys(body).sort()).toEqual(['AccessKeyId', 'Expiration', 'SecretAccessKey', 'Token']);
    expect(body.Expiration).toBe(new Date(now + HOUR).toISOString());

    expect((await get(server.url, {})).status).toBe(401);
    const wrong = await get(server.url, { authorization: `${server.token}x` });
    expect(wrong.status).toBe(403);
    expect(wrong.body).not.toContain('secret');
    expect((await get(server.url, { authorization: `Bearer ${server.token}` })).status).toBe(403);
    expect((await get(server.url.replace('/credentials', '/other'), { authorization: server.token })).status).toBe(404);
    expect((await get(server.url, { authorization: server.token }, 'POST')).status).toBe(405);
    // The portal was asked once for all of it.
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('refuses a request whose Host is not a loopback name (a page rebound to 127.0.0.1), even with the token', async () => {
    const fetch = vi.fn(async () => credentials(Date.now(), HOUR));
    server = await startCredentialServer({ cache: new CredentialCache({ fetch }) });
    const port = new URL(server.url).port;
    for (const host of ['evil.example.com', `evil.example.com:${port}`, `127.0.0.1.nip.io:${port}`, 'localhost.evil.com', '0.0.0.0', '[::ffff:7f00:1]']) {
      const answer = await get(server.url, { authorization: server.token, host });
      expect(answer.status, host).toBe(421);
      expect(answer.body).not.toContain('Secret');
    }
    expect(fetch).not.toHaveBeenCalled();
    for (const host of [`127.0.0.1:${port}`, '127.0.0.1', `localhost:${port}`, 'LOCALHOST', `[::1]:${port}`, '127.1.2.3']) {
      expect((await get(server.url, { authorization: server.token, host })).status, host).toBe(200);
    }
    expect(isLoopbackHost(undefined)).toBe(false);
    expect(isLoopbackHost('')).toBe(false);
  });

  it('answers 502, without a secret or a stack, when no credentials can be had', async () => {
    server = await startCredentialServer({
      cache: new CredentialCache({ fetch: () => Promise.reject(new Error('Your Gatehouse session has ended or was revoked: run `gatehouse login`.')) }),
      token: 'x'.repeat(43),
      onError: () => undefined,
    });
    const answer = await get(server.url, { authorization: 'x'.repeat(43) });
    expect(answer).toEqual({ status: 502, body: '{"message":"Gatehouse could not get credentials from the portal"}' });
  });
});
