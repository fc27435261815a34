'use client';

import { useCallback, useEffect, useState } from 'react';

import type { AccountEntry } from './listing-state';

/**
 * Which accounts are open (their roles listed). An open account whose roles have not arrived is
 * fetched at once, ahead of the background load.
 */
export function useExpandedAccounts(
  entries: ReadonlyMap<string, AccountEntry>,
  fetchRoles: (accountId: string) => void,
): { expanded: ReadonlySet<string>; toggleExpanded: (accountId: string) => void } {
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => new Set());

  useEffect(() => {
    for (const id of expanded) {
      const entry = entries.get(id);
      if (entry && entry.roles === null && entry.rolesError === null) fetchRoles(id);
    }
  }, [expanded, entries, fetchRoles]);

  const toggleExpanded = useCallback(
    (accountId: string) =>
      setExpanded((previous) => {
        const next = new Set(previous);
        if (next.has(accountId)) next.delete(accountId);
        else next.add(accountId);
        return next;
      }),
    [],
  );

  return { expanded, toggleExpanded };
}
