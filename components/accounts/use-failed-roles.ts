'use client';

import { useMemo, useState } from 'react';

import type { ListingState } from './listing-state';

export interface FailedRoles {
  /** Accounts whose roles could not be loaded, in the list's order. */
  failedIds: readonly string[];
  /** "Show these accounts": the accounts whose roles had failed when it was chosen; null when off. */
  failedFilter: ReadonlySet<string> | null;
  showFailed: () => void;
  showAll: () => void;
}

/** The accounts whose roles failed, and the filter that shows only them. */
export function useFailedRoles({ order, entries }: Pick<ListingState, 'order' | 'entries'>): FailedRoles {
  const [failedFilter, setFailedFilter] = useState<ReadonlySet<string> | null>(null);
  const failedIds = useMemo(() => order.filter((id) => entries.get(id)?.rolesError != null), [order, entries]);
  return {
    failedIds,
    failedFilter,
    showFailed: () => setFailedFilter(new Set(failedIds)),
    showAll: () => setFailedFilter(null),
  };
}
