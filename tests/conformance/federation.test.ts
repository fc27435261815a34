/**
 * Console federation conformance (docs/aws-wire-protocol.md §4): getSigninToken with role credentials
 * from the real sign-in flow, then the login step a browser would follow.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { rawRequest, type RawResponse } from '../support/raw-http';
import { startTestEmulator, type RoleCredentials, type TestEmulator } from '../support/role-session';
import type { RoleCredentialSession } from '../../emulator/types';

const CONSOLE = 'https://console.aws.amazon.com/';

function sessionParam(c: { accessKeyId: string; secretAccessKey: string; sessionToken: string }): string {
  return JSON.stringify({ sessionId: c.accessKeyId, sessionKey: c.secretAccessKey, sessionToken: c.sessionToken });
}

function get(emu: TestEmulator, params: Record<string, string>): Promise<RawResponse> {
  return rawRequest(emu.url, { method: 'GET', path: `/federation?${new URLSearchParams(params).toString()}` });
}

async function signinToken(emu: TestEmulator, creds: RoleCredentials, extra: Record<string, string> = {}): Promise<string> {
  const res = await get(emu, { Action: 'getSigninToken', ...extra, Session: sessionParam(creds) });
  expect(res.status).toBe(200);
  const body = JSON.parse(res.body) as { SigninToken?: unknown };
  if (typeof body.SigninToken !== 'string') throw new Error('no SigninToken');
  return body.SigninToken;
}

function login(emu: TestEmulator, token: string, extra: Record<string, string> = {}): Promise<RawResponse> {
  return get(emu, { Action: 'login', Destination: CONSOLE, ...extra, SigninToken: token });
}

function escapeHtml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

describe('console federation', () => {
  let emu: TestEmulator;
  let creds: RoleCredentials;
  let session: RoleCredentialSession;

  beforeAll(async () => {
    emu = await startTestEmulator();
    ({ credentials: creds, session } = await emu.roleCredentials());
  });

  afterAll(async () => {
    await emu.close();
  });

  describe('getSigninToken', () => {
    test('trades role credentials for an opaque sign-in token (JSON)', async () => {
      const res = await get(emu, { Action: 'getSigninToken', Session: sessionParam(creds) });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/json');
      const body = JSON.parse(res.body) as Record<string, unknown>;
      expect(Object.keys(body)).toEqual(['SigninToken']);
      expect(body.SigninToken).toMatch(/^[A-Za-z0-9_-]{32,}$/);
      const record = emu.ctx.signinTokens.get(String(body.SigninToken));
      expect(record?.accessKeyId).toBe(creds.accessKeyId);
      expect(record?.expiresAtMs).toBe(emu.clock.now() + emu.ctx.knobs.signinTokenTtlSeconds * 1000);
      // The token never contains the credentials.
      expect(res.body).not.toContain(creds.secretAccessKey);
      expect(res.body).not.toContain(creds.sessionToken);
    });

    test('accepts SessionDuration 900..43200 and SessionType=json', async () => {
      for (const duration of ['900', '3600', '43200']) {
        await signinToken(emu, creds, { SessionDuration: duration, SessionType: 'json' });
      }
    });

    test.each(['899', '43201', '0', '-900', '1.5', 'abc', ''])('refuses SessionDuration=%j with 400', async (duration) => {
      const res = await get(emu, { Action: 'getSigninToken', SessionDuration: duration, Session: sessionParam(creds) });
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/^text\/plain/);
      expect(res.body).toMatch(/SessionDuration/);
    });

    test.each([
      ['missing', undefined],
      ['not JSON', '{sessionId:'],
      ['a JSON array', '[]'],
      ['missing sessionToken', JSON.stringify({ sessionId: 'ASIAEXAMPLE', sessionKey: 'secret' })],
      ['a non-string sessionKey', JSON.stringify({ sessionId: 'ASIAEXAMPLE', sessionKey: 1, sessionToken: 't' })],
    ])('refuses a Session that is %s with 400', async (_label, value) => {
      const params: Record<string, string> = { Action: 'getSigninToken' };
      if (value !== undefined) params.Session = value;
      const res = await get(emu, params);
      expect(res.status).toBe(400);
      expect(res.body).toBe('Invalid Credentials Parameter. The request sent by the client was syntactically incorrect.');
    });

    test('refuses an unknown Action with 400', async () => {
      const res = await get(emu, { Action: 'getFederationToken' });
      expect(res.status).toBe(400);
    });
  });

  describe('login', () => {
    test('shows the console page naming user, account, role and ARN', async () => {
      const token = await signinToken(emu, creds);
      const res = await login(emu, token, { Issuer: 'https://portal.example.com/start' });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      const html = res.body;
      expect(html).toContain('<title>AWS Management Console (emulated)</title>');
      expect(html).toContain('<html lang="en">');
      expect(html).not.toMatch(/<script/i);
      const account = emu.ctx.directory.accounts.find((a) => a.accountId === session.accountId);
      expect(account).toBeDefined();
      expect(html).toContain(escapeHtml(session.userName));
      expect(html).toContain(session.accountId);
      expect(html).toContain(escapeHtml(account?.accountName ?? ''));
      expect(html).toContain(escapeHtml(session.roleName));
      expect(html).toContain(
        escapeHtml(`arn:aws:sts::${session.accountId}:assumed-role/AWSReservedSSO_${session.roleName}_${session.roleSuffix}/${session.userName}`),
      );
      expect(html).toContain(`<a href="${CONSOLE}" rel="noreferrer noopener">`);
      expect(html).toContain('<a href="https://portal.example.com/start" rel="noreferrer noopener">');
      // No SessionDuration: the console session ends with the credentials.
      expect(html).toContain('<dt>Console session</dt>\n  <dd>As long as the role credentials (no SessionDuration)</dd>');
      expect(html).toContain(`<time datetime="${new Date(session.expiresAtMs).toISOString()}">`);
      expect(html).not.toContain(creds.secretAccessKey);
      expect(html).not.toContain(creds.sessionToken);
    });

    test('a sign-in token works once', async () => {
      const token = await signinToken(emu, creds);
      expect((await login(emu, token)).status).toBe(200);
      const again = await login(emu, token);
      expect(again.status).toBe(400);
      expect(again.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(again.body).toContain('Sign-in failed');
    });

    test('refuses an unknown token and a missing Destination', async () => {
      expect((await login(emu, 'not-a-token')).status).toBe(400);
      const token = await signinToken(emu, creds);
      const res = await get(emu, { Action: 'login', SigninToken: token });
      expect(res.status).toBe(400);
    });

    test('shows the region from the destination and the console session length from SessionDuration', async () => {
      const token = await signinToken(emu, creds, { SessionDuration: '43200' });
      const destination = 'https://eu-west-1.console.aws.amazon.com/ec2/home?region=eu-west-1#Instances:';
      const res = await login(emu, token, { Destination: destination });
      expect(res.status).toBe(200);
      expect(res.body).toContain('<code>eu-west-1</code>');
      expect(res.body).toContain(`<a href="${escapeHtml(destination)}"`);
      expect(res.body).toContain(`<time datetime="${new Date(emu.clock.now() + 43200 * 1000).toISOString()}">`);
      expect(res.body).toContain('<dt>Console session</dt>\n  <dd>12 hours (SessionDuration 43200 s)</dd>');

      const short = await login(emu, await signinToken(emu, creds, { SessionDuration: '5400' }));
      expect(short.body).toContain('<dd>1 hour 30 minutes (SessionDuration 5400 s)</dd>');
    });

    test('escapes every value and links only http(s) URLs', async () => {
      const token = await signinToken(emu, creds);
      const destination = 'javascript:alert("<x>")//?region=<b>';
      const res = await login(emu, token, { Destination: destination, Issuer: 'javascript:alert(1)' });
      expect(res.status).toBe(200);
      expect(res.body).not.toContain('<x>');
      expect(res.body).not.toContain('<b>');
      expect(res.body).not.toMatch(/href="javascript:/i);
      expect(res.body).toContain(escapeHtml(destination));
    });

    test('refuses a token whose credentials did not match what was issued', async () => {
      // getSigninToken does not check credentials (as at AWS); login does.
      const token = await signinToken(emu, { ...creds, secretAccessKey: `${creds.secretAccessKey}x` });
      const res = await login(emu, token);
      expect(res.status).toBe(400);

      const wrongToken = await signinToken(emu, { ...creds, sessionToken: `${creds.sessionToken}x` });
      expect((await login(emu, wrongToken)).status).toBe(400);

      const unknownKey = await signinToken(emu, { ...creds, accessKeyId: 'ASIAUNKNOWNKEY000000' });
      expect((await login(emu, unknownKey)).status).toBe(400);
    });
  });
});

describe('console federation over time', () => {
  let emu: TestEmulator;
  let creds: RoleCredentials;

  beforeEach(async () => {
    emu = await startTestEmulator();
    ({ credentials: creds } = await emu.roleCredentials());
    return () => emu.close();
  });

  test('a sign-in token expires after signinTokenTtlSeconds', async () => {
    const ttlMs = emu.ctx.knobs.signinTokenTtlSeconds * 1000;
    const early = await signinToken(emu, creds);
    const late = await signinToken(emu, creds);
    emu.clock.advance(ttlMs - 1);
    expect((await login(emu, early)).status).toBe(200);
    emu.clock.advance(1);
    const res = await login(emu, late);
    expect(res.status).toBe(400);
    expect(res.body).toContain('expired');
  });

  test('refuses login once the role credentials have expired', async () => {
    // Outlive the credentials with the sign-in token, so only the credentials' expiry is in play.
    emu.ctx.knobs.signinTokenTtlSeconds = 86_400;
    const token = await signinToken(emu, creds);
    emu.clock.advance(creds.expiration.getTime() - emu.clock.now());
    const res = await login(emu, token);
    expect(res.status).toBe(400);
    expect(res.body).toContain('credentials behind this sign-in token have expired');
  });
});
