import type { NextRequest } from 'next/server';
import { z } from 'zod';

import { personFor } from '@/lib/server/dal/person';
import { jsonPostRoute } from '@/lib/server/http/handle';
import { ndjsonListing } from '@/lib/server/http/ndjson';
import { portalServices } from '@/lib/server/services';
import { otherMethods } from '@/lib/server/http/api';
import { withNicknames } from '@/lib/shared/accounts';

export const dynamic = 'force-dynamic';

/** Lists afresh (ignoring the cache) and ends with what changed: the same stream as GET /api/accounts/stream. */
export const POST = jsonPostRoute(z.strictObject({}), async (request: NextRequest) => {
  const person = await personFor(request);
  const { listing } = portalServices(person.instance);
  return ndjsonListing((listener) => listing.follow(person, { refresh: true }, (event) => listener(withNicknames(event, person.instance.nicknames))));
}, { limit: 'listing' });

/** Every other method: a 405 in the API's error shape. */
export const { GET, PUT, DELETE, PATCH, OPTIONS } = otherMethods('POST');
