import 'server-only';

import { GatehouseError } from '@/lib/server/core/errors';
import { services } from '@/lib/server/services';
import type { Viewer } from '@/lib/server/viewer';
import type { FavoriteChange, FavoritesResponse } from '@/lib/shared/accounts';

import { recordRefusal } from './request-checks';

/** The person's favorites and recently used roles, kept by Identity Center user name. */
export async function favorites(viewer: Viewer): Promise<FavoritesResponse> {
  const person = await viewer.person();
  return services().of(viewer.instance).favorites.read(viewer.instance.id, person.userName);
}

/**
 * Stars one of the person's own accounts or roles (404, audited, for anything else), or unstars any
 * of their favorites (one Identity Center no longer assigns, too).
 */
export async function changeFavorite(viewer: Viewer, change: FavoriteChange): Promise<FavoritesResponse> {
  const person = await viewer.person();
  const { listing, favorites: store } = services().of(viewer.instance);
  const known = await listing.known(person.personKey);
  const accountOk = known?.accounts.some((account) => account.accountId === change.accountId) ?? false;
  const roleOk = change.kind === 'account' || (known?.roles[change.accountId]?.includes(change.roleName) ?? false);
  // Unstarring is always allowed: a role no longer assigned must be removable from one's own favorites.
  if (change.starred && (!accountOk || !roleOk)) {
    await recordRefusal(viewer, viewer, 'authz_fail', { accountId: change.accountId, roleName: change.kind === 'role' ? change.roleName : undefined });
    throw new GatehouseError('not_found', 'You have no such account or role to star.');
  }
  if (!person.userName) {
    throw new GatehouseError('conflict', 'Favorites are kept by your Identity Center user name, which is not known yet. Try again once your roles have loaded.');
  }
  return store.change(viewer.instance.id, person.userName, change);
}
