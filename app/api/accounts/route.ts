import { listAccounts } from '@/lib/server/dal/accounts';
import { jsonResponse, otherMethods } from '@/lib/server/http/api';
import { apiRoute } from '@/lib/server/http/route';

export const dynamic = 'force-dynamic';

/** Every account of the signed-in person (from the cache, or after the paging finishes). */
export const GET = apiRoute({}, async ({ viewer }) => jsonResponse(await listAccounts(viewer)));

/** Every other method: a 405 in the API's error shape. */
export const { POST, PUT, DELETE, PATCH, OPTIONS } = otherMethods('GET');
