/**
 * The server around the operations: bad input gets AWS-shaped 4xx and the server keeps answering,
 * knobs (latency, throttling, faults) behave as documented, the admin API, logs without secrets, close().
 */
import { ListAccountsCommand, SSOServiceException, TooManyRequestsException } from '@aws-sdk/client-sso';
import { CreateTokenCommand, InternalServerException, RegisterClientCommand, SSOOIDCServiceException } from '@aws-sdk/client-sso-oidc';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createEmulator, type RunningEmulator } from '../../emulator/server';
import type { Directory } from '../../emulator/types';
import { oidcClient, type SignedIn, ssoClient } from '../../scripts/support/emulator-sdk';
import { FakeClock } from '../support/clock';
import { admin, failure, signIn, startEmulator } from '../support/emulator';

function post(emu: RunningEmulator, path: string, body: string, contentType = 'application/json'): Promise<Response> {
  return fetch(`${emu.url}${path}`, { method: 'POST', headers: { 'content-type': contentType }, body });
}

async function healthy(emu: RunningEmulator): Promise<boolean> {
  const response = await fetch(`${emu.url}/__emulator/health`);
  return response.status === 200 && ((await response.json()) as { status: string }).status === 'ok';
}

/** Asserts an SSO OIDC error as AWS sends it: status, coral-suffixed x-amzn-ErrorType, OAuth body. */
async function expectOidcError(response: Response, status: number, shape: string, oauth: string): Promise<void> {
  expect(response.status).toBe(status);
  expect(response.headers.get('x-amzn-errortype')).toBe(`${shape}:http://internal.amazon.com/coral/com.amazonaws.sso.oidc/`);
  expect(response.headers.get('content-type')).toBe('application/json');
  expect(response.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
  const body = (await response.json()) as Record<string, unknown>;
  expect(body.error).toBe(oauth);
  expect(body.error_description).toEqual(expect.any(String));
}

describe('bad input on the OIDC operations', () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator();
  });
  afterAll(async () => {
    await emu.close();
  });

  const cases: [string, string, string][] = [
    ['malformed JSON', '/client/register', '{"clientName": "x", '],
    ['an empty body', '/client/register', ''],
    ['a JSON array', '/client/register', '[]'],
    ['a missing clientType', '/client/register', '{"clientName":"x"}'],
    ['a number for clientName', '/client/register', '{"clientName":5,"clientType":"public"}'],
    ['a string for scopes', '/client/register', '{"clientName":"x","clientType":"public","scopes":"sso:account:access"}'],
    ['missing startUrl', '/device_authorization', '{"clientId":"a","clientSecret":"b"}'],
    ['a boolean grantType', '/token', '{"clientId":"a","clientSecret":"b","grantType":true}'],
    ['a missing clientSecret', '/token', '{"clientId":"a","grantType":"refresh_token","refreshToken":"r"}'],
  ];
  test.each(cases)('%s → 400 InvalidRequestException (invalid_request), server still answers', async (_name, path, body) => {
    await expectOidcError(await post(emu, path, body), 400, 'InvalidRequestException', 'invalid_request');
    expect(await healthy(emu)).toBe(true);
  });

  test('a body over 1 MiB → 413 InvalidRequestException without crashing', async () => {
    const huge = JSON.stringify({ clientName: 'x'.repeat(2 * 1024 * 1024), clientType: 'public' });
    await expectOidcError(await post(emu, '/client/register', huge), 413, 'InvalidRequestException', 'invalid_request');
    expect(await healthy(emu)).toBe(true);
    const ok = await oidcClient(emu).send(new RegisterClientCommand({ clientName: 'after', clientType: 'public' }));
    expect(ok.clientId).toBeDefined();
  });

  test('an over-long field is InvalidRequestException', async () => {
    const response = await post(emu, '/client/register', JSON.stringify({ clientName: 'x'.repeat(9000), clientType: 'public' }));
    await expectOidcError(response, 400, 'InvalidRequestException', 'invalid_request');
  });
});

describe('routing', () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator();
  });
  afterAll(async () => {
    await emu.close();
  });

  test('an unknown route → 404 UnknownOperationException JSON', async () => {
    const response = await fetch(`${emu.url}/no/such/operation`);
    expect(response.status).toBe(404);
    expect(response.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
    expect(await response.json()).toEqual({ message: expect.any(String) });
  });

  test('the wrong method on a portal path → 405 MethodNotAllowedException in the portal shape', async () => {
    const response = await fetch(`${emu.url}/assignment/accounts`, { method: 'POST', body: '' });
    expect(response.status).toBe(405);
    expect(response.headers.get('x-amzn-errortype')).toBe('MethodNotAllowedException');
    expect(await response.json()).toEqual({ message: expect.any(String), __type: 'com.amazonaws.switchboard.portal#MethodNotAllowedException' });
  });

  test('GET / without an Action is an index page, not an STS error', async () => {
    const response = await fetch(`${emu.url}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await response.text()).toContain('Identity Center emulator');
  });

  test('a handler that throws → 500 InternalServerException in the service shape, no stack, server still up', async () => {
    const lines: string[] = [];
    const broken = await startEmulator({ log: (line) => lines.push(line) });
    try {
      const session = await signIn(broken, 'operator');
      Object.defineProperty(broken.ctx, 'directory', {
        get(): Directory {
          throw new Error('directory exploded');
        },
      });
      const response = await fetch(`${broken.url}/assignment/accounts`, { headers: { 'x-amz-sso_bearer_token': session.accessToken } });
      expect(response.status).toBe(500);
      expect(response.headers.get('x-amzn-errortype')).toBe('InternalServerException');
      const text = await response.text();
      expect(JSON.parse(text)).toEqual({ message: expect.any(String), __type: 'com.amazonaws.switchboard.portal#InternalServerException' });
      expect(text).not.toMatch(/exploded|at \w+ \(|\.ts:/);
      expect(await healthy(broken)).toBe(true);
      expect(lines.some((line) => line.includes('error in ListAccounts'))).toBe(true);
    } finally {
      await broken.close();
    }
  });
});

describe('knobs', () => {
  const clock = new FakeClock();
  let emu: RunningEmulator;
  let session: SignedIn;
  beforeAll(async () => {
    emu = await startEmulator({ clock });
    session = await signIn(emu, 'operator');
  });
  afterAll(async () => {
    await emu.close();
  });

  test('rateLimit: the token bucket answers 429 exactly as AWS, with Retry-After, and refills with time', async () => {
    const knobs = await admin(emu, 'knobs', { rateLimit: 2 });
    expect(knobs.json).toMatchObject({ rateLimit: 2, rateBurst: 2 });
    const client = ssoClient(emu, { maxAttempts: 1 });
    await client.send(new ListAccountsCommand({ accessToken: session.accessToken }));
    await client.send(new ListAccountsCommand({ accessToken: session.accessToken }));
    const error = await failure(client.send(new ListAccountsCommand({ accessToken: session.accessToken })));
    expect(error).toBeInstanceOf(TooManyRequestsException);
    expect(error.message).toBe('HTTP 429 Unknown Code');
    expect(error.$metadata).toMatchObject({ httpStatusCode: 429 });

    const raw = await fetch(`${emu.url}/assignment/accounts`, { headers: { 'x-amz-sso_bearer_token': session.accessToken } });
    expect(raw.status).toBe(429);
    expect(raw.headers.get('x-amzn-errortype')).toBe('TooManyRequestsException');
    expect(raw.headers.get('retry-after')).toBe('1');
    expect(await raw.text()).toBe('{"message":"HTTP 429 Unknown Code","__type":"com.amazonaws.switchboard.portal#TooManyRequestsException"}');

    // OIDC and the admin API are not behind the portal limiter.
    await oidcClient(emu).send(new RegisterClientCommand({ clientName: 'x', clientType: 'public' }));
    expect(await healthy(emu)).toBe(true);

    clock.advance(500);
    await client.send(new ListAccountsCommand({ accessToken: session.accessToken }));
    expect(await failure(client.send(new ListAccountsCommand({ accessToken: session.accessToken })))).toBeInstanceOf(TooManyRequestsException);
    const stats = await admin(emu, 'stats');
    expect((stats.json as { throttled: number }).throttled).toBe(3);
    await admin(emu, 'knobs', { rateLimit: 0 });
    await client.send(new ListAccountsCommand({ accessToken: session.accessToken }));
  });

  test('forced throttles: the SDK\'s standard retry rides over one, maxAttempts 1 sees it', async () => {
    await admin(emu, 'faults', { throttle: 1 });
    const retried = await ssoClient(emu).send(new ListAccountsCommand({ accessToken: session.accessToken }));
    expect(retried.$metadata.attempts).toBe(2);
    await admin(emu, 'faults', { throttle: 1 });
    expect(await failure(ssoClient(emu, { maxAttempts: 1 }).send(new ListAccountsCommand({ accessToken: session.accessToken })))).toBeInstanceOf(TooManyRequestsException);
  });

  test('forced errors are 500 InternalServerException; forced drops close the connection without a response', async () => {
    const faults = await admin(emu, 'faults', { error: 1, drop: 1 });
    expect(faults.json).toEqual({ throttle: 0, error: 1, drop: 1, accountId: null });
    const client = ssoClient(emu, { maxAttempts: 1 });
    const error = await failure(client.send(new ListAccountsCommand({ accessToken: session.accessToken })));
    expect(error).toBeInstanceOf(SSOServiceException);
    expect(error.name).toBe('InternalServerException');
    expect(error.$metadata).toMatchObject({ httpStatusCode: 500 });

    const dropped = await failure(client.send(new ListAccountsCommand({ accessToken: session.accessToken })));
    expect(dropped).not.toBeInstanceOf(SSOServiceException);
    // No HTTP response at all: the SDK has no status code to report.
    expect((dropped.$metadata as { httpStatusCode?: number } | undefined)?.httpStatusCode).toBeUndefined();

    const ok = await client.send(new ListAccountsCommand({ accessToken: session.accessToken }));
    expect(ok.accountList).toHaveLength(20);
    expect((await admin(emu, 'faults')).json).toEqual({ throttle: 0, error: 0, drop: 0, accountId: null });
  });

  test('a dropped connection is retried by the SDK like any transient failure', async () => {
    await admin(emu, 'faults', { drop: 1 });
    const out = await ssoClient(emu).send(new ListAccountsCommand({ accessToken: session.accessToken }));
    expect(out.$metadata.attempts).toBe(2);
  });

  test('faultRate 1 fails every AWS API call, half 500 half dropped, never the admin API', async () => {
    const local = await startEmulator({ faultRate: 1, seed: 42 });
    try {
      const outcomes = { error: 0, drop: 0 };
      for (let i = 0; i < 40; i += 1) {
        try {
          const response = await post(local, '/client/register', '{"clientName":"x","clientType":"public"}');
          expect(response.status).toBe(500);
          await expectOidcError(response, 500, 'InternalServerException', 'server_error');
          outcomes.error += 1;
        } catch (error) {
          if (error instanceof TypeError) outcomes.drop += 1;
          else throw error;
        }
      }
      expect(outcomes.error).toBeGreaterThan(5);
      expect(outcomes.drop).toBeGreaterThan(5);
      const stats = (await admin(local, 'stats')).json as { calls: Record<string, number>; injectedErrors: number; droppedConnections: number };
      expect(stats.calls.RegisterClient).toBe(40);
      expect(stats.injectedErrors).toBe(outcomes.error);
      expect(stats.droppedConnections).toBe(outcomes.drop);
      // The 500 comes in each service's own shape: portal JSON with __type, STS XML.
      const shapes = new Set<string>();
      for (let i = 0; i < 40 && shapes.size < 2; i += 1) {
        try {
          const portal = await fetch(`${local.url}/assignment/accounts`);
          expect(await portal.json()).toEqual({ message: expect.any(String), __type: 'com.amazonaws.switchboard.portal#InternalServerException' });
          shapes.add('portal');
          const sts = await post(local, '/', 'Action=GetCallerIdentity&Version=2011-06-15', 'application/x-www-form-urlencoded');
          expect(sts.status).toBe(500);
          expect(await sts.text()).toMatch(/<ErrorResponse[^>]*>[\s\S]*<Type>Receiver<\/Type>[\s\S]*<Code>InternalFailure<\/Code>/);
          shapes.add('sts');
        } catch (error) {
          if (!(error instanceof TypeError)) throw error;
        }
      }
      expect([...shapes].sort()).toEqual(['portal', 'sts']);
      const sdkError = await failure(oidcClient(local, { maxAttempts: 1 }).send(new RegisterClientCommand({ clientName: 'x', clientType: 'public' })));
      // Either the modeled 500 or a network error, never a different service error.
      expect(sdkError instanceof InternalServerException || !(sdkError instanceof SSOOIDCServiceException)).toBe(true);
      await admin(local, 'knobs', { faultRate: 0 });
      expect((await oidcClient(local).send(new RegisterClientCommand({ clientName: 'x', clientType: 'public' }))).clientId).toBeDefined();
    } finally {
      await local.close();
    }
  });

  test('the same seed replays the same faults', async () => {
    async function pattern(seed: number): Promise<string> {
      const local = await startEmulator({ faultRate: 0.5, seed });
      try {
        let out = '';
        for (let i = 0; i < 30; i += 1) {
          try {
            const response = await post(local, '/client/register', '{"clientName":"x","clientType":"public"}');
            out += response.status === 200 ? '.' : 'E';
            await response.arrayBuffer();
          } catch {
            out += 'D';
          }
        }
        return out;
      } finally {
        await local.close();
      }
    }
    const first = await pattern(7);
    expect(first).toMatch(/\./);
    expect(first).toMatch(/[ED]/);
    expect(await pattern(7)).toBe(first);
  });

  test('latencyMs delays AWS API calls but not the admin API', async () => {
    await admin(emu, 'knobs', { latencyMs: 150 });
    try {
      let started = performance.now();
      await ssoClient(emu).send(new ListAccountsCommand({ accessToken: session.accessToken }));
      expect(performance.now() - started).toBeGreaterThanOrEqual(140);
      started = performance.now();
      expect(await healthy(emu)).toBe(true);
      expect(performance.now() - started).toBeLessThan(140);
    } finally {
      await admin(emu, 'knobs', { latencyMs: 0 });
    }
  });
});

describe('admin API', () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator();
  });
  afterAll(async () => {
    await emu.close();
  });

  test('health', async () => {
    expect(await admin(emu, 'health')).toEqual({ status: 200, json: { status: 'ok' } });
  });

  test('knobs: defaults, partial update, validation naming the field', async () => {
    expect((await admin(emu, 'knobs')).json).toEqual({
      latencyMs: 0, rateLimit: 0, rateBurst: 1, faultRate: 0, accessTokenTtlSeconds: 3600, ssoSessionTtlSeconds: 28_800,
      deviceCodeTtlSeconds: 600, pollIntervalSeconds: 1, clientRegistrationTtlSeconds: 7_776_000, signinTokenTtlSeconds: 900,
      roleCredentialTtlSeconds: 0,
    });
    expect((await admin(emu, 'knobs', { rateLimit: 20, rateBurst: 5, accessTokenTtlSeconds: 900 })).json).toMatchObject({ rateLimit: 20, rateBurst: 5, accessTokenTtlSeconds: 900 });
    expect(emu.ctx.knobs.accessTokenTtlSeconds).toBe(900);
    for (const [body, field] of [[{ faultRate: 2 }, 'faultRate'], [{ latencyMs: -1 }, 'latencyMs'], [{ nope: 1 }, 'nope'], [{ rateLimit: '5' }, 'rateLimit']] as const) {
      const response = await admin(emu, 'knobs', body);
      expect(response.status).toBe(400);
      expect((response.json as { message: string }).message).toContain(field);
    }
    await admin(emu, 'knobs', { rateLimit: 0, accessTokenTtlSeconds: 3600 });
  });

  test('approve and deny report unknown codes and users', async () => {
    expect((await admin(emu, 'device/approve', { userCode: 'BCDF-GHJK', userName: 'operator' })).status).toBe(404);
    expect((await admin(emu, 'device/deny', { userCode: 'BCDF-GHJK' })).status).toBe(404);
    expect((await admin(emu, 'device/approve', { userCode: 5 })).status).toBe(400);
    expect(() => emu.admin.approve('BCDF-GHJK', 'operator')).toThrow(/Unknown user code/);
  });

  test('stats count AWS API calls by operation and reset', async () => {
    await admin(emu, 'stats/reset', {});
    const session = await signIn(emu, 'developer');
    await ssoClient(emu).send(new ListAccountsCommand({ accessToken: session.accessToken }));
    const stats = (await admin(emu, 'stats')).json as { total: number; calls: Record<string, number> };
    expect(stats.calls).toEqual({ CreateToken: 1, ListAccounts: 1, RegisterClient: 1, StartDeviceAuthorization: 1 });
    expect(stats.total).toBe(4);
  });

  test('stats count CreateToken answers by grant and outcome, so refreshes are told from sign-ins', async () => {
    await admin(emu, 'stats/reset', {});
    const session = await signIn(emu, 'developer');
    const refresh = (refreshToken: string) =>
      oidcClient(emu).send(new CreateTokenCommand({ clientId: session.clientId, clientSecret: session.clientSecret, grantType: 'refresh_token', refreshToken }));
    const refreshed = await refresh(session.refreshToken);
    await refresh(refreshed.refreshToken ?? '');
    await failure(refresh(session.refreshToken));
    const stats = (await admin(emu, 'stats')).json as { calls: Record<string, number>; grants: unknown };
    expect(stats.calls.CreateToken).toBe(4);
    expect(stats.grants).toEqual({ device_code: { issued: 1 }, refresh_token: { issued: 2, invalid_grant: 1 } });
    expect(((await admin(emu, 'stats/reset', {})).json as { grants: unknown }).grants).toEqual({});
  });

  test('an unknown admin path is a 404', async () => {
    expect((await admin(emu, 'nope')).status).toBe(404);
  });
});

describe('admin API: cross-site requests', () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator();
  });
  afterAll(async () => {
    await emu.close();
  });

  const EVIL = 'https://evil.example';
  const knobsPost = (headers: Record<string, string>, body: unknown = { latencyMs: 5000 }) =>
    fetch(`${emu.url}/__emulator/knobs`, { method: 'POST', headers, body: JSON.stringify(body) });

  async function knobs(): Promise<Record<string, number>> {
    return (await admin(emu, 'knobs')).json as Record<string, number>;
  }

  // What a browser sends when another site's page posts (a form, or fetch in no-cors mode), and variants.
  test.each([
    ['a cross-site text/plain POST', { origin: EVIL, 'sec-fetch-site': 'cross-site', 'content-type': 'text/plain;charset=UTF-8' }, 403],
    ['a cross-site JSON POST', { origin: EVIL, 'sec-fetch-site': 'cross-site', 'content-type': 'application/json' }, 403],
    ['a same-site (sibling subdomain) JSON POST', { origin: 'http://other.localhost', 'sec-fetch-site': 'same-site', 'content-type': 'application/json' }, 403],
    ['a POST from a typed or bookmarked URL (Sec-Fetch-Site: none)', { 'sec-fetch-site': 'none', 'content-type': 'application/json' }, 403],
    ['a JSON POST with a foreign Origin and no Fetch Metadata (older browsers)', { origin: EVIL, 'content-type': 'application/json' }, 403],
    ['a JSON POST with Origin: null (sandboxed frame, data: URL)', { origin: 'null', 'content-type': 'application/json' }, 403],
    ['a same-origin form POST (not JSON)', { origin: 'SELF', 'sec-fetch-site': 'same-origin', 'content-type': 'application/x-www-form-urlencoded' }, 415],
    ['a POST without a content type', {}, 415],
  ])('refuses %s and changes nothing', async (_label, sent, status) => {
    const before = await knobs();
    const headers = Object.fromEntries(Object.entries(sent).map(([name, value]) => [name, value === 'SELF' ? emu.url : value]));
    const response = await knobsPost(headers);
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({ message: expect.any(String) });
    expect(await knobs()).toEqual(before);
    expect(before.latencyMs).toBe(0);
  });

  test('a cross-site request cannot revoke sessions or replace the directory', async () => {
    const session = await signIn(emu, 'operator');
    const cross = { origin: EVIL, 'sec-fetch-site': 'cross-site', 'content-type': 'text/plain' };
    const revoke = await fetch(`${emu.url}/__emulator/users/revoke-sessions`, { method: 'POST', headers: cross, body: JSON.stringify({ userName: 'operator' }) });
    expect(revoke.status).toBe(403);
    const replace = await fetch(`${emu.url}/__emulator/directory`, { method: 'PUT', headers: cross, body: JSON.stringify({ ...emu.ctx.directory, assignments: [] }) });
    expect(replace.status).toBe(403);
    const accounts = await ssoClient(emu).send(new ListAccountsCommand({ accessToken: session.accessToken }));
    expect(accounts.accountList?.length).toBeGreaterThan(0);
  });

  test('JSON POSTs from scripts (no Origin) and from the emulator\'s own origin work; reads need no JSON', async () => {
    const fromScript = await knobsPost({ 'content-type': 'application/json' }, { latencyMs: 1 });
    expect(fromScript.status).toBe(200);
    expect((await knobs()).latencyMs).toBe(1);
    const sameOrigin = await knobsPost({ origin: emu.url, 'sec-fetch-site': 'same-origin', 'content-type': 'application/json; charset=utf-8' }, { latencyMs: 0 });
    expect(sameOrigin.status).toBe(200);
    expect((await knobs()).latencyMs).toBe(0);
    const read = await fetch(`${emu.url}/__emulator/stats`, { headers: { 'sec-fetch-site': 'none' } });
    expect(read.status).toBe(200);
  });

  test('behind a public URL, that origin is the emulator\'s own too', async () => {
    const published = await startEmulator({ publicUrl: 'https://idc.example.test' });
    try {
      const response = await fetch(`${published.url}/__emulator/knobs`, {
        method: 'POST',
        headers: { origin: 'https://idc.example.test', 'sec-fetch-site': 'same-origin', 'content-type': 'application/json' },
        body: JSON.stringify({ latencyMs: 1 }),
      });
      expect(response.status).toBe(200);
      expect(published.ctx.knobs.latencyMs).toBe(1);
    } finally {
      await published.close();
    }
  });
});

describe('lifecycle and options', () => {
  test('close() ends promptly even with kept-alive SDK connections', async () => {
    const emu = await startEmulator();
    const session = await signIn(emu, 'operator');
    await ssoClient(emu).send(new ListAccountsCommand({ accessToken: session.accessToken }));
    const started = performance.now();
    await emu.close();
    expect(performance.now() - started).toBeLessThan(1000);
    await expect(fetch(`${emu.url}/__emulator/health`)).rejects.toThrow();
  });

  test('bad options are refused with the option named', async () => {
    await expect(createEmulator({ port: 0, faultRate: 2 })).rejects.toThrow(/faultRate/);
    await expect(createEmulator({ port: 70_000 })).rejects.toThrow(/port/);
    await expect(createEmulator({ port: 0, publicUrl: 'ftp://x' })).rejects.toThrow(/publicUrl/);
  });

  test('a port in use is an error, not a crash', async () => {
    const emu = await startEmulator();
    try {
      await expect(createEmulator({ port: emu.port })).rejects.toThrow(/EADDRINUSE/);
    } finally {
      await emu.close();
    }
  });

  test('publicUrl drives the verification links; rateBurst follows rateLimit by default', async () => {
    const emu = await startEmulator({ publicUrl: 'https://idc.example.test/', rateLimit: 3 });
    try {
      expect(emu.ctx.publicUrl).toBe('https://idc.example.test');
      expect(emu.ctx.knobs).toMatchObject({ rateLimit: 3, rateBurst: 3 });
      expect(emu.url).toBe(`http://127.0.0.1:${emu.port}`);
    } finally {
      await emu.close();
    }
  });
});

describe('logs', () => {
  test('one line per request, and never a token, secret or device code', async () => {
    const lines: string[] = [];
    const emu = await startEmulator({ log: (line) => lines.push(line) });
    try {
      const session = await signIn(emu, 'operator', { via: 'page' });
      const list = await ssoClient(emu).send(new ListAccountsCommand({ accessToken: session.accessToken }));
      expect(list.accountList?.length).toBe(20);
      expect(lines.length).toBeGreaterThanOrEqual(6);
      expect(lines.some((line) => /^GET \/assignment\/accounts 200 \d+ms ListAccounts$/.test(line))).toBe(true);
      const joined = lines.join('\n');
      for (const secret of [session.accessToken, session.refreshToken, session.clientSecret, session.userCode]) {
        expect(joined).not.toContain(secret);
      }
      expect(joined).not.toMatch(/aoa|aor|user_code/);
    } finally {
      await emu.close();
    }
  });
});
