import type { NextRequest } from 'next/server';

import { personFor } from '@/lib/server/dal/person';
import { withErrorHandling } from '@/lib/server/http/handle';
import { ndjsonListing } from '@/lib/server/http/ndjson';
import { overBudget } from '@/lib/server/http/rate-limit';
import { portalServices } from '@/lib/server/services';
import { otherMethods } from '@/lib/server/http/api';
import { withNicknames } from '@/lib/shared/accounts';

export const dynamic = 'force-dynamic';

/** The person's accounts and roles as they load: newline-delimited JSON events (see lib/shared/accounts.ts). */
export const GET = withErrorHandling(async (request: NextRequest) => {
  const limited = await overBudget(request, 'listing');
  if (limited) return limited;
  const person = await personFor(request);
  const { listing } = portalServices(person.instance);
  return ndjsonListing((listener) => listing.follow(person, { refresh: false }, (event) => listener(withNicknames(event, person.instance.nicknames))));
});

/** Every other method: a 405 in the API's error shape. */
export const { POST, PUT, DELETE, PATCH, OPTIONS } = otherMethods('GET');
