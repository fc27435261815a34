import type { NextRequest } from 'next/server';

import { personFor } from '@/lib/server/dal/person';
import { apiError, jsonResponse, otherMethods } from '@/lib/server/http/api';
import { auditRefusal, jsonPostRoute, withErrorHandling } from '@/lib/server/http/handle';
import { portalServices } from '@/lib/server/services';
import { favoriteChangeSchema } from '@/lib/shared/accounts';

export const dynamic = 'force-dynamic';

/** The person's favorites and recently used roles (kept by Identity Center user name). */
export const GET = withErrorHandling(async (request: NextRequest) => {
  const person = await personFor(request);
  return jsonResponse(await portalServices(person.instance).favorites.read(person.instance.id, person.userName));
});

/** Stars or unstars one of the person's own accounts or roles. */
export const POST = jsonPostRoute(favoriteChangeSchema, async (request, change) => {
  const person = await personFor(request);
  const { listing, favorites } = portalServices(person.instance);
  const known = await listing.known(person.personKey);
  const accountOk = known?.accounts.some((account) => account.accountId === change.accountId) ?? false;
  const roleOk = change.kind === 'account' || (known?.roles[change.accountId]?.includes(change.roleName) ?? false);
  if (!accountOk || !roleOk) {
    await auditRefusal('authz_fail', request, { accountId: change.accountId, roleName: change.kind === 'role' ? change.roleName : undefined });
    return apiError(404, 'not_found', 'You have no such account or role to star.');
  }
  if (!person.userName) {
    return apiError(409, 'conflict', 'Favorites are kept by your Identity Center user name, which is not known yet. Try again once your roles have loaded.');
  }
  return jsonResponse(await favorites.change(person.instance.id, person.userName, change));
});

/** Every other method: a 405 in the API's error shape. */
export const { PUT, DELETE, PATCH, OPTIONS } = otherMethods('GET', 'POST');
