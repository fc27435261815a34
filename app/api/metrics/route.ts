import { metricsOnPortalPort } from '@/lib/server/dal/metrics';
import { otherMethods } from '@/lib/server/http/api';
import { apiRoute } from '@/lib/server/http/route';

export const dynamic = 'force-dynamic';

/**
 * Prometheus metrics on the portal's own port, only with METRICS_TOKEN as a bearer token. Without
 * METRICS_TOKEN this route does not exist for anyone (METRICS_PORT serves the metrics instead).
 */
export const GET = apiRoute({}, async ({ request }) => {
  const { contentType, body } = await metricsOnPortalPort(request.headers.get('authorization'));
  return new Response(body, { headers: { 'Content-Type': contentType, 'Cache-Control': 'no-store' } });
});

/** Only GET is served; every other method gets a JSON 405 with Allow. */
export const { POST, PUT, DELETE, PATCH, OPTIONS } = otherMethods('GET');
