import 'server-only';

import { type AwsCallRunner, createPortalGateway, type PortalGateway } from '@/lib/server/aws/portal';
import { createAwsCallScheduler, createRedisSlotSource, rateLimitKey } from '@/lib/server/aws/rate-limiter';
import { awsErrorKind, callWithRetries, classifyAwsError } from '@/lib/server/aws/retry';
import { type ConsolePreferencesService, createConsolePreferencesService } from '@/lib/server/dal/console-preferences';
import { createFavoritesService, type FavoritesService } from '@/lib/server/dal/favorites';
import { createListingService, type ListingService } from '@/lib/server/dal/listing';
import type { IdentityCenterInstance } from '@/lib/server/env';
import { logger } from '@/lib/server/log';
import { metrics } from '@/lib/server/metrics';
import { runtime } from '@/lib/server/runtime';

/**
 * The data layer's services for this process: one rate-limited scheduler per Identity Center
 * instance (shared through Redis when the sessions are), the portal API behind it, the listing,
 * favorites and console preferences.
 */
export interface PortalServices {
  portal: PortalGateway;
  listing: ListingService;
  favorites: FavoritesService;
  consolePreferences: ConsolePreferencesService;
}

const INTERACTIVE_DEADLINE_MS = 30_000;
const BACKGROUND_DEADLINE_MS = 6 * 60 * 60 * 1000;

const SERVICES = Symbol.for('gatehouse.services');
type GlobalWithServices = typeof globalThis & { [SERVICES]?: Map<string, PortalServices> };

function describeFailure(error: unknown): string {
  switch (awsErrorKind(error)) {
    case 'throttled':
      return 'Identity Center is throttling requests; try again in a moment.';
    case 'transient':
      return 'Identity Center did not answer; try again.';
    case 'forbidden':
    case 'not_found':
      return 'Identity Center no longer lists this account for you.';
    default:
      return 'The roles of this account could not be loaded.';
  }
}

function build(instance: IdentityCenterInstance): PortalServices {
  const { config, store, sealer } = runtime();
  const { ratePerSecond, maxConcurrency } = config.identityCenterLimits;
  const slots = config.redisUrl
    ? createRedisSlotSource(config.redisUrl, rateLimitKey(instance.id), ratePerSecond, undefined, {
        onError: () => logger().warn({ event: 'rate_limiter_fallback', reason: 'redis_unavailable' }),
      })
    : undefined;
  const scheduler = createAwsCallScheduler({ ratePerSecond, maxConcurrency, slots });
  const runner: AwsCallRunner = (ticket, attempt, operation) => {
    const queuedAt = performance.now();
    let started = false;
    // Every attempt is counted with its outcome; the first one also tells how long the limiter held it.
    const measured = async <T,>(run: (signal: AbortSignal) => Promise<T>, signal: AbortSignal): Promise<T> => {
      const { awsCalls, awsThrottles, limiterWait } = metrics();
      if (!started) {
        started = true;
        limiterWait.observe({ identity_center: instance.key, priority: ticket.priority }, (performance.now() - queuedAt) / 1000);
      }
      try {
        const value = await run(signal);
        awsCalls.inc({ identity_center: instance.key, operation, outcome: 'success' });
        return value;
      } catch (error) {
        const kind = classifyAwsError(error);
        awsCalls.inc({ identity_center: instance.key, operation, outcome: kind });
        if (kind === 'throttled') awsThrottles.inc({ identity_center: instance.key, operation });
        throw error;
      }
    };
    // STS is not part of Identity Center's shared limit: one attempt, its own timeout.
    if (operation === 'GetCallerIdentity') return measured(attempt, AbortSignal.timeout(INTERACTIVE_DEADLINE_MS));
    return callWithRetries(scheduler, ticket, ({ signal }) => measured(attempt, signal), {
      // Background calls wait their turn behind the rest of a large listing; only people wait for
      // interactive ones, so those give up after 30 s with a clear answer.
      deadlineMs: ticket.priority === 'background' ? BACKGROUND_DEADLINE_MS : INTERACTIVE_DEADLINE_MS,
    });
  };
  const portal = createPortalGateway(instance, runner);
  const listing = createListingService({
    store,
    sealer,
    portal,
    now: Date.now,
    cacheMs: config.accountsCacheMs,
    stsRegion: instance.ssoRegion,
    classify: (error) => {
      const kind = awsErrorKind(error);
      return kind === 'unauthorized' ? 'unauthorized' : kind === 'not_found' ? 'not_found' : 'other';
    },
    describe: describeFailure,
  });
  return {
    portal,
    listing,
    favorites: createFavoritesService({ store, sealer }),
    consolePreferences: createConsolePreferencesService({ store, sealer }),
  };
}

/** The services of one Identity Center instance, built on first use. */
export function portalServices(instance: IdentityCenterInstance): PortalServices {
  const holder = globalThis as GlobalWithServices;
  const all = (holder[SERVICES] ??= new Map());
  let services = all.get(instance.key);
  if (!services) {
    services = build(instance);
    all.set(instance.key, services);
  }
  return services;
}
