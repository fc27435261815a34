'use client';

import { type RefObject, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';

import type { ListingState } from './listing-state';
import { filterAccounts, parseQuery } from '@/lib/shared/search';

export interface AccountSearch {
  query: string;
  /** The query as search tokens (see parseQuery). */
  tokens: readonly string[];
  /** The full list is narrowed: by a search, or to the accounts whose roles failed. */
  filtering: boolean;
  /** The full list's account ids, in order, after both. */
  matched: readonly string[];
  matchedIndex: ReadonlyMap<string, number>;
  changeQuery: (value: string) => void;
  focusSearch: () => void;
  searchRef: RefObject<HTMLInputElement | null>;
}

/**
 * The search box's state and what it finds: the query, its tokens, the matching accounts (within the
 * failed-roles filter when one is on), and the "/" key that focuses the box from anywhere on the page.
 * Each keystroke is measured to the committed list (`gatehouse:filter`, read by the benchmark).
 */
export function useAccountSearch(
  { order, entries }: Pick<ListingState, 'order' | 'entries'>,
  failedFilter: ReadonlySet<string> | null,
  toolbarRef: RefObject<HTMLElement | null>,
): AccountSearch {
  const [query, setQuery] = useState('');
  const searchRef = useRef<HTMLInputElement>(null);
  const filterMeasurePending = useRef(false);

  const tokens = useMemo(() => parseQuery(query), [query]);
  const filtering = tokens.length > 0 || failedFilter !== null;

  const matched = useMemo(() => {
    const found = filterAccounts(order, entries, tokens);
    return failedFilter ? found.filter((id) => failedFilter.has(id)) : found;
  }, [order, entries, tokens, failedFilter]);

  const matchedIndex = useMemo(() => new Map(matched.map((id, index) => [id, index])), [matched]);

  // The benchmark's measure: from the keystroke to the filtered list on screen (committed).
  useLayoutEffect(() => {
    if (!filterMeasurePending.current) return;
    filterMeasurePending.current = false;
    performance.measure('gatehouse:filter', 'gatehouse:filter-start');
    // Scrolled down a long list, a new search shows its results from the top.
    const results = document.getElementById('account-results');
    const toolbarBottom = toolbarRef.current?.getBoundingClientRect().bottom ?? 0;
    if (results && results.getBoundingClientRect().top < toolbarBottom) {
      window.scrollTo({ top: results.getBoundingClientRect().top + window.scrollY - toolbarBottom });
    }
  }, [query, toolbarRef]);

  const focusSearch = useCallback(() => {
    searchRef.current?.focus();
    searchRef.current?.select();
  }, []);

  // "/" focuses the search box, unless the person is typing somewhere.
  useEffect(() => {
    const onKeyDown = (event: globalThis.KeyboardEvent) => {
      if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
      const target = event.target as HTMLElement | null;
      if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
      event.preventDefault();
      focusSearch();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [focusSearch]);

  const changeQuery = useCallback((value: string) => {
    performance.mark('gatehouse:filter-start');
    filterMeasurePending.current = true;
    setQuery(value);
  }, []);

  return { query, tokens, filtering, matched, matchedIndex, changeQuery, focusSearch, searchRef };
}
