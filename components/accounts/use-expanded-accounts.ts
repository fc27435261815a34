'use client';

import { useCallback, useEffect, useMemo, useState } from 'react';

import type { AccountEntry } from './listing-state';

/**
 * Which accounts are open (their roles listed): those the person opened, and the account a search
 * names along with one of its roles (open while the search names it, unless the person closes it).
 * An open account whose roles have not arrived is fetched at once, ahead of the background load.
 */
export function useExpandedAccounts(
  entries: ReadonlyMap<string, AccountEntry>,
  fetchRoles: (accountId: string) => void,
  searchOpened: string | null = null,
): { expanded: ReadonlySet<string>; toggleExpanded: (accountId: string) => void } {
  const [opened, setOpened] = useState<ReadonlySet<string>>(() => new Set());
  // The search's account the person closed; forgotten when the search names another.
  const [closed, setClosed] = useState<string | null>(null);
  const shownBySearch = searchOpened !== null && searchOpened !== closed ? searchOpened : null;

  const expanded = useMemo(() => {
    if (shownBySearch === null || opened.has(shownBySearch)) return opened;
    return new Set([...opened, shownBySearch]);
  }, [opened, shownBySearch]);

  useEffect(() => {
    for (const id of expanded) {
      const entry = entries.get(id);
      if (entry && entry.roles === null && entry.rolesError === null) fetchRoles(id);
    }
  }, [expanded, entries, fetchRoles]);

  const toggleExpanded = useCallback(
    (accountId: string) => {
      if (accountId === shownBySearch) setClosed(accountId);
      else if (accountId === searchOpened) setClosed(null);
      setOpened((previous) => {
        const next = new Set(previous);
        if (next.has(accountId)) next.delete(accountId);
        else if (accountId !== shownBySearch) next.add(accountId);
        return next;
      });
    },
    [shownBySearch, searchOpened],
  );

  return { expanded, toggleExpanded };
}
