import 'server-only';

import { randomUUID } from 'node:crypto';

import { createAuditTrail, type AuditTrail } from '@/lib/server/audit';
import { createOidcGateway } from '@/lib/server/aws/oidc';
import { createLogout, createPortalGateway, type PortalGateway } from '@/lib/server/aws/portal';
import { createInstanceRunner } from '@/lib/server/aws/runner';
import { getConfig, type IdentityCenterInstance, type ServerConfig } from '@/lib/server/core/config';
import { logger } from '@/lib/server/core/log';
import { createSealer, type Sealer } from '@/lib/server/core/crypto';
import { GatehouseError } from '@/lib/server/core/errors';
import { createKeptCredentials, type KeptCredentials } from '@/lib/server/credentials/kept-credentials';
import { createListingService, type ListingService } from '@/lib/server/listing/service';
import { createConsolePreferencesService, type ConsolePreferencesService } from '@/lib/server/preferences/console-preferences';
import { createListPreferencesService, type ListPreferencesService } from '@/lib/server/preferences/list-preferences';
import { createFavoritesService, type FavoritesService } from '@/lib/server/preferences/favorites';
import { clientName } from '@/lib/server/session/client-name';
import { demoSessionSecret } from '@/lib/server/session/demo-secret';
import { createSessionManager, DEFAULT_REFRESH_WINDOW_MS, type SessionManager } from '@/lib/server/session/session-manager';
import { createTerminalRegistry, type TerminalRegistry } from '@/lib/server/session/terminal-registry';
import { createRedisStore } from '@/lib/server/store/redis-store';
import { createSealedRecords, type SealedRecords } from '@/lib/server/store/sealed';
import { createSqliteStore } from '@/lib/server/store/sqlite-store';
import type { KeyValueStore } from '@/lib/server/store/types';
import { createUnavailableStore } from '@/lib/server/store/unavailable-store';

/**
 * The one services container of the process, built once from the configuration: the store, the
 * sealer, the audit trail, and for each Identity Center instance its sessions, its rate-limited
 * portal API, the listing and the person's preferences. Kept on globalThis because Next.js may
 * evaluate this module in more than one bundle; there must be one store connection and one rate
 * limiter per process. Everything here imports downward only; nothing below imports this.
 */

export interface InstanceServices {
  instance: IdentityCenterInstance;
  sessions: SessionManager;
  portal: PortalGateway;
  listing: ListingService;
  favorites: FavoritesService;
  consolePreferences: ConsolePreferencesService;
  listPreferences: ListPreferencesService;
  terminals: TerminalRegistry;
  /** The person's browser sessions, for their Activity page (same shape, no notices). */
  browsers: TerminalRegistry;
}

export interface Services {
  config: ServerConfig;
  store: KeyValueStore;
  sealer: Sealer;
  sealed: SealedRecords;
  audit: AuditTrail;
  /** Role credentials kept for people's terminals, fetched once per burst across processes. */
  keptCredentials: KeptCredentials;
  /** The services of one configured instance. */
  of(instance: IdentityCenterInstance): InstanceServices;
}

const SERVICES = Symbol.for('gatehouse.services');
type GlobalWithServices = typeof globalThis & { [SERVICES]?: Services };

/** Redis, or the SQLite file; a SQLite store that cannot open is an unavailable one, said once in the log. */
function openStore(config: ServerConfig): KeyValueStore {
  if (config.redisUrl) return createRedisStore(config.redisUrl);
  try {
    return createSqliteStore(config.dataDir);
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').slice(0, 400);
    logger().error({ event: 'store_unavailable', store: 'sqlite', reason });
    return createUnavailableStore('sqlite', error);
  }
}

function build(): Services {
  const config = getConfig();
  const store = openStore(config);
  const sealer = createSealer(config.sessionSecrets.length > 0 ? config.sessionSecrets : [demoSessionSecret(config.dataDir)]);
  const sealed = createSealedRecords(store, sealer);
  const audit = createAuditTrail({ store, config });

  const byKey = new Map<string, InstanceServices>();
  // PUBLIC_URL's host, never a request's, names the portal on Identity Center's approval page.
  const host = new URL(config.publicUrl).host;
  const clientNames = { browser: clientName(host, 'browser'), terminal: clientName(host, 'terminal') };
  for (const instance of config.instances) {
    const runner = createInstanceRunner(instance, config);
    const portal = createPortalGateway(instance, runner);
    byKey.set(instance.key, {
      instance,
      portal,
      sessions: createSessionManager({
        store,
        sealer,
        now: Date.now,
        settings: { ...config.session, refreshWindowMs: DEFAULT_REFRESH_WINDOW_MS },
        instanceId: instance.id,
        clientNames,
        oidc: createOidcGateway(instance, runner),
        portal: { logout: createLogout(instance, runner) },
        onSessionEnded: (reason, userName, sessionRef) => {
          // Written whenever a session ends, whichever request noticed; the trail handles its own failures.
          void audit.record({
            event: reason === 'signed_out' ? 'session_logout' : 'session_expired',
            user: userName,
            reason,
            instance: instance.id,
            session: sessionRef,
            requestId: randomUUID(),
          });
        },
      }),
      listing: createListingService({ sealed, portal, now: Date.now, cacheMs: config.accountsCacheMs, maxAgeMs: config.listingMaxAgeMs, stsRegion: instance.ssoRegion }),
      favorites: createFavoritesService({ sealed }),
      consolePreferences: createConsolePreferencesService({ sealed }),
      listPreferences: createListPreferencesService({ sealed }),
      terminals: createTerminalRegistry({ sealed }),
      browsers: createTerminalRegistry({ sealed, prefix: 'browsers' }),
    });
  }
  return {
    config,
    store,
    sealer,
    sealed,
    audit,
    keptCredentials: createKeptCredentials({ store, sealed }),
    of: (instance) => {
      const found = byKey.get(instance.key);
      if (!found) throw new GatehouseError('unknown_instance');
      return found;
    },
  };
}

export function services(): Services {
  const holder = globalThis as GlobalWithServices;
  holder[SERVICES] ??= build();
  return holder[SERVICES];
}
