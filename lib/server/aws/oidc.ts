import 'server-only';

import {
  CreateTokenCommand,
  RegisterClientCommand,
  StartDeviceAuthorizationCommand,
} from '@aws-sdk/client-sso-oidc';
import { z } from 'zod';

import type { IdentityCenterInstance } from '@/lib/server/core/config';

import { clientsFor } from './clients';
import type { AwsCallRunner } from './portal';

/**
 * SSO OIDC for the portal: client registration, device authorization and tokens. Every call goes
 * through the instance's rate limiter like every other call to Identity Center, so sign-ins and
 * their polling spend the same budget. Answers are checked with zod (the SDK types every member as
 * optional) and returned as small plain objects; failures are classified the way the device flow
 * and token refresh need them.
 */

export const SSO_SCOPES = ['sso:account:access'];
const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

export interface ClientRegistration {
  clientId: string;
  clientSecret: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

export interface DeviceAuthorization {
  deviceCode: string;
  userCode: string;
  verificationUri: string;
  verificationUriComplete: string;
  expiresInSeconds: number;
  intervalSeconds: number;
}

export interface TokenGrant {
  accessToken: string;
  expiresInSeconds: number;
  refreshToken?: string;
}

export type OidcFailure =
  | { kind: 'authorization_pending' }
  | { kind: 'slow_down' }
  | { kind: 'access_denied' }
  | { kind: 'expired_token' }
  /** A definitive rejection: the grant or the client is no longer good. */
  | { kind: 'rejected'; code: string }
  /** Throttling, a 5xx, a timeout or a dropped connection: try again later. */
  | { kind: 'transient'; code: string };

/** What an OIDC call gave: its value, or how it failed (the session layer decides what that means). */
export type OidcResult<T> = { ok: true; value: T } | { ok: false; failure: OidcFailure };

export type TokenResult = OidcResult<TokenGrant>;

export interface OidcGateway {
  registerClient(clientName: string): Promise<OidcResult<ClientRegistration>>;
  startDeviceAuthorization(client: ClientRegistration): Promise<OidcResult<DeviceAuthorization>>;
  createToken(client: ClientRegistration, grant: { deviceCode: string } | { refreshToken: string }): Promise<TokenResult>;
}

const registrationSchema = z.object({
  clientId: z.string().regex(/^[\x21-\x7e]{1,8192}$/),
  clientSecret: z.string().regex(/^[\x21-\x7e]{1,8192}$/),
  clientSecretExpiresAt: z.number().int().positive(),
});

/** Opaque values sent back to AWS only: printable ASCII, no spaces. */
const opaque = z.string().regex(/^[\x21-\x7e]{1,8192}$/);

/**
 * The page a person opens to approve: shown as a link, so only https (or http on this machine, the
 * demo's emulator). A `javascript:` or `data:` address from a hostile answer never reaches the page.
 */
const approvalUrl = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || (url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname));
  } catch {
    return false;
  }
});

const deviceAuthorizationSchema = z.object({
  deviceCode: opaque,
  // Shown for the person to compare with Identity Center's page: letters, digits and hyphens.
  userCode: z.string().regex(/^[A-Za-z0-9-]{4,32}$/),
  verificationUri: approvalUrl,
  verificationUriComplete: approvalUrl,
  expiresIn: z.number().int().positive(),
  // RFC 8628 §3.2: without an interval, clients use 5 seconds.
  interval: z.number().int().positive().optional(),
});

const tokenSchema = z.object({
  accessToken: opaque,
  expiresIn: z.number().int().positive(),
  refreshToken: opaque.optional(),
});

const DEFINITIVE = new Set([
  'InvalidGrantException',
  'InvalidClientException',
  'UnauthorizedClientException',
  'UnsupportedGrantTypeException',
  'InvalidScopeException',
  'InvalidRequestException',
  'InvalidClientMetadataException',
]);

export function classifyOidcError(error: unknown): OidcFailure {
  // The limiter's retries wrap what AWS answered; what it answered decides.
  const answered = error instanceof Error && error.name === 'AwsCallError' && error.cause !== undefined ? error.cause : error;
  const name = answered instanceof Error ? answered.name : 'Unknown';
  switch (name) {
    case 'AuthorizationPendingException':
      return { kind: 'authorization_pending' };
    case 'SlowDownException':
      return { kind: 'slow_down' };
    case 'AccessDeniedException':
      return { kind: 'access_denied' };
    case 'ExpiredTokenException':
      return { kind: 'expired_token' };
  }
  if (DEFINITIVE.has(name)) return { kind: 'rejected', code: name };
  return { kind: 'transient', code: name };
}

/** What a failed OIDC call is counted as in the metrics: polling answers (pending, slow_down) are outcomes too. */
function outcomeOf(error: unknown): string {
  return error instanceof z.ZodError ? 'transient' : classifyOidcError(error).kind;
}

/** All sign-in calls share one fairness key in the limiter: a flood of sign-ins cannot starve people's listings. */
const SIGN_IN_TICKET = { owner: 'sign-in', priority: 'interactive' } as const;

export function createOidcGateway(instance: IdentityCenterInstance, run: AwsCallRunner): OidcGateway {
  const { oidc } = clientsFor(instance);
  const failed = (error: unknown): { ok: false; failure: OidcFailure } => ({
    ok: false,
    failure: error instanceof z.ZodError ? { kind: 'transient', code: 'MalformedAnswer' } : classifyOidcError(error),
  });
  return {
    async registerClient(clientName) {
      try {
        const answer = registrationSchema.parse(
          await run(
            SIGN_IN_TICKET,
            (abortSignal) =>
              oidc.send(
                new RegisterClientCommand({
                  clientName,
                  clientType: 'public',
                  scopes: SSO_SCOPES,
                  grantTypes: [DEVICE_GRANT, 'refresh_token'],
                }),
                { abortSignal },
              ),
            'RegisterClient',
            { outcomeOf },
          ),
        );
        return {
          ok: true,
          value: { clientId: answer.clientId, clientSecret: answer.clientSecret, expiresAt: answer.clientSecretExpiresAt * 1000 },
        };
      } catch (error) {
        return failed(error);
      }
    },

    async startDeviceAuthorization(client) {
      try {
        const answer = deviceAuthorizationSchema.parse(
          await run(
            SIGN_IN_TICKET,
            (abortSignal) =>
              oidc.send(
                new StartDeviceAuthorizationCommand({ clientId: client.clientId, clientSecret: client.clientSecret, startUrl: instance.startUrl }),
                { abortSignal },
              ),
            'StartDeviceAuthorization',
            { outcomeOf },
          ),
        );
        return {
          ok: true,
          value: {
            deviceCode: answer.deviceCode,
            userCode: answer.userCode,
            verificationUri: answer.verificationUri,
            verificationUriComplete: answer.verificationUriComplete,
            expiresInSeconds: answer.expiresIn,
            intervalSeconds: answer.interval ?? 5,
          },
        };
      } catch (error) {
        return failed(error);
      }
    },

    async createToken(client, grant) {
      const input =
        'deviceCode' in grant
          ? { clientId: client.clientId, clientSecret: client.clientSecret, grantType: DEVICE_GRANT, deviceCode: grant.deviceCode }
          : { clientId: client.clientId, clientSecret: client.clientSecret, grantType: 'refresh_token', refreshToken: grant.refreshToken };
      try {
        const answer = tokenSchema.parse(
          await run(SIGN_IN_TICKET, (abortSignal) => oidc.send(new CreateTokenCommand(input), { abortSignal }), 'CreateToken', { outcomeOf }),
        );
        return {
          ok: true,
          value: { accessToken: answer.accessToken, expiresInSeconds: answer.expiresIn, refreshToken: answer.refreshToken },
        };
      } catch (error) {
        return failed(error);
      }
    },
  };
}
