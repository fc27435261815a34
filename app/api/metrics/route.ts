import { otherMethods } from '@/lib/server/http/api';
import { metrics } from '@/lib/server/metrics';
import { runtime } from '@/lib/server/runtime';

export const dynamic = 'force-dynamic';

/** Prometheus metrics (text exposition format). Put it behind the network boundary, not on the internet. */
export async function GET(): Promise<Response> {
  const { registry, activeSessions } = metrics();
  try {
    // Every instance's sessions live under one prefix in the one store.
    activeSessions.set(await runtime().store.countPrefix('session:'));
  } catch {
    // The store is down: the gauge keeps its last value; /api/ready reports the outage.
  }
  return new Response(await registry.metrics(), {
    headers: { 'Content-Type': registry.contentType, 'Cache-Control': 'no-store' },
  });
}

/** Only GET is served; every other method gets a JSON 405 with Allow. */
export const { POST, PUT, DELETE, PATCH, OPTIONS } = otherMethods('GET');
