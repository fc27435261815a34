import { openListing } from '@/lib/server/dal/accounts';
import { otherMethods } from '@/lib/server/http/api';
import { ndjsonListing } from '@/lib/server/http/ndjson';
import { apiRoute } from '@/lib/server/http/route';

export const dynamic = 'force-dynamic';

/**
 * The person's accounts and roles as they load, for the `gatehouse` command: the browser's
 * newline-delimited JSON events (lib/shared/accounts.ts), for the bearer session.
 */
export const GET = apiRoute({ via: 'bearer', budget: 'listing' }, async ({ viewer }) => ndjsonListing(await openListing(viewer, { refresh: false })));

/** Every other method: a 405 in the API's error shape. */
export const { POST, PUT, DELETE, PATCH, OPTIONS } = otherMethods('GET');
