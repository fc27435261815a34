import 'server-only';

import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Prometheus metrics of this process: requests by route and status, AWS calls by operation and
 * outcome, throttles, time waiting for the rate limiter, active sessions and hand-outs. Labels are
 * bounded sets (route patterns, operation names, outcomes, the configured instance keys): never an
 * id, a user or a path. The instance label is `identity_center`: Prometheus keeps `instance` for the
 * scraped target.
 */
export interface PortalMetrics {
  registry: Registry;
  httpRequests: Counter<'route' | 'method' | 'status'>;
  awsCalls: Counter<'identity_center' | 'operation' | 'outcome'>;
  awsThrottles: Counter<'identity_center' | 'operation'>;
  limiterWait: Histogram<'identity_center' | 'priority'>;
  activeSessions: Gauge;
  handOuts: Counter<'identity_center' | 'kind'>;
  signIns: Counter<'identity_center' | 'outcome'>;
  refusals: Counter<'event' | 'by'>;
}

const METRICS = Symbol.for('gatehouse.metrics');
type GlobalWithMetrics = typeof globalThis & { [METRICS]?: PortalMetrics };

function build(): PortalMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'gatehouse_process_' });
  return {
    registry,
    httpRequests: new Counter({
      name: 'gatehouse_http_requests_total',
      help: 'HTTP requests answered, by route pattern, method and status.',
      labelNames: ['route', 'method', 'status'],
      registers: [registry],
    }),
    awsCalls: new Counter({
      name: 'gatehouse_aws_calls_total',
      help: 'Calls to AWS (every attempt, retries included), by Identity Center instance, operation and outcome.',
      labelNames: ['identity_center', 'operation', 'outcome'],
      registers: [registry],
    }),
    awsThrottles: new Counter({
      name: 'gatehouse_aws_throttles_total',
      help: 'AWS answers that throttled the portal (429 or TooManyRequestsException).',
      labelNames: ['identity_center', 'operation'],
      registers: [registry],
    }),
    limiterWait: new Histogram({
      name: 'gatehouse_aws_limiter_wait_seconds',
      help: 'Time a call waited for the Identity Center rate limiter before it started.',
      labelNames: ['identity_center', 'priority'],
      buckets: [0.005, 0.025, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers: [registry],
    }),
    activeSessions: new Gauge({
      name: 'gatehouse_active_sessions',
      help: 'Signed-in sessions in the store (all instances, when the store is shared).',
      registers: [registry],
    }),
    handOuts: new Counter({
      name: 'gatehouse_handouts_total',
      help: 'Role credentials handed out and console sign-ins, by Identity Center instance and kind.',
      labelNames: ['identity_center', 'kind'],
      registers: [registry],
    }),
    signIns: new Counter({
      name: 'gatehouse_sign_ins_total',
      help: 'Device-flow sign-ins that ended, by Identity Center instance and outcome.',
      labelNames: ['identity_center', 'outcome'],
      registers: [registry],
    }),
    refusals: new Counter({
      name: 'gatehouse_refusals_total',
      help: 'Refused requests (malformed, not the caller\'s, over budget), by audit event and by whom: a session or anonymous. Each is counted; only a sample reaches the audit trail.',
      labelNames: ['event', 'by'],
      registers: [registry],
    }),
  };
}

export function metrics(): PortalMetrics {
  const holder = globalThis as GlobalWithMetrics;
  holder[METRICS] ??= build();
  return holder[METRICS];
}

/** A request path as a bounded label: ids and names become placeholders, unknown paths `other`. */
export function routePattern(pathname: string): string {
  const pattern = pathname
    .replace(/^\/api\/accounts\/[^/]+\/roles$/, '/api/accounts/{accountId}/roles')
    .replace(/^\/console\/[^/]+\/[^/]+$/, '/console/{accountId}/{roleName}');
  return KNOWN_ROUTES.has(pattern) ? pattern : 'other';
}

const KNOWN_ROUTES = new Set([
  '/api/health',
  '/api/ready',
  '/api/metrics',
  '/api/session',
  '/api/auth/device',
  '/api/auth/device/poll',
  '/api/auth/logout',
  '/api/accounts',
  '/api/accounts/stream',
  '/api/accounts/refresh',
  '/api/accounts/{accountId}/roles',
  '/api/favorites',
  '/api/credentials',
  '/api/console',
  '/api/aws-config',
  '/console/{accountId}/{roleName}',
  '/api/terminal-sessions',
  '/api/terminal-sessions/revoke',
  '/api/cli/login',
  '/api/cli/login/poll',
  '/api/cli/session',
  '/api/cli/logout',
  '/api/cli/accounts',
  '/api/cli/credentials',
  '/api/cli/console',
  '/api/cli/aws-config-profiles',
]);
