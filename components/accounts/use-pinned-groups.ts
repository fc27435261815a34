'use client';

import { useCallback, useMemo } from 'react';

import { type AccountEntry, type ListingState, splitRoleKey } from './listing-state';
import { accountMatcher, roleMatches } from '@/lib/shared/search';
import type { FavoritesState } from './use-favorites';

/** Recently used roles shown at most. */
const RECENT_LIMIT = 8;

/** A role listed on its own (Favorites, Recent), with its account. */
export interface RoleItem {
  entry: AccountEntry;
  roleName: string;
  /** A starred role the finished listing no longer has: shown greyed, to be removed. */
  lost?: boolean;
}

/** The account of a starred role when the listing no longer has the account at all. */
function goneAccount(accountId: string): AccountEntry {
  return {
    account: { accountId, accountName: `Account ${accountId}`, emailAddress: '' },
    roles: [],
    rolesError: null,
    kept: null,
    accountText: accountId,
    roleText: [],
  };
}

export interface PinnedGroups {
  /** Starred roles, in the list's account order, then by name. */
  favoriteRoles: readonly RoleItem[];
  /** Starred accounts (ids), in the list's order. */
  favoriteAccounts: readonly string[];
  /** Recently used roles, newest first. */
  recentRoles: readonly RoleItem[];
}

/**
 * The groups above the full list: Favorites (starred roles, then starred accounts) and Recent,
 * each narrowed by the search. While only the accounts whose roles failed are shown, both are empty.
 */
export function usePinnedGroups(
  { order, entries, phase, error }: Pick<ListingState, 'order' | 'entries' | 'phase' | 'error'>,
  favorites: FavoritesState,
  tokens: readonly string[],
  failedFilter: ReadonlySet<string> | null,
): PinnedGroups {
  const orderIndex = useMemo(() => new Map(order.map((id, index) => [id, index])), [order]);

  const favoriteAccounts = useMemo(() => {
    if (failedFilter || favorites.accounts.size === 0) return [];
    // The full list's rule, an account whose roles are still loading included.
    const matches = accountMatcher(entries, tokens);
    return order.filter((id) => {
      const entry = entries.get(id);
      return entry !== undefined && favorites.accounts.has(id) && matches(entry) > 0;
    });
  }, [order, entries, favorites.accounts, tokens, failedFilter]);

  // Only a listing that finished whole can say an account is gone.
  const complete = phase === 'done' && error === null;
  const roleItems = useCallback(
    (keys: Iterable<string>, keepLost: boolean): RoleItem[] => {
      const items: RoleItem[] = [];
      for (const key of keys) {
        const parts = splitRoleKey(key);
        if (!parts) continue;
        const listed = entries.get(parts.accountId);
        const entry = listed ?? (keepLost && complete ? goneAccount(parts.accountId) : undefined);
        if (!entry) continue;
        // A role the listing no longer has: a favorite stays, marked; a recent one is left out.
        const lost = listed === undefined || (entry.roles !== null && !entry.roles.includes(parts.roleName));
        if (lost && !keepLost) continue;
        if (!roleMatches(entry, parts.roleName, tokens)) continue;
        items.push(lost ? { entry, roleName: parts.roleName, lost } : { entry, roleName: parts.roleName });
      }
      return items;
    },
    [entries, tokens, complete],
  );

  const favoriteRoles = useMemo(() => {
    if (failedFilter) return [];
    return roleItems(favorites.roles, true).sort(
      (a, b) =>
        (orderIndex.get(a.entry.account.accountId) ?? 0) - (orderIndex.get(b.entry.account.accountId) ?? 0) ||
        a.roleName.localeCompare(b.roleName),
    );
  }, [roleItems, favorites.roles, orderIndex, failedFilter]);

  const recentRoles = useMemo(
    () => (failedFilter ? [] : roleItems(favorites.recent, false).slice(0, RECENT_LIMIT)),
    [roleItems, favorites.recent, failedFilter],
  );

  return { favoriteRoles, favoriteAccounts, recentRoles };
}
