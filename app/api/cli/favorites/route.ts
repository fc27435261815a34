import { favorites } from '@/lib/server/dal/favorites';
import { jsonResponse, otherMethods } from '@/lib/server/http/api';
import { apiRoute } from '@/lib/server/http/route';

export const dynamic = 'force-dynamic';

/** The person's favorites and recently used roles, for `gatehouse config --favorites`: as GET /api/favorites, for the bearer session. */
export const GET = apiRoute({ via: 'bearer' }, async ({ viewer }) => jsonResponse(await favorites(viewer)));

/** Every other method: a 405 in the API's error shape. */
export const { POST, PUT, DELETE, PATCH, OPTIONS } = otherMethods('GET');
