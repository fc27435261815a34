import 'server-only';

import {
  CreateTokenCommand,
  RegisterClientCommand,
  StartDeviceAuthorizationCommand,
} from '@aws-sdk/client-sso-oidc';
import { z } from 'zod';

import type { IdentityCenterInstance } from '@/lib/server/core/config';
import { metrics } from '@/lib/server/core/metrics';

import { clientsFor } from './clients';

/**
 * SSO OIDC for the portal: client registration, device authorization and tokens. Answers are
 * checked with zod (the SDK types every member as optional) and returned as small plain objects;
 * failures are classified the way the device flow and token refresh need them.
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
  const name = error instanceof Error ? error.name : 'Unknown';
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

/** Counts an OIDC call's outcome; polling answers (pending, slow_down) are outcomes too. */
function counted(instance: string, operation: string, outcome: string): void {
  metrics().awsCalls.inc({ identity_center: instance, operation, outcome });
  if (outcome === 'slow_down') metrics().awsThrottles.inc({ identity_center: instance, operation });
}

export function createOidcGateway(instance: IdentityCenterInstance): OidcGateway {
  const { oidc, oidcSingleAttempt } = clientsFor(instance);
  return {
    async registerClient(clientName) {
      try {
        const answer = registrationSchema.parse(
          await oidc.send(
            new RegisterClientCommand({
              clientName,
              clientType: 'public',
              scopes: SSO_SCOPES,
              grantTypes: [DEVICE_GRANT, 'refresh_token'],
            }),
          ),
        );
        counted(instance.key, 'RegisterClient', 'success');
        return {
          ok: true,
          value: { clientId: answer.clientId, clientSecret: answer.clientSecret, expiresAt: answer.clientSecretExpiresAt * 1000 },
        };
      } catch (error) {
        const failure: OidcFailure = error instanceof z.ZodError ? { kind: 'transient', code: 'MalformedAnswer' } : classifyOidcError(error);
        counted(instance.key, 'RegisterClient', failure.kind);
        return { ok: false, failure };
      }
    },

    async startDeviceAuthorization(client) {
      try {
        const answer = deviceAuthorizationSchema.parse(
          await oidc.send(
            new StartDeviceAuthorizationCommand({
              clientId: client.clientId,
              clientSecret: client.clientSecret,
              startUrl: instance.startUrl,
            }),
          ),
        );
        counted(instance.key, 'StartDeviceAuthorization', 'success');
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
        const failure: OidcFailure = error instanceof z.ZodError ? { kind: 'transient', code: 'MalformedAnswer' } : classifyOidcError(error);
        counted(instance.key, 'StartDeviceAuthorization', failure.kind);
        return { ok: false, failure };
      }
    },

    async createToken(client, grant) {
      try {
        const answer = tokenSchema.parse(
          await oidcSingleAttempt.send(
            new CreateTokenCommand(
              'deviceCode' in grant
                ? {
                    clientId: client.clientId,
                    clientSecret: client.clientSecret,
                    grantType: DEVICE_GRANT,
                    deviceCode: grant.deviceCode,
                  }
                : {
                    clientId: client.clientId,
                    clientSecret: client.clientSecret,
                    grantType: 'refresh_token',
                    refreshToken: grant.refreshToken,
                  },
            ),
          ),
        );
        counted(instance.key, 'CreateToken', 'success');
        return {
          ok: true,
          value: { accessToken: answer.accessToken, expiresInSeconds: answer.expiresIn, refreshToken: answer.refreshToken },
        };
      } catch (error) {
        const failure: OidcFailure = error instanceof z.ZodError ? { kind: 'transient', code: 'MalformedAnswer' } : classifyOidcError(error);
        counted(instance.key, 'CreateToken', failure.kind);
        return { ok: false, failure };
      }
    },
  };
}
