import { chooseDensity, currentDensity } from '@/lib/server/dal/list-preferences';
import { jsonResponse, otherMethods } from '@/lib/server/http/api';
import { apiRoute } from '@/lib/server/http/route';
import { listPreferencesChangeSchema } from '@/lib/shared/preferences';

export const dynamic = 'force-dynamic';

/** How the person likes the accounts list. */
export const GET = apiRoute({}, async ({ viewer }) => jsonResponse(await currentDensity(viewer)));

/** Remembers how the person likes the accounts list (compact or comfortable), across browsers. */
export const POST = apiRoute({ body: listPreferencesChangeSchema }, async ({ viewer, body }) => jsonResponse(await chooseDensity(viewer, body.density)));

/** Every other method: a 405 in the API's error shape. */
export const { PUT, DELETE, PATCH, OPTIONS } = otherMethods('GET', 'POST');
