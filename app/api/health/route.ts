import { otherMethods } from '@/lib/server/http/api';

/** Liveness: answers as long as the process serves requests. */
export const dynamic = 'force-dynamic';

export function GET(): Response {
  return Response.json({ status: 'ok' }, { headers: { 'Cache-Control': 'no-store' } });
}

/** Every other method: a 405 in the API's error shape. */
export const { POST, PUT, DELETE, PATCH, OPTIONS } = otherMethods('GET');
