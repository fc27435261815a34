import 'server-only';

import { SSOClient } from '@aws-sdk/client-sso';
import { SSOOIDCClient } from '@aws-sdk/client-sso-oidc';
import { NodeHttpHandler } from '@smithy/node-http-handler';

import type { IdentityCenterInstance } from '@/lib/server/core/config';

/**
 * One SDK client per service and Identity Center instance, with bounded sockets and timeouts so a
 * slow AWS answer fails a request instead of holding it forever.
 */

const REQUEST_TIMEOUT_MS = 10_000;
const CONNECTION_TIMEOUT_MS = 3_000;
const MAX_SOCKETS = 25;

interface InstanceClients {
  oidc: SSOOIDCClient;
  portal: SSOClient;
}

const cache = new Map<string, InstanceClients>();

function handler() {
  return new NodeHttpHandler({
    requestTimeout: REQUEST_TIMEOUT_MS,
    // Without this the handler only logs a warning when requestTimeout passes and goes on waiting.
    throwOnRequestTimeout: true,
    connectionTimeout: CONNECTION_TIMEOUT_MS,
    httpAgent: { maxSockets: MAX_SOCKETS, keepAlive: true },
    httpsAgent: { maxSockets: MAX_SOCKETS, keepAlive: true },
  });
}

export function clientsFor(instance: IdentityCenterInstance): InstanceClients {
  let clients = cache.get(instance.id);
  if (!clients) {
    const base = { region: instance.ssoRegion, requestHandler: handler() };
    clients = {
      // Retries are ours, so that every attempt passes the instance's rate limiter (and a device
      // flow's CreateToken polls keep their own schedule).
      oidc: new SSOOIDCClient({ ...base, endpoint: instance.endpoints.ssoOidc, maxAttempts: 1 }),
      portal: new SSOClient({ ...base, endpoint: instance.endpoints.sso, maxAttempts: 1 }),
    };
    cache.set(instance.id, clients);
  }
  return clients;
}
