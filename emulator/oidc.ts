/**
 * SSO OIDC (doc §1): RegisterClient, StartDeviceAuthorization, CreateToken (device code and refresh token
 * grants). restJson1 over JSON bodies; errors carry the shape in x-amzn-ErrorType and an OAuth body.
 */
import { z } from 'zod';
import { sendJson, sendOidcError } from './http';
import { describeIssues } from './knobs';
import type { EmulatorRuntime, GrantKind } from './runtime';
import { REFRESHABLE_SCOPE, type ClientRecord, type IssuedTokens } from './store';
import type { EmulatorRequest } from './types';

const DEVICE_GRANTS = new Set([
  'urn:ietf:params:oauth:grant-type:device_code',
  // AWS's own documentation example uses a hyphen; accept both.
  'urn:ietf:params:oauth:grant-type:device-code',
]);

/** Grant types a registration may ask for: the ones real clients send (doc §1.1, §1.4). */
const REGISTRABLE_GRANTS = new Set([...DEVICE_GRANTS, 'refresh_token', 'authorization_code']);

/**
 * Scopes real clients register: the AWS CLI and SDKs (`sso:account:access`), OpenID clients (`openid`,
 * `aws`), and the Amazon Q / CodeWhisperer family (`codewhisperer:completions`, `…:analysis`, …).
 */
const REGISTRABLE_SCOPES = new Set([REFRESHABLE_SCOPE, 'openid', 'aws']);
const CODEWHISPERER_SCOPE = /^codewhisperer:[a-z]+$/;

function registrableScope(scope: string): boolean {
  return REGISTRABLE_SCOPES.has(scope) || CODEWHISPERER_SCOPE.test(scope);
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Redirect URIs are loopback URLs only (RFC 8252 §7.3), as the AWS CLI's PKCE flow registers them
 * (`http://127.0.0.1/oauth/callback`, no port): http(s), a loopback host, any port, no user info and
 * no fragment (RFC 6749 §3.1.2).
 */
function loopbackRedirectUri(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return (url.protocol === 'http:' || url.protocol === 'https:')
    && LOOPBACK_HOSTS.has(url.hostname)
    && url.username === '' && url.password === ''
    && !value.includes('#');
}

/** The grant a CreateToken asks for, as the stats count it. */
function grantKind(grantType: string): GrantKind {
  if (DEVICE_GRANTS.has(grantType)) return 'device_code';
  if (grantType === 'refresh_token' || grantType === 'authorization_code') return grantType;
  return 'other';
}

const text = z.string().min(1).max(8192);
// Absent members are omitted by the SDKs; a JSON null is treated the same way.
const optionalText = text.nullish();
const optionalList = z.array(text).max(100).nullish();

const registerClientSchema = z.object({
  clientName: text,
  clientType: text,
  scopes: optionalList,
  redirectUris: optionalList,
  grantTypes: optionalList,
  issuerUrl: optionalText,
  entitledApplicationArn: optionalText,
});

const startDeviceAuthorizationSchema = z.object({
  clientId: text,
  clientSecret: text,
  startUrl: text,
});

const createTokenSchema = z.object({
  clientId: text,
  clientSecret: text,
  grantType: text,
  deviceCode: optionalText,
  code: optionalText,
  refreshToken: optionalText,
  scope: optionalList,
  redirectUri: optionalText,
  codeVerifier: optionalText,
});

function invalidRequest(request: EmulatorRequest, description: string): void {
  sendOidcError(request.res, request.requestId, 400, 'InvalidRequestException', 'invalid_request', description);
}

/** Parses the JSON body with `schema`; on failure answers InvalidRequestException and returns undefined. */
function parseBody<T extends z.ZodType>(request: EmulatorRequest, schema: T): z.infer<T> | undefined {
  let json: unknown;
  try {
    json = JSON.parse(request.body.toString('utf8'));
  } catch {
    invalidRequest(request, 'Request body is not valid JSON');
    return undefined;
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    invalidRequest(request, 'Request body must be a JSON object');
    return undefined;
  }
  const result = schema.safeParse(json);
  if (!result.success) {
    invalidRequest(request, `Invalid request: ${describeIssues(result.error)}`);
    return undefined;
  }
  return result.data;
}

/** Checks clientId/clientSecret; answers InvalidClientException (401) itself when they do not hold. */
function authenticateClient(runtime: EmulatorRuntime, request: EmulatorRequest, clientId: string, clientSecret: string): ClientRecord | undefined {
  const check = runtime.store.checkClient(clientId, clientSecret, runtime.ctx.clock.now());
  if (check.ok) return check.client;
  const description = check.reason === 'expired' ? 'Client registration has expired' : 'Invalid client provided';
  sendOidcError(request.res, request.requestId, 401, 'InvalidClientException', 'invalid_client', description);
  return undefined;
}

/** Start URLs compare without a trailing slash or `#/` (both forms circulate in AWS configs). */
function normalizeStartUrl(url: string): string {
  return url.trim().replace(/#\/?$/, '').replace(/\/+$/, '').toLowerCase();
}

export function createOidcHandlers(runtime: EmulatorRuntime) {
  const { ctx, store } = runtime;

  function registerClient(request: EmulatorRequest): void {
    const input = parseBody(request, registerClientSchema);
    if (!input) return;
    const { res, requestId } = request;
    if (input.clientType !== 'public') {
      sendOidcError(res, requestId, 400, 'InvalidClientMetadataException', 'invalid_client_metadata',
        'Invalid client type: only public clients are supported');
      return;
    }
    // Named in the answer: what a client sent is not a secret, and the name is what a developer needs.
    const badScope = input.scopes?.find((scope) => !registrableScope(scope));
    if (badScope !== undefined) {
      sendOidcError(res, requestId, 400, 'InvalidScopeException', 'invalid_scope', `Invalid scope requested: ${badScope}`);
      return;
    }
    const badGrant = input.grantTypes?.find((grant) => !REGISTRABLE_GRANTS.has(grant));
    if (badGrant !== undefined) {
      sendOidcError(res, requestId, 400, 'UnsupportedGrantTypeException', 'unsupported_grant_type', `Unsupported grant type: ${badGrant}`);
      return;
    }
    const badRedirect = input.redirectUris?.find((uri) => !loopbackRedirectUri(uri));
    if (badRedirect !== undefined) {
      sendOidcError(res, requestId, 400, 'InvalidRedirectUriException', 'invalid_redirect_uri',
        `Invalid redirect URI: ${badRedirect}; only loopback http(s) URLs are accepted`);
      return;
    }
    const now = ctx.clock.now();
    const client = store.registerClient(input.clientName, input.scopes ?? [], now, ctx.knobs);
    sendJson(res, 200, {
      clientId: client.clientId,
      clientSecret: client.clientSecret,
      clientIdIssuedAt: Math.floor(client.issuedAtMs / 1000),
      clientSecretExpiresAt: Math.floor(client.expiresAtMs / 1000),
    }, requestId);
  }

  function startDeviceAuthorization(request: EmulatorRequest): void {
    const input = parseBody(request, startDeviceAuthorizationSchema);
    if (!input) return;
    const client = authenticateClient(runtime, request, input.clientId, input.clientSecret);
    if (!client) return;
    if (normalizeStartUrl(input.startUrl) !== normalizeStartUrl(ctx.directory.startUrl)) {
      invalidRequest(request, 'Invalid start URL: it does not belong to this Identity Center instance');
      return;
    }
    const authorization = store.startDeviceAuthorization(client, ctx.clock.now(), ctx.knobs);
    const verificationUri = `${ctx.publicUrl}/device`;
    sendJson(request.res, 200, {
      deviceCode: authorization.deviceCode,
      expiresIn: ctx.knobs.deviceCodeTtlSeconds,
      interval: authorization.intervalSeconds,
      userCode: authorization.userCode,
      verificationUri,
      verificationUriComplete: `${verificationUri}?user_code=${encodeURIComponent(authorization.userCode)}`,
    }, request.requestId);
  }

  function createToken(request: EmulatorRequest): void {
    if (request.url.searchParams.has('aws_iam')) {
      invalidRequest(request, 'CreateTokenWithIAM is not supported by this emulator');
      return;
    }
    const input = parseBody(request, createTokenSchema);
    if (!input) return;
    const { res, requestId } = request;
    // Every answer is counted by grant and outcome, so a test can tell refreshes from sign-ins.
    const grant = grantKind(input.grantType);
    const refuse = (status: number, shape: string, error: string, description: string): void => {
      runtime.stats.recordGrant(grant, error);
      sendOidcError(res, requestId, status, shape, error, description);
    };
    const issue = (tokens: IssuedTokens): void => {
      runtime.stats.recordGrant(grant, 'issued');
      sendJson(res, 200, {
        accessToken: tokens.accessToken,
        tokenType: 'Bearer',
        expiresIn: tokens.expiresIn,
        ...(tokens.refreshToken === undefined ? {} : { refreshToken: tokens.refreshToken }),
      }, requestId);
    };

    const client = authenticateClient(runtime, request, input.clientId, input.clientSecret);
    if (!client) {
      runtime.stats.recordGrant(grant, 'invalid_client');
      return;
    }
    const now = ctx.clock.now();

    if (grant === 'device_code') {
      if (!input.deviceCode) return refuse(400, 'InvalidRequestException', 'invalid_request', 'deviceCode is required for the device code grant');
      const result = store.pollDeviceCode(input.deviceCode, client, now, ctx.knobs);
      if (result.ok) return issue(result.tokens);
      switch (result.reason) {
        case 'pending':
          return refuse(400, 'AuthorizationPendingException', 'authorization_pending', 'Authorization is still pending');
        case 'slow-down':
          return refuse(400, 'SlowDownException', 'slow_down', 'Client is polling too quickly; increase the polling interval by 5 seconds');
        case 'denied':
          return refuse(400, 'AccessDeniedException', 'access_denied', 'The user denied the authorization request');
        case 'expired':
          return refuse(400, 'ExpiredTokenException', 'expired_token', 'The device code has expired');
        case 'unknown':
        case 'wrong-client':
        case 'consumed':
          return refuse(400, 'InvalidGrantException', 'invalid_grant', 'Invalid device code provided');
      }
    }

    if (grant === 'refresh_token') {
      if (!input.refreshToken) return refuse(400, 'InvalidRequestException', 'invalid_request', 'refreshToken is required for the refresh_token grant');
      const result = store.refresh(input.refreshToken, client.clientId, now, ctx.knobs);
      // Unknown, rotated, revoked, expired or another client's token. This is also the answer to a
      // registration without sso:account:access, which is never given a refresh token, so whatever it
      // presents was not issued to it: RFC 6749 §5.2 calls that invalid_grant, and it is AWS's answer to
      // every refresh token it will not honour (aws-cli #8561). Not UnauthorizedClientException: AWS
      // ties refreshing to the scope, not to the registered grantTypes (the CLI's device flow registers
      // none and refreshes).
      if (!result.ok) return refuse(400, 'InvalidGrantException', 'invalid_grant', 'Invalid refresh token provided');
      return issue(result.tokens);
    }

    // authorization_code (PKCE) is not emulated; say so with the modeled shape rather than a 404.
    refuse(400, 'UnsupportedGrantTypeException', 'unsupported_grant_type', 'Unsupported grant type');
  }

  return { registerClient, startDeviceAuthorization, createToken };
}
