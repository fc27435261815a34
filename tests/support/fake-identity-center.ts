/**
 * A scripted Identity Center for the session layer's unit tests: client registration and device
 * authorization always succeed, CreateToken answers what the test scripted, Logout is recorded. The
 * fake clock decides every time, so the portal's own schedule can be tested to the millisecond.
 */
import type { ClientRegistration, OidcGateway, OidcResult, TokenResult } from '@/lib/server/aws/oidc';
import type { PortalGateway } from '@/lib/server/aws/portal';

import type { FakeClock } from './clock';

const MINUTE = 60_000;

export type Scripted = TokenResult | (() => Promise<TokenResult>);

export function fakeIdentityCenter(clock: FakeClock, options: { intervalSeconds?: number; expiresInSeconds?: number } = {}) {
  const calls: { at: number; grant: string }[] = [];
  const script: Scripted[] = [];
  const logouts: string[] = [];
  let registrations = 0;
  const registeredNames: string[] = [];
  const clientsUsed: string[] = [];
  let issued = 0;
  const grant = (refresh = true): TokenResult => {
    issued += 1;
    return {
      ok: true,
      value: { accessToken: `access-${issued}`, expiresInSeconds: 3600, refreshToken: refresh ? `refresh-${issued}` : undefined },
    };
  };
  const oidc: OidcGateway = {
    async registerClient(clientName): Promise<OidcResult<ClientRegistration>> {
      registrations += 1;
      registeredNames.push(clientName);
      return { ok: true, value: { clientId: `client-${registrations}`, clientSecret: 'secret', expiresAt: clock.now() + 90 * 24 * 60 * MINUTE } };
    },
    async startDeviceAuthorization() {
      return {
        ok: true,
        value: {
        deviceCode: 'device-code',
        userCode: 'ABCD-EFGH',
        verificationUri: 'https://device.example/',
        verificationUriComplete: 'https://device.example/?user_code=ABCD-EFGH',
        expiresInSeconds: options.expiresInSeconds ?? 600,
        intervalSeconds: options.intervalSeconds ?? 1,
        },
      };
    },
    async createToken(client, request) {
      clientsUsed.push(client.clientId);
      calls.push({ at: clock.now(), grant: 'deviceCode' in request ? 'device' : `refresh:${request.refreshToken}` });
      const next = script.shift();
      if (next === undefined) throw new Error('unscripted CreateToken call');
      return typeof next === 'function' ? next() : next;
    },
  };
  const portal: Pick<PortalGateway, 'logout'> = {
    async logout(token) {
      logouts.push(token);
    },
  };
  return {
    oidc,
    portal,
    calls,
    script,
    logouts,
    grant,
    registrations: () => registrations,
    /** The client names registered, in order (one registration per kind of session). */
    registeredNames,
    /** The client id each CreateToken call was made with. */
    clientsUsed,
    pending: (): TokenResult => ({ ok: false, failure: { kind: 'authorization_pending' } }),
    slowDown: (): TokenResult => ({ ok: false, failure: { kind: 'slow_down' } }),
    denied: (): TokenResult => ({ ok: false, failure: { kind: 'access_denied' } }),
    invalidGrant: (): TokenResult => ({ ok: false, failure: { kind: 'rejected', code: 'InvalidGrantException' } }),
    throttled: (): TokenResult => ({ ok: false, failure: { kind: 'transient', code: 'TooManyRequestsException' } }),
  };
}

