import { otherMethods } from '@/lib/server/http/api';
import { readiness } from '@/lib/server/dal/readiness';

export const dynamic = 'force-dynamic';

/** Readiness for load balancers: 200 when the store and Identity Center answer, else 503 naming what is down. */
export async function GET(): Promise<Response> {
  const state = await readiness();
  return Response.json(
    { status: state.ready ? 'ready' : 'not_ready', checks: state.checks },
    { status: state.ready ? 200 : 503, headers: { 'Cache-Control': 'no-store' } },
  );
}

/** Only GET is served; every other method gets a JSON 405 with Allow. */
export const { POST, PUT, DELETE, PATCH, OPTIONS } = otherMethods('GET');
