import 'server-only';

import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';

import { getConfig } from '@/lib/server/core/config';
import { GatehouseError } from '@/lib/server/core/errors';
import { logger } from '@/lib/server/core/log';
import { metrics } from '@/lib/server/core/metrics';
import { services } from '@/lib/server/services';

/**
 * Where Prometheus reads the metrics: a listener of its own on METRICS_PORT (loopback unless
 * METRICS_HOST says otherwise), and /api/metrics on the portal's own port only for a request that
 * carries METRICS_TOKEN as a bearer token. The portal's port faces people; the metrics are not theirs.
 */

/** The exposition text, with the session gauge read from the store first. */
export async function exposition(): Promise<{ contentType: string; body: string }> {
  const { registry, activeSessions } = metrics();
  try {
    // Every instance's sessions live under one prefix in the one store.
    activeSessions.set(await services().store.countPrefix('session:'));
  } catch {
    // The store is down: the gauge keeps its last value; /api/ready reports the outage.
  }
  return { contentType: registry.contentType, body: await registry.metrics() };
}

/**
 * The metrics for GET /api/metrics on the portal's own port: only with METRICS_TOKEN configured
 * (otherwise the route does not exist for anyone) and presented as a bearer token.
 */
export async function metricsOnPortalPort(authorization: string | null): Promise<{ contentType: string; body: string }> {
  const { token } = getConfig().metrics;
  if (token === undefined) throw new GatehouseError('not_found', 'There is no such API route.');
  if (!bearerMatches(authorization, token)) throw new GatehouseError('unauthenticated', 'Send the metrics token as a bearer token.');
  return exposition();
}

/** True when the Authorization header carries `token` as a bearer token (compared in constant time). */
export function bearerMatches(authorization: string | null, token: string): boolean {
  const presented = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  if (presented === undefined) return false;
  // Equal-length digests: the comparison takes the same time whatever was presented.
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(presented), digest(token));
}

const STARTED = Symbol.for('gatehouse.metricsListener');
type Marked = typeof globalThis & { [STARTED]?: true };

/** Starts the METRICS_PORT listener once per process; it never keeps the process alive on shutdown. */
export function startMetricsListener(): void {
  const { metrics: settings } = getConfig();
  const holder = globalThis as Marked;
  if (settings.port === undefined || holder[STARTED]) return;
  holder[STARTED] = true;
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET' || (path !== '/metrics' && path !== '/api/metrics')) {
      response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' }).end('Not found: GET /metrics\n');
      return;
    }
    if (settings.token !== undefined && !bearerMatches(request.headers.authorization ?? null, settings.token)) {
      response.writeHead(401, { 'Content-Type': 'text/plain; charset=utf-8', 'WWW-Authenticate': 'Bearer' }).end('Bearer token required\n');
      return;
    }
    exposition().then(
      ({ contentType, body }) => response.writeHead(200, { 'Content-Type': contentType, 'Cache-Control': 'no-store' }).end(body),
      () => response.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Metrics unavailable\n'),
    );
  });
  server.on('error', (error: NodeJS.ErrnoException) => {
    logger().error({ event: 'metrics_listener_failed', code: error.code ?? 'unknown', port: settings.port });
  });
  server.listen(settings.port, settings.host, () => {
    logger().info({ event: 'metrics_listening', host: settings.host, port: settings.port });
  });
  server.unref();
}
