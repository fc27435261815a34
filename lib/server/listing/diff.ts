import 'server-only';

import type { ListingDiff } from '@/lib/shared/accounts';

import type { Listing } from './types';

/** What changed between two listings of one person: accounts and roles added and removed. */
export function diffListings(before: Listing, after: Listing): ListingDiff {
  const beforeAccounts = new Map(before.accounts.map((account) => [account.accountId, account]));
  const afterAccounts = new Map(after.accounts.map((account) => [account.accountId, account]));
  const roleSet = (listing: Listing) =>
    new Set(Object.entries(listing.roles).flatMap(([accountId, roles]) => roles.map((roleName) => `${accountId}/${roleName}`)));
  const beforeRoles = roleSet(before);
  const afterRoles = roleSet(after);
  // A role is only "removed" if its account's roles were actually loaded this time.
  const loadedAfter = new Set(Object.keys(after.roles));
  const split = (key: string) => {
    const index = key.indexOf('/');
    return { accountId: key.slice(0, index), roleName: key.slice(index + 1) };
  };
  return {
    accountsAdded: [...afterAccounts.values()].filter((account) => !beforeAccounts.has(account.accountId)),
    accountsRemoved: [...beforeAccounts.values()].filter((account) => !afterAccounts.has(account.accountId)),
    rolesAdded: [...afterRoles].filter((key) => !beforeRoles.has(key)).map(split),
    rolesRemoved: [...beforeRoles]
      .filter((key) => !afterRoles.has(key))
      .map(split)
      .filter((role) => loadedAfter.has(role.accountId) || !afterAccounts.has(role.accountId)),
  };
}

