import 'server-only';

import type { IdentityCenterInstance, ServerConfig } from '@/lib/server/core/config';
import { logger } from '@/lib/server/core/log';
import { metrics } from '@/lib/server/core/metrics';

import type { AwsCallRunner } from './portal';
import { createAwsCallScheduler, createRedisSlotSource, rateLimitKey } from './rate-limiter';
import { callWithRetries, classifyAwsError } from './retry';

/**
 * How every call to one Identity Center instance runs: through the instance's rate limiter
 * (shared through Redis when the sessions are), with our own retries, and counted in the metrics.
 */

const INTERACTIVE_DEADLINE_MS = 30_000;
const BACKGROUND_DEADLINE_MS = 6 * 60 * 60 * 1000;

export function createInstanceRunner(
  instance: IdentityCenterInstance,
  config: Pick<ServerConfig, 'identityCenterLimits' | 'redisUrl'>,
): AwsCallRunner {
  const { ratePerSecond, maxConcurrency } = config.identityCenterLimits;
  const slots = config.redisUrl
    ? createRedisSlotSource(config.redisUrl, rateLimitKey(instance.id), ratePerSecond, undefined, {
        onError: () => logger().warn({ event: 'rate_limiter_fallback', reason: 'redis_unavailable' }),
      })
    : undefined;
  const scheduler = createAwsCallScheduler({ ratePerSecond, maxConcurrency, slots });
  return (ticket, attempt, operation, options = {}) => {
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
        const outcome = options.outcomeOf?.(error) ?? kind;
        awsCalls.inc({ identity_center: instance.key, operation, outcome });
        if (kind === 'throttled' || outcome === 'slow_down') awsThrottles.inc({ identity_center: instance.key, operation });
        throw error;
      }
    };
    // STS is not part of Identity Center's shared limit: one attempt, its own timeout.
    if (operation === 'GetCallerIdentity') return measured(attempt, AbortSignal.timeout(INTERACTIVE_DEADLINE_MS));
    return callWithRetries(scheduler, ticket, ({ signal }) => measured(attempt, signal), {
      // Background calls wait their turn behind the rest of a large listing; only people wait for
      // interactive ones, so those give up after 30 s with a clear answer.
      deadlineMs: ticket.priority === 'background' ? BACKGROUND_DEADLINE_MS : INTERACTIVE_DEADLINE_MS,
      signal: ticket.signal,
      // A listing waits out an unreachable Identity Center itself (and says so); it needs to know at once.
      retryUnreachable: ticket.priority !== 'background',
    });
  };
}
