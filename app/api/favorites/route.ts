import { changeFavorite, favorites } from '@/lib/server/dal/favorites';
import { jsonResponse, otherMethods } from '@/lib/server/http/api';
import { apiRoute } from '@/lib/server/http/route';
import { favoriteChangeSchema } from '@/lib/shared/accounts';

export const dynamic = 'force-dynamic';

/** The person's favorites and recently used roles (kept by Identity Center user name). */
export const GET = apiRoute({}, async ({ viewer }) => jsonResponse(await favorites(viewer)));

/** Stars or unstars one of the person's own accounts or roles. */
export const POST = apiRoute({ body: favoriteChangeSchema }, async ({ viewer, body }) => jsonResponse(await changeFavorite(viewer, body)));

/** Every other method: a 405 in the API's error shape. */
export const { PUT, DELETE, PATCH, OPTIONS } = otherMethods('GET', 'POST');
