import type { NextRequest } from 'next/server';

import { getConfig } from '@/lib/server/env';
import { apiError, otherMethods } from '@/lib/server/http/api';
import { bearerMatches, exposition } from '@/lib/server/metrics-endpoint';

export const dynamic = 'force-dynamic';

/**
 * Prometheus metrics on the portal's own port, only with METRICS_TOKEN as a bearer token. Without
 * METRICS_TOKEN this route does not exist for anyone (METRICS_PORT serves the metrics instead).
 */
export async function GET(request: NextRequest): Promise<Response> {
  const { token } = getConfig().metrics;
  if (token === undefined) return apiError(404, 'not_found', 'There is no such API route.');
  if (!bearerMatches(request.headers.get('authorization'), token)) {
    return apiError(401, 'unauthenticated', 'Send the metrics token as a bearer token.', { 'WWW-Authenticate': 'Bearer' });
  }
  const { contentType, body } = await exposition();
  return new Response(body, { headers: { 'Content-Type': contentType, 'Cache-Control': 'no-store' } });
}

/** Only GET is served; every other method gets a JSON 405 with Allow. */
export const { POST, PUT, DELETE, PATCH, OPTIONS } = otherMethods('GET');
