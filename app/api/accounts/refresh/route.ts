import { z } from 'zod';

import { openListing } from '@/lib/server/dal/accounts';
import { otherMethods } from '@/lib/server/http/api';
import { ndjsonListing } from '@/lib/server/http/ndjson';
import { apiRoute } from '@/lib/server/http/route';

export const dynamic = 'force-dynamic';

/** Lists afresh (ignoring the cache) and ends with what changed: the same stream as GET /api/accounts/stream. */
export const POST = apiRoute({ body: z.strictObject({}), budget: 'listing' }, async ({ viewer }) =>
  ndjsonListing(await openListing(viewer, { refresh: true })),
);

/** Every other method: a 405 in the API's error shape. */
export const { GET, PUT, DELETE, PATCH, OPTIONS } = otherMethods('POST');
