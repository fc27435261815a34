import 'server-only';

import { randomUUID } from 'node:crypto';

import { audit } from '@/lib/server/audit';
import { createOidcGateway } from '@/lib/server/aws/oidc';
import { createLogout } from '@/lib/server/aws/portal';
import { getConfig, type IdentityCenterInstance, type ServerConfig } from '@/lib/server/env';
import { createSealer, type Sealer } from '@/lib/server/session/crypto';
import { demoSessionSecret } from '@/lib/server/session/demo-secret';
import { createSessionManager, DEFAULT_REFRESH_WINDOW_MS, type SessionManager } from '@/lib/server/session/session-manager';
import { createRedisStore } from '@/lib/server/store/redis-store';
import { createSqliteStore } from '@/lib/server/store/sqlite-store';
import type { KeyValueStore } from '@/lib/server/store/types';

/**
 * The process-wide services, built once from the configuration. Kept on globalThis because Next.js
 * may evaluate this module in more than one bundle; there must be one store connection per process.
 */
export interface PortalRuntime {
  config: ServerConfig;
  store: KeyValueStore;
  sealer: Sealer;
  /** The session manager of one configured instance. */
  sessionsFor: (instance: IdentityCenterInstance) => SessionManager;
}

const RUNTIME = Symbol.for('gatehouse.runtime');
type GlobalWithRuntime = typeof globalThis & { [RUNTIME]?: PortalRuntime };

function build(): PortalRuntime {
  const config = getConfig();
  const store = config.redisUrl ? createRedisStore(config.redisUrl) : createSqliteStore(config.dataDir);
  const secrets = config.sessionSecrets.length > 0 ? config.sessionSecrets : [demoSessionSecret(config.dataDir)];
  const sealer = createSealer(secrets);
  const sessions = new Map<string, SessionManager>();
  for (const instance of config.instances) {
    sessions.set(
      instance.key,
      createSessionManager({
        store,
        sealer,
        now: Date.now,
        settings: { ...config.session, refreshWindowMs: DEFAULT_REFRESH_WINDOW_MS },
        instanceId: instance.id,
        oidc: createOidcGateway(instance),
        portal: { logout: createLogout(instance) },
        onSessionEnded: (reason, userName, sessionRef) => {
          void audit({
            event: reason === 'signed_out' ? 'session_logout' : 'session_expired',
            user: userName,
            reason,
            instance: instance.id,
            session: sessionRef,
            requestId: randomUUID(),
          });
        },
      }),
    );
  }
  const sessionsFor = (instance: IdentityCenterInstance): SessionManager => {
    const manager = sessions.get(instance.key);
    if (!manager) throw new Error('UnknownInstance');
    return manager;
  };
  return { config, store, sealer, sessionsFor };
}

export function runtime(): PortalRuntime {
  const holder = globalThis as GlobalWithRuntime;
  holder[RUNTIME] ??= build();
  return holder[RUNTIME];
}
