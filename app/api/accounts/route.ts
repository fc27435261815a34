import type { NextRequest } from 'next/server';

import { personFor } from '@/lib/server/dal/person';
import { jsonResponse, otherMethods } from '@/lib/server/http/api';
import { withErrorHandling } from '@/lib/server/http/handle';
import { portalServices } from '@/lib/server/services';
import { type AccountsResponse, nicknamed } from '@/lib/shared/accounts';

export const dynamic = 'force-dynamic';

/** Every account of the signed-in person (from the cache, or after the paging finishes). */
export const GET = withErrorHandling(async (request: NextRequest) => {
  const person = await personFor(request);
  const listing = await portalServices(person.instance).listing.accounts(person);
  const answer: AccountsResponse = {
    accounts: listing.accounts.map(({ accountId, accountName, emailAddress }) =>
      nicknamed({ accountId, accountName, emailAddress }, person.instance.nicknames),
    ),
  };
  return jsonResponse(answer);
});

/** Every other method: a 405 in the API's error shape. */
export const { POST, PUT, DELETE, PATCH, OPTIONS } = otherMethods('GET');
