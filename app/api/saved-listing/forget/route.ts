import { z } from 'zod';

import { forgetSavedListing } from '@/lib/server/dal/activity';
import { jsonResponse, otherMethods } from '@/lib/server/http/api';
import { apiRoute } from '@/lib/server/http/route';

export const dynamic = 'force-dynamic';

/** Forgets the person's kept listing ("forget my data" on the Activity page); the next visit lists from scratch. */
export const POST = apiRoute({ body: z.strictObject({}) }, async ({ viewer }) => {
  await forgetSavedListing(viewer);
  return jsonResponse({ forgotten: true });
});

/** Every other method: a 405 in the API's error shape. */
export const { GET, PUT, DELETE, PATCH, OPTIONS } = otherMethods('POST');
