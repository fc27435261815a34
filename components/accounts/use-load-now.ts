'use client';

import { useCallback, useEffect, useRef } from 'react';

import { plural } from '@/lib/shared/words';

import type { AccountEntry } from './listing-state';

/**
 * Opening an account whose roles are still loading (Enter, →, a click) loads them at once, ahead of
 * the background listing (`GET /api/accounts/{id}/roles`), and the status line says when they are
 * here: "payments-prod: 3 roles loaded". Returns the toggle to use in place of `toggleExpanded`.
 */
export function useLoadNow({
  entries,
  expanded,
  toggleExpanded,
  fetchRoles,
  say,
}: {
  entries: ReadonlyMap<string, AccountEntry>;
  expanded: ReadonlySet<string>;
  toggleExpanded: (accountId: string) => void;
  fetchRoles: (accountId: string) => void;
  say: (message: string) => void;
}): (accountId: string) => void {
  // Accounts opened while their roles were still loading: the status line tells when they arrive.
  const waiting = useRef(new Set<string>());

  useEffect(() => {
    for (const accountId of waiting.current) {
      const entry = entries.get(accountId);
      if (!entry) waiting.current.delete(accountId);
      else if (entry.roles !== null) {
        waiting.current.delete(accountId);
        say(`${entry.account.accountName}: ${plural(entry.roles.length, 'role')} loaded`);
      } else if (entry.rolesError !== null) {
        waiting.current.delete(accountId);
        say(`${entry.account.accountName}: the roles could not be loaded`);
      }
    }
  }, [entries, say]);

  // Read when an account is opened, so the toggle stays the same function as roles stream in (rows are memoized on it).
  const current = useRef({ entries, expanded });
  useEffect(() => {
    current.current = { entries, expanded };
  }, [entries, expanded]);

  return useCallback(
    (accountId: string) => {
      const entry = current.current.entries.get(accountId);
      if (!current.current.expanded.has(accountId) && entry && entry.roles === null && entry.rolesError === null) {
        waiting.current.add(accountId);
        fetchRoles(accountId);
      }
      toggleExpanded(accountId);
    },
    [toggleExpanded, fetchRoles],
  );
}
