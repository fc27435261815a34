/**
 * SSO OIDC conformance (doc §1, §9) through the real @aws-sdk/client-sso-oidc: RegisterClient,
 * StartDeviceAuthorization, CreateToken (device code and refresh token grants) and every modeled error.
 * Time moves only through the injected FakeClock.
 */
import {
  AccessDeniedException,
  AuthorizationPendingException,
  CreateTokenCommand,
  ExpiredTokenException,
  InvalidClientException,
  InvalidClientMetadataException,
  InvalidGrantException,
  InvalidRedirectUriException,
  InvalidRequestException,
  InvalidScopeException,
  RegisterClientCommand,
  type RegisterClientCommandInput,
  SlowDownException,
  SSOOIDCServiceException,
  StartDeviceAuthorizationCommand,
  UnsupportedGrantTypeException,
} from '@aws-sdk/client-sso-oidc';
import { ListAccountsCommand, LogoutCommand, UnauthorizedException } from '@aws-sdk/client-sso';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RunningEmulator } from '../../emulator/server';
import { DEVICE_GRANT, oidcClient, registerClient, type RegisteredClient, ssoClient, startDevice } from '../../scripts/support/emulator-sdk';
import { FakeClock } from '../support/clock';
import { failure, signIn, startEmulator } from '../support/emulator';

let emu: RunningEmulator;
const clock = new FakeClock();

beforeAll(async () => {
  emu = await startEmulator({ clock });
});
afterAll(async () => {
  await emu.close();
});

function poll(client: RegisteredClient, deviceCode: string, grantType = DEVICE_GRANT) {
  return oidcClient(emu).send(new CreateTokenCommand({ clientId: client.clientId, clientSecret: client.clientSecret, grantType, deviceCode }));
}

function refresh(client: RegisteredClient, refreshToken: string) {
  return oidcClient(emu).send(new CreateTokenCommand({ clientId: client.clientId, clientSecret: client.clientSecret, grantType: 'refresh_token', refreshToken }));
}

describe('RegisterClient', () => {
  test('returns a client id, a JWT-like secret and epoch-second timestamps 90 days apart', async () => {
    const out = await oidcClient(emu).send(new RegisterClientCommand({ clientName: 'botocore-client-test', clientType: 'public' }));
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(out.clientId).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    // Like real ids, the base64url decodes to bytes ending in the region.
    expect(Buffer.from(out.clientId ?? '', 'base64url').toString('latin1').endsWith('us-east-1')).toBe(true);
    const [header, payload, signature] = (out.clientSecret ?? '').split('.');
    expect(JSON.parse(Buffer.from(header ?? '', 'base64url').toString('utf8'))).toMatchObject({ alg: expect.any(String) });
    expect(payload).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(signature).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(out.clientIdIssuedAt).toBe(Math.floor(clock.now() / 1000));
    expect(out.clientSecretExpiresAt).toBe((out.clientIdIssuedAt ?? 0) + 7_776_000);
  });

  test('refuses a client type other than public', async () => {
    const error = await failure(oidcClient(emu).send(new RegisterClientCommand({ clientName: 'x', clientType: 'confidential' })));
    expect(error).toBeInstanceOf(InvalidClientMetadataException);
    expect(error.$metadata).toMatchObject({ httpStatusCode: 400 });
    expect(error.error).toBe('invalid_client_metadata');
  });
});

describe('RegisterClient: scopes, grant types and redirect URIs', () => {
  function register(input: Partial<RegisterClientCommandInput>) {
    return oidcClient(emu).send(new RegisterClientCommand({ clientName: 'registration-tests', clientType: 'public', ...input }));
  }

  test.each([
    ['the AWS CLI\'s sso-session default', { scopes: ['sso:account:access'] }],
    ['the AWS CLI\'s PKCE flow (2.22+)', {
      scopes: ['sso:account:access'],
      grantTypes: ['authorization_code', 'refresh_token'],
      redirectUris: ['http://127.0.0.1/oauth/callback'],
      issuerUrl: 'https://gatehouse-demo.awsapps.com/start',
    }],
    ['this portal\'s device flow', { scopes: ['sso:account:access'], grantTypes: [DEVICE_GRANT, 'refresh_token'] }],
    ['OpenID scopes', { scopes: ['openid', 'aws'] }],
    ['the CodeWhisperer / Amazon Q family', {
      scopes: ['codewhisperer:completions', 'codewhisperer:analysis', 'codewhisperer:conversations', 'codewhisperer:transformations', 'codewhisperer:taskassist'],
    }],
    ['loopback redirect URIs with and without a port', {
      grantTypes: ['authorization_code'],
      redirectUris: [
        'http://127.0.0.1:53117/oauth/callback',
        'http://localhost/oauth/callback',
        'http://localhost:8080/callback',
        'http://[::1]/oauth/callback',
        'http://[::1]:53117/oauth/callback',
        'https://127.0.0.1/oauth/callback',
      ],
    }],
  ] satisfies [string, Partial<RegisterClientCommandInput>][])('accepts %s', async (_label, input) => {
    const out = await register(input);
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(out.clientId).toEqual(expect.any(String));
  });

  test.each(['sso:account:admin', 'admin', 'email', 'codewhisperer:', 'codewhisperer:completions extra', 'CODEWHISPERER:completions', 'sso:account:access:*'])(
    'refuses the scope %j with InvalidScopeException',
    async (scope) => {
      const error = await failure(register({ scopes: ['sso:account:access', scope] }));
      expect(error).toBeInstanceOf(InvalidScopeException);
      expect(error.$metadata).toMatchObject({ httpStatusCode: 400 });
      expect(error.error).toBe('invalid_scope');
      expect(error.error_description).toContain(scope);
    },
  );

  test.each(['password', 'client_credentials', 'implicit', 'urn:ietf:params:oauth:grant-type:jwt-bearer', 'REFRESH_TOKEN'])(
    'refuses the grant type %j with UnsupportedGrantTypeException',
    async (grantType) => {
      const error = await failure(register({ grantTypes: ['refresh_token', grantType] }));
      expect(error).toBeInstanceOf(UnsupportedGrantTypeException);
      expect(error.$metadata).toMatchObject({ httpStatusCode: 400 });
      expect(error.error).toBe('unsupported_grant_type');
    },
  );

  test.each([
    'https://evil.example/oauth/callback',
    'http://127.0.0.1.evil.example/oauth/callback',
    'http://localhost.evil.example/oauth/callback',
    'http://user@127.0.0.1/oauth/callback',
    'http://127.0.0.1/oauth/callback#fragment',
    'ftp://127.0.0.1/oauth/callback',
    'myapp://oauth/callback',
    'not a url',
  ])('refuses the redirect URI %j with InvalidRedirectUriException', async (uri) => {
    const error = await failure(register({ grantTypes: ['authorization_code'], redirectUris: ['http://127.0.0.1/oauth/callback', uri] }));
    expect(error).toBeInstanceOf(InvalidRedirectUriException);
    expect(error.$metadata).toMatchObject({ httpStatusCode: 400 });
    expect(error.error).toBe('invalid_redirect_uri');
  });

  test.each([
    ['scopes', ['nope'], 'InvalidScopeException', 'invalid_scope'],
    ['grantTypes', ['password'], 'UnsupportedGrantTypeException', 'unsupported_grant_type'],
    ['redirectUris', ['https://evil.example/cb'], 'InvalidRedirectUriException', 'invalid_redirect_uri'],
  ])('on the wire, a bad %s is a 400 with the coral-suffixed x-amzn-ErrorType and an OAuth body', async (member, value, shape, oauth) => {
    const response = await fetch(`${emu.url}/client/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ clientName: 'wire', clientType: 'public', [member]: value }),
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toBe(`${shape}:http://internal.amazon.com/coral/com.amazonaws.sso.oidc/`);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({ error: oauth, error_description: expect.any(String) });
  });
});

describe('StartDeviceAuthorization', () => {
  let client: RegisteredClient;
  beforeAll(async () => {
    client = await registerClient(emu);
  });

  test('returns codes, verification links on the emulator, expiresIn and interval in seconds', async () => {
    const out = await oidcClient(emu).send(
      new StartDeviceAuthorizationCommand({ clientId: client.clientId, clientSecret: client.clientSecret, startUrl: emu.ctx.directory.startUrl }),
    );
    expect(out.userCode).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
    expect(out.deviceCode).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(out.verificationUri).toBe(`${emu.url}/device`);
    expect(out.verificationUriComplete).toBe(`${emu.url}/device?user_code=${out.userCode}`);
    expect(out.expiresIn).toBe(600);
    expect(out.interval).toBe(1);
  });

  test('accepts the start URL with a trailing slash or #/', async () => {
    for (const startUrl of [`${emu.ctx.directory.startUrl}/`, `${emu.ctx.directory.startUrl}/#/`]) {
      const out = await oidcClient(emu).send(new StartDeviceAuthorizationCommand({ clientId: client.clientId, clientSecret: client.clientSecret, startUrl }));
      expect(out.userCode).toBeDefined();
    }
  });

  test('refuses another instance\'s start URL with InvalidRequestException', async () => {
    const error = await failure(
      oidcClient(emu).send(new StartDeviceAuthorizationCommand({ clientId: client.clientId, clientSecret: client.clientSecret, startUrl: 'https://d-0000000000.awsapps.com/start' })),
    );
    expect(error).toBeInstanceOf(InvalidRequestException);
    expect(error.error).toBe('invalid_request');
  });

  test('unknown client and wrong secret are InvalidClientException (401)', async () => {
    for (const input of [
      { clientId: 'bm8tc3VjaC1jbGllbnR1cy1lYXN0LTE', clientSecret: client.clientSecret },
      { clientId: client.clientId, clientSecret: `${client.clientSecret}x` },
    ]) {
      const error = await failure(oidcClient(emu).send(new StartDeviceAuthorizationCommand({ ...input, startUrl: emu.ctx.directory.startUrl })));
      expect(error).toBeInstanceOf(InvalidClientException);
      expect(error.$metadata).toMatchObject({ httpStatusCode: 401 });
      expect(error.$fault).toBe('client');
      expect(error.error).toBe('invalid_client');
    }
  });

  test('an expired registration is InvalidClientException', async () => {
    const local = new FakeClock();
    const other = await startEmulator({ clock: local, clientRegistrationTtlSeconds: 60 });
    try {
      const c = await registerClient(other);
      await startDevice(other, c);
      local.advanceSeconds(60);
      const error = await failure(startDevice(other, c));
      expect(error).toBeInstanceOf(InvalidClientException);
    } finally {
      await other.close();
    }
  });
});

describe('CreateToken, device code grant', () => {
  let client: RegisteredClient;
  beforeAll(async () => {
    client = await registerClient(emu, 'Device grant tests');
  });

  test('pending → AuthorizationPendingException with the OAuth fields', async () => {
    const { deviceCode } = await startDevice(emu, client);
    const error = await failure(poll(client, deviceCode));
    expect(error).toBeInstanceOf(AuthorizationPendingException);
    expect(error.name).toBe('AuthorizationPendingException');
    expect(error.error).toBe('authorization_pending');
    expect(error.error_description).toBe('Authorization is still pending');
    expect(error.$metadata).toMatchObject({ httpStatusCode: 400 });
  });

  test('polling faster than the interval → SlowDownException, and the interval grows by 5 s', async () => {
    const { deviceCode } = await startDevice(emu, client);
    await failure(poll(client, deviceCode));
    const fast = await failure(poll(client, deviceCode));
    expect(fast).toBeInstanceOf(SlowDownException);
    expect(fast.error).toBe('slow_down');
    // The old 1 s interval is no longer enough…
    clock.advanceSeconds(1);
    expect(await failure(poll(client, deviceCode))).toBeInstanceOf(SlowDownException);
    // …that second slow_down raised it to 11 s; waiting that long is.
    clock.advanceSeconds(11);
    expect(await failure(poll(client, deviceCode))).toBeInstanceOf(AuthorizationPendingException);
  });

  test('after one slow_down, polling at interval + 5 s is accepted', async () => {
    const { deviceCode } = await startDevice(emu, client);
    await failure(poll(client, deviceCode));
    expect(await failure(poll(client, deviceCode))).toBeInstanceOf(SlowDownException);
    clock.advanceSeconds(6);
    expect(await failure(poll(client, deviceCode))).toBeInstanceOf(AuthorizationPendingException);
  });

  test('denied → AccessDeniedException', async () => {
    const { deviceCode, userCode } = await startDevice(emu, client);
    emu.admin.deny(userCode);
    const error = await failure(poll(client, deviceCode));
    expect(error).toBeInstanceOf(AccessDeniedException);
    expect(error.error).toBe('access_denied');
  });

  test('past expiresIn → ExpiredTokenException', async () => {
    const { deviceCode } = await startDevice(emu, client);
    clock.advanceSeconds(600);
    const error = await failure(poll(client, deviceCode));
    expect(error).toBeInstanceOf(ExpiredTokenException);
    expect(error.error).toBe('expired_token');
  });

  test('an approval after expiry is refused by the admin hook too', async () => {
    const { userCode } = await startDevice(emu, client);
    clock.advanceSeconds(601);
    expect(() => emu.admin.approve(userCode, 'operator')).toThrow(/expired/);
  });

  test('approved → tokens; the device code is single use', async () => {
    const { deviceCode, userCode } = await startDevice(emu, client);
    emu.admin.approve(userCode, 'operator');
    const out = await poll(client, deviceCode);
    expect(out.accessToken).toMatch(/^aoa[A-Za-z0-9_-]+:[A-Za-z0-9+/=]+$/);
    expect(out.refreshToken).toMatch(/^aor[A-Za-z0-9_-]+:[A-Za-z0-9+/=]+$/);
    expect(out.tokenType).toBe('Bearer');
    expect(out.expiresIn).toBe(3600);
    const again = await failure(poll(client, deviceCode));
    expect(again).toBeInstanceOf(InvalidGrantException);
    expect(again.error).toBe('invalid_grant');
  });

  test('accepts the hyphenated grant type from the AWS documentation', async () => {
    const { deviceCode, userCode } = await startDevice(emu, client);
    emu.admin.approve(userCode, 'developer');
    const out = await poll(client, deviceCode, 'urn:ietf:params:oauth:grant-type:device-code');
    expect(out.accessToken).toBeDefined();
  });

  test('an unknown device code, or one issued to another client, is InvalidGrantException', async () => {
    expect(await failure(poll(client, 'not-a-device-code'))).toBeInstanceOf(InvalidGrantException);
    const other = await registerClient(emu, 'other');
    const { deviceCode, userCode } = await startDevice(emu, other);
    emu.admin.approve(userCode, 'operator');
    expect(await failure(poll(client, deviceCode))).toBeInstanceOf(InvalidGrantException);
  });

  test('a device grant without deviceCode is InvalidRequestException', async () => {
    const error = await failure(oidcClient(emu).send(new CreateTokenCommand({ clientId: client.clientId, clientSecret: client.clientSecret, grantType: DEVICE_GRANT })));
    expect(error).toBeInstanceOf(InvalidRequestException);
  });

  test('unknown grant types, and authorization_code (not emulated), are UnsupportedGrantTypeException', async () => {
    for (const grantType of ['password', 'authorization_code']) {
      const error = await failure(oidcClient(emu).send(new CreateTokenCommand({ clientId: client.clientId, clientSecret: client.clientSecret, grantType, code: 'abc' })));
      expect(error).toBeInstanceOf(UnsupportedGrantTypeException);
      expect(error.error).toBe('unsupported_grant_type');
    }
  });

  test('a wrong client secret is InvalidClientException (401)', async () => {
    const error = await failure(oidcClient(emu).send(new CreateTokenCommand({ clientId: client.clientId, clientSecret: 'nope', grantType: DEVICE_GRANT, deviceCode: 'x' })));
    expect(error).toBeInstanceOf(InvalidClientException);
    expect(error.$metadata).toMatchObject({ httpStatusCode: 401 });
  });

  test('every OIDC error is a modeled class, never the service base exception', async () => {
    const error = await failure(poll(client, 'nope'));
    expect(error).toBeInstanceOf(SSOOIDCServiceException);
    expect(error.name).not.toBe('Unknown');
  });
});

describe('CreateToken, refresh token grant', () => {
  test('rotates the refresh token on every use; the old one is InvalidGrantException', async () => {
    const session = await signIn(emu, 'operator');
    const first = await refresh(session, session.refreshToken);
    expect(first.accessToken).toMatch(/^aoa/);
    expect(first.refreshToken).toMatch(/^aor/);
    expect(first.accessToken).not.toBe(session.accessToken);
    expect(first.refreshToken).not.toBe(session.refreshToken);
    expect(first.expiresIn).toBe(3600);

    const reused = await failure(refresh(session, session.refreshToken));
    expect(reused).toBeInstanceOf(InvalidGrantException);
    expect(reused.error_description).toBe('Invalid refresh token provided');

    const second = await refresh(session, first.refreshToken ?? '');
    expect(second.refreshToken).not.toBe(first.refreshToken);
    const accounts = await ssoClient(emu).send(new ListAccountsCommand({ accessToken: second.accessToken }));
    expect(accounts.accountList?.length).toBeGreaterThan(0);
  });

  test('an expired access token is UnauthorizedException; a refresh brings a working one', async () => {
    const session = await signIn(emu, 'operator');
    clock.advanceSeconds(3600);
    const error = await failure(ssoClient(emu).send(new ListAccountsCommand({ accessToken: session.accessToken })));
    expect(error).toBeInstanceOf(UnauthorizedException);
    const next = await refresh(session, session.refreshToken);
    const accounts = await ssoClient(emu).send(new ListAccountsCommand({ accessToken: next.accessToken }));
    expect(accounts.accountList?.length).toBe(20);
  });

  test('refresh fails once the SSO session lifetime is over, and access tokens never outlive it', async () => {
    const session = await signIn(emu, 'operator');
    clock.advanceSeconds(28_800 - 600);
    const late = await refresh(session, session.refreshToken);
    expect(late.expiresIn).toBe(600);
    clock.advanceSeconds(600);
    const error = await failure(refresh(session, late.refreshToken ?? ''));
    expect(error).toBeInstanceOf(InvalidGrantException);
  });

  test('refresh fails after Logout, and the access token stops working', async () => {
    const session = await signIn(emu, 'operator');
    const refreshed = await refresh(session, session.refreshToken);
    await ssoClient(emu).send(new LogoutCommand({ accessToken: refreshed.accessToken }));
    expect(await failure(refresh(session, refreshed.refreshToken ?? ''))).toBeInstanceOf(InvalidGrantException);
    for (const accessToken of [refreshed.accessToken, session.accessToken]) {
      const error = await failure(ssoClient(emu).send(new ListAccountsCommand({ accessToken })));
      expect(error).toBeInstanceOf(UnauthorizedException);
    }
  });

  test('a refresh token only works for the client it was issued to', async () => {
    const session = await signIn(emu, 'operator');
    const other = await registerClient(emu, 'other');
    expect(await failure(refresh(other, session.refreshToken))).toBeInstanceOf(InvalidGrantException);
  });

  /** RegisterClient with `scopes` (undefined: none, as the AWS CLI's legacy device flow), then operator signs in. */
  async function signInRegisteredWith(scopes: string[] | undefined) {
    const out = await oidcClient(emu).send(new RegisterClientCommand({ clientName: 'scoped', clientType: 'public', scopes }));
    const client: RegisteredClient = { clientId: out.clientId ?? '', clientSecret: out.clientSecret ?? '', clientName: 'scoped' };
    const { deviceCode, userCode } = await startDevice(emu, client);
    emu.admin.approve(userCode, 'operator');
    return { client, token: await poll(client, deviceCode) };
  }

  test.each([
    ['no scopes (the legacy device flow)', undefined],
    ['OpenID scopes only', ['openid', 'aws']],
    ['CodeWhisperer scopes only', ['codewhisperer:completions', 'codewhisperer:conversations']],
  ])('a registration with %s gets a working access token but no refresh token, and cannot refresh', async (_label, scopes) => {
    const { client, token } = await signInRegisteredWith(scopes);
    expect(token.accessToken).toMatch(/^aoa/);
    expect(token.refreshToken).toBeUndefined();
    const accounts = await ssoClient(emu).send(new ListAccountsCommand({ accessToken: token.accessToken }));
    expect(accounts.accountList?.length).toBeGreaterThan(0);
    // Nothing it could present is honoured, not even a refresh token issued to a refreshable registration.
    const refreshable = await signIn(emu, 'operator');
    for (const refreshToken of [token.refreshToken ?? 'aorNOTATOKEN:AAAA', refreshable.refreshToken]) {
      const error = await failure(refresh(client, refreshToken));
      expect(error).toBeInstanceOf(InvalidGrantException);
      expect(error.error).toBe('invalid_grant');
      expect(error.error_description).toBe('Invalid refresh token provided');
    }
    // …and the refreshable one was not spent by the refusal.
    expect((await refresh(refreshable, refreshable.refreshToken)).accessToken).toMatch(/^aoa/);
  });

  test('a registration with sso:account:access among other scopes gets a refresh token that works', async () => {
    const { client, token } = await signInRegisteredWith(['openid', 'sso:account:access', 'codewhisperer:completions']);
    expect(token.refreshToken).toMatch(/^aor/);
    const next = await refresh(client, token.refreshToken ?? '');
    expect(next.refreshToken).toMatch(/^aor/);
  });

  test('a refresh grant without refreshToken is InvalidRequestException', async () => {
    const client = await registerClient(emu);
    const error = await failure(oidcClient(emu).send(new CreateTokenCommand({ clientId: client.clientId, clientSecret: client.clientSecret, grantType: 'refresh_token' })));
    expect(error).toBeInstanceOf(InvalidRequestException);
  });
});
