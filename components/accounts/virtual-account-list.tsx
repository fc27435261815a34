'use client';

import { defaultRangeExtractor, type Range, useWindowVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useLayoutEffect, useRef, useState } from 'react';

import { accountRowProps, AccountRow } from './account-row';
import { CompactAccountRow } from './compact-account-row';
import type { AccountEntry } from './listing-state';
import type { RowView } from './row-view';
import { SectionHeading } from './section-heading';

function estimateRowHeight(entry: AccountEntry | undefined, expanded: boolean, compact: boolean): number {
  if (compact) {
    // Compact rows (with the 4 px gap): 42, and 45 a role expanded.
    if (!entry) return 42;
    if (expanded) return 42 + Math.max(1, entry.roles?.length ?? 1) * 45;
    return entry.rolesError ? 90 : 42;
  }
  // Measured rows (with the 8 px gap): 108 with role chips, 96 while roles load, 80 + 45 a role expanded.
  if (!entry) return 108;
  if (expanded) return 80 + Math.max(1, entry.roles?.length ?? 1) * 45;
  if (entry.rolesError) return 112;
  return entry.roles === null ? 96 : 108;
}

/**
 * All accounts, virtualized against the window: only the rows near the viewport exist, so the page
 * stays fast at 5,000 accounts. The row that holds the keyboard's tab stop is always rendered, so
 * focus never falls out of the page however far the window is scrolled.
 */
export function VirtualAccountList({
  matched,
  entries,
  starredAccounts,
  view,
  tabStopIndex,
  showStarHint,
}: {
  matched: readonly string[];
  entries: ReadonlyMap<string, AccountEntry>;
  starredAccounts: ReadonlySet<string>;
  view: RowView;
  /** The tab stop's index in `matched`, when it lies in this list. */
  tabStopIndex: number | undefined;
  /** Nothing is starred yet: say what a star does. */
  showStarHint: boolean;
}) {
  const listRef = useRef<HTMLUListElement>(null);
  const [scrollMargin, setScrollMargin] = useState(0);
  useLayoutEffect(() => {
    const list = listRef.current;
    if (!list) return;
    const update = () => {
      const top = Math.round(list.getBoundingClientRect().top + window.scrollY);
      setScrollMargin((previous) => (previous === top ? previous : top));
    };
    update();
    // Anything above the list that changes size (favorites, notices, a wrapping header) resizes the body.
    const observer = new ResizeObserver(update);
    observer.observe(document.body);
    return () => observer.disconnect();
  }, []);

  const rangeExtractor = useCallback(
    (range: Range) => {
      const indexes = defaultRangeExtractor(range);
      if (tabStopIndex === undefined || indexes.includes(tabStopIndex)) return indexes;
      return [...indexes, tabStopIndex].sort((a, b) => a - b);
    },
    [tabStopIndex],
  );

  const virtualizer = useWindowVirtualizer({
    count: matched.length,
    estimateSize: (index) => {
      const id = matched[index];
      return estimateRowHeight(id === undefined ? undefined : entries.get(id), id !== undefined && view.expanded.has(id), view.compact);
    },
    getItemKey: (index) => matched[index] ?? index,
    overscan: 6,
    scrollMargin,
    rangeExtractor,
  });

  return (
    <section aria-labelledby="all-accounts-heading" className="mt-6">
      <div className="flex flex-wrap items-baseline justify-between gap-x-4">
        <SectionHeading id="all-accounts-heading">All accounts</SectionHeading>
        {showStarHint ? <p className="text-xs text-slate-500 dark:text-slate-400">Star an account or role to keep it at the top.</p> : null}
      </div>
      <ul ref={listRef} role="list" aria-labelledby="all-accounts-heading" className="relative mt-2" style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((item) => {
          const id = matched[item.index];
          const entry = id === undefined ? undefined : entries.get(id);
          if (!id || !entry) return null;
          return (
            <li
              key={item.key}
              data-index={item.index}
              ref={virtualizer.measureElement}
              aria-setsize={matched.length}
              aria-posinset={item.index + 1}
              className={`absolute inset-x-0 top-0 ${view.compact ? 'pb-1' : 'pb-2'}`}
              style={{ transform: `translateY(${item.start - virtualizer.options.scrollMargin}px)` }}
            >
              {view.compact ? (
                <CompactAccountRow {...accountRowProps(view, 'all', entry, starredAccounts.has(id))} />
              ) : (
                <AccountRow {...accountRowProps(view, 'all', entry, starredAccounts.has(id))} />
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
