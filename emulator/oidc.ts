/**
 * SSO OIDC (doc §1): RegisterClient, StartDeviceAuthorization, CreateToken (device code and refresh token
 * grants). restJson1 over JSON bodies; errors carry the shape in x-amzn-ErrorType and an OAuth body.
 */
import { z } from 'zod';
import { sendJson, sendOidcError } from './http';
import { describeIssues } from './knobs';
import type { EmulatorRuntime } from './runtime';
import type { ClientRecord } from './store';
import type { EmulatorRequest } from './types';

const DEVICE_GRANTS = new Set([
  'urn:ietf:params:oauth:grant-type:device_code',
  // AWS's own documentation example uses a hyphen; accept both.
  'urn:ietf:params:oauth:grant-type:device-code',
]);

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
    if (input.clientType !== 'public') {
      sendOidcError(request.res, request.requestId, 400, 'InvalidClientMetadataException', 'invalid_client_metadata',
        'Invalid client type: only public clients are supported');
      return;
    }
    const now = ctx.clock.now();
    const client = store.registerClient(input.clientName, input.scopes ?? [], now, ctx.knobs);
    sendJson(request.res, 200, {
      clientId: client.clientId,
      clientSecret: client.clientSecret,
      clientIdIssuedAt: Math.floor(client.issuedAtMs / 1000),
      clientSecretExpiresAt: Math.floor(client.expiresAtMs / 1000),
    }, request.requestId);
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
    const client = authenticateClient(runtime, request, input.clientId, input.clientSecret);
    if (!client) return;
    const now = ctx.clock.now();
    const { res, requestId } = request;

    if (DEVICE_GRANTS.has(input.grantType)) {
      if (!input.deviceCode) {
        invalidRequest(request, 'deviceCode is required for the device code grant');
        return;
      }
      const result = store.pollDeviceCode(input.deviceCode, client.clientId, now, ctx.knobs);
      if (result.ok) {
        sendJson(res, 200, { accessToken: result.tokens.accessToken, tokenType: 'Bearer', expiresIn: result.tokens.expiresIn, refreshToken: result.tokens.refreshToken }, requestId);
        return;
      }
      switch (result.reason) {
        case 'pending':
          return sendOidcError(res, requestId, 400, 'AuthorizationPendingException', 'authorization_pending', 'Authorization is still pending');
        case 'slow-down':
          return sendOidcError(res, requestId, 400, 'SlowDownException', 'slow_down', 'Client is polling too quickly; increase the polling interval by 5 seconds');
        case 'denied':
          return sendOidcError(res, requestId, 400, 'AccessDeniedException', 'access_denied', 'The user denied the authorization request');
        case 'expired':
          return sendOidcError(res, requestId, 400, 'ExpiredTokenException', 'expired_token', 'The device code has expired');
        case 'unknown':
        case 'wrong-client':
        case 'consumed':
          return sendOidcError(res, requestId, 400, 'InvalidGrantException', 'invalid_grant', 'Invalid device code provided');
      }
    }

    if (input.grantType === 'refresh_token') {
      if (!input.refreshToken) {
        invalidRequest(request, 'refreshToken is required for the refresh_token grant');
        return;
      }
      const result = store.refresh(input.refreshToken, client.clientId, now, ctx.knobs);
      if (!result.ok) {
        sendOidcError(res, requestId, 400, 'InvalidGrantException', 'invalid_grant', 'Invalid refresh token provided');
        return;
      }
      sendJson(res, 200, { accessToken: result.tokens.accessToken, tokenType: 'Bearer', expiresIn: result.tokens.expiresIn, refreshToken: result.tokens.refreshToken }, requestId);
      return;
    }

    // authorization_code (PKCE) is not emulated; say so with the modeled shape rather than a 404.
    sendOidcError(res, requestId, 400, 'UnsupportedGrantTypeException', 'unsupported_grant_type', 'Unsupported grant type');
  }

  return { registerClient, startDeviceAuthorization, createToken };
}
