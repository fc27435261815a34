import { chooseDensity } from '@/lib/server/dal/list-preferences';
import { jsonResponse, otherMethods } from '@/lib/server/http/api';
import { apiRoute } from '@/lib/server/http/route';
import { listPreferencesChangeSchema } from '@/lib/shared/preferences';

export const dynamic = 'force-dynamic';

/** Remembers how the person likes the accounts list (compact or comfortable), across browsers. */
export const POST = apiRoute({ body: listPreferencesChangeSchema }, async ({ viewer, body }) => jsonResponse(await chooseDensity(viewer, body.density)));

/** Every other method: a 405 in the API's error shape. */
export const { GET, PUT, DELETE, PATCH, OPTIONS } = otherMethods('POST');
