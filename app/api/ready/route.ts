import { readiness } from '@/lib/server/readiness';

export const dynamic = 'force-dynamic';

/** Readiness for load balancers: 200 when the store and Identity Center answer, else 503 naming what is down. */
export async function GET(): Promise<Response> {
  const state = await readiness();
  return Response.json(
    { status: state.ready ? 'ready' : 'not_ready', checks: state.checks },
    { status: state.ready ? 200 : 503, headers: { 'Cache-Control': 'no-store' } },
  );
}
