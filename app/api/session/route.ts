import { sessionState } from '@/lib/server/dal/session';
import { jsonResponse, otherMethods } from '@/lib/server/http/api';
import { apiRoute } from '@/lib/server/http/route';

export const dynamic = 'force-dynamic';

/**
 * Who is signed in, and when the session ends (and which bound ends it). Without a cookie: signed
 * out (200). With a cookie that no longer names a live session: 401, so the page sends the person
 * to sign in again. Reading it does not count as activity for the idle timeout.
 */
export const GET = apiRoute({}, async ({ viewer }) => jsonResponse(await sessionState(viewer)));

/** Every other method: a 405 in the API's error shape. */
export const { POST, PUT, DELETE, PATCH, OPTIONS } = otherMethods('GET');
