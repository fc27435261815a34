'use client';

import { defaultRangeExtractor, useWindowVirtualizer, type Range } from '@tanstack/react-virtual';
import { Clock, Inbox, LoaderCircle, RefreshCw, SearchIcon, SearchX, Star, TriangleAlert, X } from 'lucide-react';
import {
  type ChangeEvent,
  type FocusEvent,
  type KeyboardEvent,
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
} from 'react';

import { ExportConfig } from '@/components/credentials/export-config';
import { timeAgo } from '@/components/time-text';
import { useNow } from '@/components/use-now';
import { useReportUserName } from '@/components/session/user-name-context';
import { Button } from '@/components/ui/button';
import type { ListingDiff } from '@/lib/shared/accounts';

import { AccountRow } from './account-row';
import { type AccountEntry, isLoading, roleKey, splitRoleKey } from './listing-state';
import { entryMatches, filterAccounts, parseQuery, roleMatches } from './search';
import { describeDiff, formatCount, isEmptyDiff, plural } from './words';
import { navKey, navTargetOf, sameTarget, type NavTarget } from './nav';
import { RejectedEntries } from './rejected-entries';
import { RoleCard } from './role-card';
import type { RowActions } from './row-view';
import { useFavorites } from './use-favorites';
import { useListing } from './use-listing';

/** Recently used roles shown at most. */
const RECENT_LIMIT = 8;
/** Rows that PageUp/PageDown move. */
const PAGE_STEP = 10;

const sectionHeading = 'flex items-center gap-2 text-sm font-semibold text-slate-700 dark:text-slate-200';

interface RoleItem {
  entry: AccountEntry;
  roleName: string;
}

function estimateRowHeight(entry: AccountEntry | undefined, expanded: boolean): number {
  // Measured rows (with the 8 px gap): 108 with role chips, 96 while roles load, 80 + 45 a role expanded.
  if (!entry) return 108;
  if (expanded) return 80 + Math.max(1, entry.roles?.length ?? 1) * 45;
  if (entry.rolesError) return 112;
  return entry.roles === null ? 96 : 108;
}

/** Moves the window just enough that `element` is clear of the sticky search bar and the bottom edge. */
function reveal(element: HTMLElement, toolbar: HTMLElement | null) {
  const target = element.matches('[data-nav-owner] button') ? (element.closest<HTMLElement>('[data-row-head]') ?? element) : element;
  const rect = target.getBoundingClientRect();
  const top = (toolbar?.getBoundingClientRect().bottom ?? 0) + 8;
  const bottom = window.innerHeight - 8;
  if (rect.top < top) window.scrollBy({ top: rect.top - top });
  else if (rect.bottom > bottom) window.scrollBy({ top: Math.min(rect.bottom - bottom, rect.top - top) });
}

function DiffDetails({ diff, entries }: { diff: ListingDiff; entries: ReadonlyMap<string, AccountEntry> }) {
  const accountLabel = (accountId: string) => {
    const name = entries.get(accountId)?.account.accountName ?? diff.accountsRemoved.find((account) => account.accountId === accountId)?.accountName;
    return name ? `${name} (${accountId})` : accountId;
  };
  const lines = [
    ...diff.accountsAdded.map((account) => `Account added: ${account.accountName} (${account.accountId})`),
    ...diff.accountsRemoved.map((account) => `Account removed: ${account.accountName} (${account.accountId})`),
    ...diff.rolesAdded.map((role) => `Role added: ${role.roleName} in ${accountLabel(role.accountId)}`),
    ...diff.rolesRemoved.map((role) => `Role removed: ${role.roleName} in ${accountLabel(role.accountId)}`),
  ];
  return (
    <details className="mt-1 text-sm">
      <summary className="cursor-pointer rounded text-brand-700 hover:underline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600 dark:text-brand-100">
        Show what changed
      </summary>
      <ul className="mt-2 max-h-64 list-disc space-y-0.5 overflow-auto pl-5 text-slate-700 dark:text-slate-300">
        {lines.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
    </details>
  );
}

/** Only an expanded row shows its roles' stars: the others get this, so a star does not re-render them. */
const NO_ROLES: ReadonlySet<string> = new Set();

/** "5 minutes ago", kept current on its own so the list does not re-render with the clock. */
function ListedAge({ listedAt }: { listedAt: string }) {
  const now = useNow(true, 30_000);
  return <time dateTime={listedAt}>{timeAgo(listedAt, now)}</time>;
}

/**
 * The accounts page's browser side: every account and role of the person as the listing streams in,
 * instant search with keyboard navigation, favorites and recent roles, refresh with what changed.
 * The full list is virtualized (only the rows near the viewport exist), so it stays fast at 5,000 accounts.
 */
export function AccountsBrowser({ instanceLabel, defaultRegion }: { instanceLabel?: string; defaultRegion: string }) {
  const { state, fetching, refresh, reload, fetchRoles } = useListing();
  const [notice, setNotice] = useState<string | null>(null);
  const { favorites, toggle: toggleFavorite, reload: reloadFavorites } = useFavorites(state.userName, setNotice);
  const [query, setQuery] = useState('');
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => new Set());
  /** "Show these accounts": the accounts whose roles had failed when it was chosen. */
  const [failedFilter, setFailedFilter] = useState<ReadonlySet<string> | null>(null);
  const [active, setActive] = useState<NavTarget | null>(null);
  const [announcement, setAnnouncement] = useState('');

  const searchRef = useRef<HTMLInputElement>(null);
  const toolbarRef = useRef<HTMLDivElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const focusPending = useRef<string | null>(null);
  const filterMeasurePending = useRef(false);

  // --- Derived data -------------------------------------------------------------------------

  const tokens = useMemo(() => parseQuery(query), [query]);
  const filtering = tokens.length > 0 || failedFilter !== null;

  const matched = useMemo(() => {
    const found = filterAccounts(state.order, state.entries, tokens);
    return failedFilter ? found.filter((id) => failedFilter.has(id)) : found;
  }, [state.order, state.entries, tokens, failedFilter]);

  const matchedIndex = useMemo(() => new Map(matched.map((id, index) => [id, index])), [matched]);

  const orderIndex = useMemo(() => new Map(state.order.map((id, index) => [id, index])), [state.order]);

  const failedIds = useMemo(() => state.order.filter((id) => state.entries.get(id)?.rolesError != null), [state.order, state.entries]);

  const favoriteAccounts = useMemo(() => {
    if (failedFilter || favorites.accounts.size === 0) return [];
    return state.order.filter((id) => {
      const entry = state.entries.get(id);
      return entry !== undefined && favorites.accounts.has(id) && entryMatches(entry, tokens);
    });
  }, [state.order, state.entries, favorites.accounts, tokens, failedFilter]);

  const roleItems = useCallback(
    (keys: Iterable<string>): RoleItem[] => {
      const items: RoleItem[] = [];
      for (const key of keys) {
        const parts = splitRoleKey(key);
        const entry = parts ? state.entries.get(parts.accountId) : undefined;
        if (!parts || !entry) continue;
        // A role the listing no longer has is left out; one whose account is still loading is shown.
        if (entry.roles !== null && !entry.roles.includes(parts.roleName)) continue;
        if (!roleMatches(entry, parts.roleName, tokens)) continue;
        items.push({ entry, roleName: parts.roleName });
      }
      return items;
    },
    [state.entries, tokens],
  );

  const favoriteRoles = useMemo(() => {
    if (failedFilter) return [];
    return roleItems(favorites.roles).sort(
      (a, b) =>
        (orderIndex.get(a.entry.account.accountId) ?? 0) - (orderIndex.get(b.entry.account.accountId) ?? 0) ||
        a.roleName.localeCompare(b.roleName),
    );
  }, [roleItems, favorites.roles, orderIndex, failedFilter]);

  const recentRoles = useMemo(
    () => (failedFilter ? [] : roleItems(favorites.recent).slice(0, RECENT_LIMIT)),
    [roleItems, favorites.recent, failedFilter],
  );

  /** Every stop in page order: the keyboard's path through the results. */
  const navOrder = useCallback((): NavTarget[] => {
    const stops: NavTarget[] = [];
    const withRoles = (section: 'fav' | 'all', accountId: string) => {
      stops.push({ section, accountId });
      const roles = expanded.has(accountId) ? state.entries.get(accountId)?.roles : undefined;
      for (const roleName of roles ?? []) stops.push({ section, accountId, roleName });
    };
    for (const item of favoriteRoles) stops.push({ section: 'favrole', accountId: item.entry.account.accountId, roleName: item.roleName });
    for (const id of favoriteAccounts) withRoles('fav', id);
    for (const item of recentRoles) stops.push({ section: 'recent', accountId: item.entry.account.accountId, roleName: item.roleName });
    for (const id of matched) withRoles('all', id);
    return stops;
  }, [favoriteRoles, favoriteAccounts, recentRoles, matched, expanded, state.entries]);

  const firstStop = useMemo((): NavTarget | null => {
    const favoriteRole = favoriteRoles[0];
    if (favoriteRole) return { section: 'favrole', accountId: favoriteRole.entry.account.accountId, roleName: favoriteRole.roleName };
    if (favoriteAccounts[0]) return { section: 'fav', accountId: favoriteAccounts[0] };
    const recent = recentRoles[0];
    if (recent) return { section: 'recent', accountId: recent.entry.account.accountId, roleName: recent.roleName };
    return matched[0] ? { section: 'all', accountId: matched[0] } : null;
  }, [favoriteRoles, favoriteAccounts, recentRoles, matched]);

  /** Whether a stop is on the page now (the active one may have been filtered away). */
  const isPresent = (target: NavTarget): boolean => {
    const roleShown = (accountId: string, roleName: string | undefined) =>
      roleName === undefined || (expanded.has(accountId) && (state.entries.get(accountId)?.roles?.includes(roleName) ?? false));
    switch (target.section) {
      case 'all':
        return matchedIndex.has(target.accountId) && roleShown(target.accountId, target.roleName);
      case 'fav':
        return favoriteAccounts.includes(target.accountId) && roleShown(target.accountId, target.roleName);
      case 'favrole':
        return favoriteRoles.some((item) => item.entry.account.accountId === target.accountId && item.roleName === target.roleName);
      case 'recent':
        return recentRoles.some((item) => item.entry.account.accountId === target.accountId && item.roleName === target.roleName);
    }
  };
  const tabStop = active && isPresent(active) ? active : firstStop;
  const tabStopKey = tabStop ? navKey(tabStop) : null;
  const tabStopFor = (section: 'fav' | 'all', accountId: string): string | null =>
    tabStop && tabStop.section === section && tabStop.accountId === accountId ? tabStopKey : null;

  // --- Virtualized full list ----------------------------------------------------------------

  const [scrollMargin, setScrollMargin] = useState(0);
  const hasList = state.entries.size > 0;
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
  }, [hasList]);

  const activeIndex = tabStop?.section === 'all' ? matchedIndex.get(tabStop.accountId) : undefined;
  const rangeExtractor = useCallback(
    (range: Range) => {
      const indexes = defaultRangeExtractor(range);
      // The tab stop stays rendered wherever the window is scrolled, so focus never falls out of the page.
      if (activeIndex === undefined || indexes.includes(activeIndex)) return indexes;
      return [...indexes, activeIndex].sort((a, b) => a - b);
    },
    [activeIndex],
  );

  const virtualizer = useWindowVirtualizer({
    count: matched.length,
    estimateSize: (index) => {
      const id = matched[index];
      return estimateRowHeight(id === undefined ? undefined : state.entries.get(id), id !== undefined && expanded.has(id));
    },
    getItemKey: (index) => matched[index] ?? index,
    overscan: 6,
    scrollMargin,
    rangeExtractor,
  });

  // --- Effects --------------------------------------------------------------------------------

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
  }, [query]);

  // Keyboard moves: focus the new stop once it is rendered, and bring it into view.
  useLayoutEffect(() => {
    const id = focusPending.current;
    if (!id) return;
    focusPending.current = null;
    const element = document.getElementById(id);
    if (!element) return;
    element.focus({ preventScroll: true });
    reveal(element, toolbarRef.current);
    // Rows rendered for the first time are measured after this frame's layout and can move it a little
    // (their estimated heights were off): once more, in the frame after.
    requestAnimationFrame(() =>
      requestAnimationFrame(() => {
        if (element.isConnected && document.activeElement === element) reveal(element, toolbarRef.current);
      }),
    );
  });

  // An expanded account whose roles have not arrived is fetched ahead of the background load.
  useEffect(() => {
    for (const id of expanded) {
      const entry = state.entries.get(id);
      if (entry && entry.roles === null && entry.rolesError === null) fetchRoles(id);
    }
  }, [expanded, state.entries, fetchRoles]);

  // The header says who is signed in as soon as the listing learns it.
  useReportUserName(state.userName);

  // "/" focuses the search box, unless the person is typing somewhere.
  useEffect(() => {
    const onKeyDown = (event: globalThis.KeyboardEvent) => {
      if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
      const target = event.target as HTMLElement | null;
      if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
      event.preventDefault();
      searchRef.current?.focus();
      searchRef.current?.select();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, []);

  // The result count, for screen readers, once typing pauses.
  const resultCount = matched.length;
  useEffect(() => {
    if (!filtering) return;
    const timer = setTimeout(() => {
      setAnnouncement(resultCount === 0 ? 'No accounts match.' : `${plural(resultCount, 'account')} match.`);
    }, 500);
    return () => clearTimeout(timer);
  }, [filtering, resultCount, tokens]);

  // --- Actions --------------------------------------------------------------------------------

  const actions = useMemo<RowActions>(
    () => ({
      toggleExpanded: (accountId) =>
        setExpanded((previous) => {
          const next = new Set(previous);
          if (next.has(accountId)) next.delete(accountId);
          else next.add(accountId);
          return next;
        }),
      star: (change, label) => {
        setNotice(null);
        toggleFavorite(change, label);
      },
      retryRoles: fetchRoles,
    }),
    [toggleFavorite, fetchRoles],
  );

  const changeQuery = (value: string) => {
    performance.mark('gatehouse:filter-start');
    filterMeasurePending.current = true;
    setQuery(value);
  };

  const moveTo = (target: NavTarget | undefined) => {
    if (!target) return;
    focusPending.current = navKey(target);
    setActive(target);
    // Rendered now (and measured) if it was far away: the range always includes the tab stop.
  };

  const focusSearch = () => {
    searchRef.current?.focus();
    searchRef.current?.select();
  };

  const onSearchKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'Enter') {
      if (!firstStop) return;
      event.preventDefault();
      moveTo(firstStop);
      if (event.key === 'Enter' && firstStop.roleName === undefined && !expanded.has(firstStop.accountId)) {
        actions.toggleExpanded(firstStop.accountId);
      }
    } else if (event.key === 'Escape' && query) {
      event.preventDefault();
      changeQuery('');
    }
  };

  const onResultsKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const element = event.target as HTMLElement;
    if (/^(INPUT|TEXTAREA|SELECT)$/.test(element.tagName) || element.tagName === 'SUMMARY') return;
    const current = navTargetOf(element);
    if (!current) return;
    const isAccount = current.roleName === undefined;
    const accountExpanded = expanded.has(current.accountId);
    const stops = () => navOrder();
    const indexIn = (list: NavTarget[]) => list.findIndex((stop) => sameTarget(stop, current));

    switch (event.key) {
      case 'ArrowDown':
      case 'ArrowUp':
      case 'PageDown':
      case 'PageUp': {
        event.preventDefault();
        const list = stops();
        const at = indexIn(list);
        const step = event.key === 'ArrowDown' ? 1 : event.key === 'ArrowUp' ? -1 : event.key === 'PageDown' ? PAGE_STEP : -PAGE_STEP;
        if (at + step < 0 && event.key === 'ArrowUp') {
          focusSearch();
          return;
        }
        moveTo(list[Math.max(0, Math.min(list.length - 1, at + step))]);
        return;
      }
      case 'Home':
        event.preventDefault();
        moveTo(stops()[0]);
        return;
      case 'End': {
        event.preventDefault();
        const list = stops();
        moveTo(list[list.length - 1]);
        return;
      }
      case 'ArrowRight':
        if (!isAccount || (current.section !== 'fav' && current.section !== 'all')) return;
        event.preventDefault();
        if (!accountExpanded) actions.toggleExpanded(current.accountId);
        else {
          const firstRole = state.entries.get(current.accountId)?.roles?.[0];
          if (firstRole !== undefined) moveTo({ ...current, roleName: firstRole });
        }
        return;
      case 'ArrowLeft':
        if (current.section !== 'fav' && current.section !== 'all') return;
        event.preventDefault();
        if (!isAccount) moveTo({ section: current.section, accountId: current.accountId });
        else if (accountExpanded) actions.toggleExpanded(current.accountId);
        return;
      case 'Escape':
        event.preventDefault();
        focusSearch();
        return;
      default:
        // Typing anywhere in the results goes on in the search box (the key lands there).
        if (event.key.length === 1 && event.key !== ' ' && event.key !== '/') searchRef.current?.focus();
    }
  };

  const onResultsFocus = (event: FocusEvent<HTMLDivElement>) => {
    const target = navTargetOf(event.target);
    if (target && !sameTarget(target, active)) setActive(target);
  };

  const showFailed = () => {
    setFailedFilter(new Set(failedIds));
    setActive(null);
  };

  // --- Render ---------------------------------------------------------------------------------

  const loading = isLoading(state);
  const accountCount = state.entries.size;
  const refreshBusy = state.streaming;

  let summary: string;
  if (accountCount === 0 && state.phase !== 'done') summary = state.error ? 'No accounts listed.' : 'Loading your accounts…';
  else if (state.total === null && state.phase !== 'done') summary = `${plural(accountCount, 'account')} so far…`;
  else if (filtering) summary = `${formatCount(matched.length)} of ${plural(accountCount, 'account')}`;
  else summary = plural(accountCount, 'account');

  const rolesProgress =
    loading && state.phase === 'roles' && state.total !== null && state.total > 0
      ? { settled: Math.min(state.settled.size, state.total), total: state.total }
      : null;

  const refreshStatus = state.refreshing
    ? state.streaming
      ? 'Refreshing your accounts…'
      : state.phase === 'done' && !state.error
        ? state.diff
          ? `Refreshed. ${describeDiff(state.diff)}.`
          : 'Refreshed.'
        : ''
    : '';

  const empty = state.phase === 'done' && !state.streaming && accountCount === 0 && !state.error;
  const noMatches = filtering && accountCount > 0 && matched.length === 0 && favoriteAccounts.length === 0 && favoriteRoles.length === 0;
  const showFavorites = favoriteRoles.length + favoriteAccounts.length > 0;
  const virtualItems = virtualizer.getVirtualItems();

  return (
    <div>
      <div className="flex flex-wrap items-end justify-between gap-x-4 gap-y-1">
        <h1 className="text-2xl font-semibold tracking-tight">Accounts</h1>
        {instanceLabel ? (
          <p className="min-w-0 truncate text-sm text-slate-600 dark:text-slate-400">
            Identity Center <span className="font-mono">{instanceLabel}</span>
          </p>
        ) : null}
      </div>

      <div
        ref={toolbarRef}
        className="sticky top-0 z-20 -mx-4 mt-3 border-b border-slate-200/80 bg-white/95 px-4 pb-3 pt-3 backdrop-blur dark:border-slate-800/80 dark:bg-slate-950/95"
      >
        <div className="flex items-center gap-2">
          <div className="relative min-w-0 flex-1">
            <label htmlFor="account-search" className="sr-only">
              Search accounts and roles
            </label>
            <SearchIcon aria-hidden="true" className="pointer-events-none absolute left-3 top-1/2 size-4 -translate-y-1/2 text-slate-400" />
            <input
              id="account-search"
              ref={searchRef}
              type="search"
              value={query}
              onChange={(event: ChangeEvent<HTMLInputElement>) => changeQuery(event.target.value)}
              onKeyDown={onSearchKeyDown}
              autoComplete="off"
              autoCorrect="off"
              autoCapitalize="none"
              spellCheck={false}
              enterKeyHint="search"
              placeholder="Search by account name, id, email or role"
              aria-describedby="account-count account-search-help"
              aria-controls="account-results"
              aria-keyshortcuts="/"
              className="w-full rounded-lg border border-slate-300 bg-white py-2 pl-9 pr-9 text-base text-slate-900 placeholder:text-slate-400 focus-visible:border-brand-600 focus-visible:outline-2 focus-visible:outline-offset-0 focus-visible:outline-brand-600 sm:text-sm dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100 dark:placeholder:text-slate-500"
            />
            {query ? null : (
              <kbd
                aria-hidden="true"
                className="pointer-events-none absolute right-2.5 top-1/2 hidden -translate-y-1/2 rounded border border-slate-300 px-1.5 font-mono text-xs text-slate-500 sm:block dark:border-slate-700 dark:text-slate-400"
              >
                /
              </kbd>
            )}
          </div>
          <Button variant="secondary" onClick={refresh} disabled={refreshBusy} className="shrink-0 px-3 sm:px-4">
            <RefreshCw aria-hidden="true" className={`size-4 ${refreshBusy ? 'animate-spin motion-reduce:animate-none' : ''}`} />
            <span className="sr-only sm:not-sr-only">Refresh</span>
          </Button>
          <ExportConfig defaultRegion={defaultRegion} />
        </div>
        <p id="account-search-help" className="sr-only">
          Results update as you type. Press Down Arrow to move into the results, Enter to open an account, Escape to
          clear the search.
        </p>
        <div className="mt-2 flex flex-wrap items-center justify-between gap-x-4 gap-y-1 text-sm text-slate-600 dark:text-slate-400">
          <p id="account-count" className="font-medium text-slate-700 dark:text-slate-300">
            {summary}
          </p>
          {state.listedAt && state.phase === 'done' ? (
            <p>
              Listed <ListedAge listedAt={state.listedAt} />
              {state.cached ? ' (saved listing)' : ''}
            </p>
          ) : null}
        </div>
        {loading && state.phase !== 'roles' ? (
          <div className="mt-2">
            <div
              role="progressbar"
              aria-label="Loading accounts"
              aria-valuetext={accountCount > 0 ? `${plural(accountCount, 'account')} so far` : 'Starting'}
              className="h-1.5 overflow-hidden rounded-full bg-slate-200 dark:bg-slate-800"
            >
              <div className="h-full w-1/3 animate-pulse rounded-full bg-brand-600" />
            </div>
          </div>
        ) : null}
        {rolesProgress ? (
          <div className="mt-2">
            <p id="roles-progress-label" className="flex flex-wrap gap-x-2 text-xs text-slate-600 dark:text-slate-400">
              <span>
                Loading roles… {formatCount(rolesProgress.settled)} of {plural(rolesProgress.total, 'account')}
              </span>
              {failedIds.length > 0 ? <span className="text-red-700 dark:text-red-300">· {formatCount(failedIds.length)} could not be loaded</span> : null}
            </p>
            <div
              role="progressbar"
              aria-labelledby="roles-progress-label"
              aria-valuemin={0}
              aria-valuemax={rolesProgress.total}
              aria-valuenow={rolesProgress.settled}
              aria-valuetext={`${formatCount(rolesProgress.settled)} of ${plural(rolesProgress.total, 'account')}`}
              className="mt-1 h-1.5 overflow-hidden rounded-full bg-slate-200 dark:bg-slate-800"
            >
              <div
                className="h-full rounded-full bg-brand-600 transition-[width] duration-300 motion-reduce:transition-none"
                style={{ width: `${(rolesProgress.settled / rolesProgress.total) * 100}%` }}
              />
            </div>
          </div>
        ) : null}
        {failedFilter ? (
          <p className="mt-2 flex flex-wrap items-center gap-2 text-sm">
            <span>Showing the accounts whose roles could not be loaded.</span>
            <button
              type="button"
              onClick={() => setFailedFilter(null)}
              className="inline-flex items-center gap-1 rounded-md px-1.5 py-0.5 font-medium text-brand-700 hover:bg-brand-50 focus-visible:outline-2 focus-visible:outline-brand-600 dark:text-brand-100 dark:hover:bg-slate-800"
            >
              <X aria-hidden="true" className="size-3.5" />
              Show all accounts
            </button>
          </p>
        ) : null}
      </div>

      <p role="status" className="sr-only">
        {announcement}
      </p>

      {/* Always in the page (a live region must exist before its text changes), empty until a refresh. */}
      <div role="status" className="text-sm">
        {refreshStatus ? (
          <p className="mt-3 flex items-center gap-2 font-medium text-slate-800 dark:text-slate-200">
            {state.streaming ? <LoaderCircle aria-hidden="true" className="size-4 animate-spin" /> : null}
            {refreshStatus}
          </p>
        ) : null}
      </div>
      {state.refreshing && !state.streaming && state.diff && !isEmptyDiff(state.diff) ? <DiffDetails diff={state.diff} entries={state.entries} /> : null}

      {state.error ? (
        <div
          role="alert"
          className="mt-4 flex flex-wrap items-start gap-3 rounded-lg border border-red-200 bg-red-50 p-4 text-red-950 dark:border-red-900 dark:bg-red-950/60 dark:text-red-100"
        >
          <TriangleAlert aria-hidden="true" className="mt-0.5 size-5 shrink-0" />
          <div className="min-w-0 flex-1">
            <p className="font-medium">{accountCount > 0 ? 'The listing did not finish.' : 'Your accounts could not be listed.'}</p>
            <p className="mt-1 text-sm">{state.error}</p>
            {accountCount > 0 ? <p className="mt-1 text-sm">The accounts that arrived are shown below.</p> : null}
          </div>
          <Button variant="secondary" onClick={state.refreshing ? refresh : reload} disabled={state.streaming}>
            <RefreshCw aria-hidden="true" className="size-4" />
            Try again
          </Button>
        </div>
      ) : null}

      <RejectedEntries entries={state.rejected} />

      {failedIds.length > 0 && !loading && !failedFilter ? (
        <div className="mt-4 flex flex-wrap items-center gap-x-3 gap-y-2 rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950/50 dark:text-amber-100">
          <TriangleAlert aria-hidden="true" className="size-4 shrink-0" />
          <p className="min-w-0 flex-1">
            The roles of {plural(failedIds.length, 'account')} could not be loaded. The other accounts are complete.
          </p>
          <Button variant="secondary" onClick={showFailed} className="px-3 py-1.5">
            Show these accounts
          </Button>
        </div>
      ) : null}

      {notice ? (
        <div
          role="alert"
          className="mt-4 flex items-start gap-3 rounded-lg border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-950 dark:border-red-900 dark:bg-red-950/60 dark:text-red-100"
        >
          <TriangleAlert aria-hidden="true" className="mt-0.5 size-4 shrink-0" />
          <p className="min-w-0 flex-1">{notice}</p>
          <button
            type="button"
            onClick={() => setNotice(null)}
            aria-label="Dismiss"
            className="rounded p-0.5 hover:bg-red-100 focus-visible:outline-2 focus-visible:outline-brand-600 dark:hover:bg-red-900"
          >
            <X aria-hidden="true" className="size-4" />
          </button>
        </div>
      ) : null}

      {favorites.status === 'error' ? (
        <p className="mt-4 flex flex-wrap items-center gap-2 text-sm text-slate-600 dark:text-slate-400">
          Your favorites could not be loaded.
          <button
            type="button"
            onClick={reloadFavorites}
            className="rounded font-medium text-brand-700 hover:underline focus-visible:outline-2 focus-visible:outline-brand-600 dark:text-brand-100"
          >
            Try again
          </button>
        </p>
      ) : null}

      {empty ? (
        <div className="mt-8 rounded-xl border border-dashed border-slate-300 px-6 py-12 text-center dark:border-slate-700">
          <Inbox aria-hidden="true" className="mx-auto size-10 text-slate-400" />
          <p className="mt-4 text-lg font-medium">No AWS accounts are assigned to you yet.</p>
          <p className="mx-auto mt-2 max-w-md text-slate-600 dark:text-slate-400">
            Ask your administrator to assign you a permission set for an account in IAM Identity Center. Once they have,
            press Refresh.
          </p>
        </div>
      ) : null}

      {accountCount === 0 && loading ? (
        <ul aria-hidden="true" className="mt-6 space-y-2">
          {[0, 1, 2, 3].map((index) => (
            <li key={index} className="h-[92px] animate-pulse rounded-lg border border-slate-200 bg-slate-50 dark:border-slate-800 dark:bg-slate-900" />
          ))}
        </ul>
      ) : null}

      {noMatches ? (
        <div className="mt-8 rounded-xl border border-dashed border-slate-300 px-6 py-10 text-center dark:border-slate-700">
          <SearchX aria-hidden="true" className="mx-auto size-8 text-slate-400" />
          <p className="mt-3 font-medium">Nothing matches “{query.trim()}”.</p>
          <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">Search looks at account names, ids, emails and role names.</p>
          <Button variant="secondary" className="mt-4" onClick={() => changeQuery('')}>
            Clear the search
          </Button>
        </div>
      ) : null}

      <div id="account-results" onKeyDown={onResultsKeyDown} onFocus={onResultsFocus}>
        {showFavorites ? (
          <section aria-labelledby="favorites-heading" className="mt-6">
            <h2 id="favorites-heading" className={sectionHeading}>
              <Star aria-hidden="true" className="size-4 text-amber-500" fill="currentColor" />
              Favorites
            </h2>
            <ul role="list" className="mt-2 space-y-2">
              {favoriteRoles.map(({ entry, roleName }) => (
                <RoleCard
                  key={roleKey(entry.account.accountId, roleName)}
                  section="favrole"
                  entry={entry}
                  roleName={roleName}
                  tokens={tokens}
                  starred
                  isTabStop={tabStop?.section === 'favrole' && tabStop.accountId === entry.account.accountId && tabStop.roleName === roleName}
                  actions={actions}
                />
              ))}
              {favoriteAccounts.map((id) => {
                const entry = state.entries.get(id);
                return entry ? (
                  <li key={id}>
                    <AccountRow
                      entry={entry}
                      section="fav"
                      tokens={tokens}
                      expanded={expanded.has(id)}
                      fetching={fetching.has(id)}
                      starred
                      starredRoles={expanded.has(id) ? favorites.roles : NO_ROLES}
                      tabStop={tabStopFor('fav', id)}
                      actions={actions}
                    />
                  </li>
                ) : null;
              })}
            </ul>
          </section>
        ) : null}

        {recentRoles.length > 0 ? (
          <section aria-labelledby="recent-heading" className="mt-6">
            <h2 id="recent-heading" className={sectionHeading}>
              <Clock aria-hidden="true" className="size-4 text-slate-500" />
              Recent
            </h2>
            <ul role="list" className="mt-2 space-y-2">
              {recentRoles.map(({ entry, roleName }) => (
                <RoleCard
                  key={roleKey(entry.account.accountId, roleName)}
                  section="recent"
                  entry={entry}
                  roleName={roleName}
                  tokens={tokens}
                  starred={favorites.roles.has(roleKey(entry.account.accountId, roleName))}
                  isTabStop={tabStop?.section === 'recent' && tabStop.accountId === entry.account.accountId && tabStop.roleName === roleName}
                  actions={actions}
                />
              ))}
            </ul>
          </section>
        ) : null}

        {accountCount > 0 ? (
          <section aria-labelledby="all-accounts-heading" className="mt-6">
            <div className="flex flex-wrap items-baseline justify-between gap-x-4">
              <h2 id="all-accounts-heading" className={sectionHeading}>
                All accounts
              </h2>
              {!showFavorites && !filtering && favorites.status === 'ready' ? (
                <p className="text-xs text-slate-500 dark:text-slate-400">Star an account or role to keep it at the top.</p>
              ) : null}
            </div>
            <ul
              ref={listRef}
              role="list"
              aria-labelledby="all-accounts-heading"
              className="relative mt-2"
              style={{ height: virtualizer.getTotalSize() }}
            >
              {virtualItems.map((item) => {
                const id = matched[item.index];
                const entry = id === undefined ? undefined : state.entries.get(id);
                if (!id || !entry) return null;
                return (
                  <li
                    key={item.key}
                    data-index={item.index}
                    ref={virtualizer.measureElement}
                    aria-setsize={matched.length}
                    aria-posinset={item.index + 1}
                    className="absolute inset-x-0 top-0 pb-2"
                    style={{ transform: `translateY(${item.start - virtualizer.options.scrollMargin}px)` }}
                  >
                    <AccountRow
                      entry={entry}
                      section="all"
                      tokens={tokens}
                      expanded={expanded.has(id)}
                      fetching={fetching.has(id)}
                      starred={favorites.accounts.has(id)}
                      starredRoles={expanded.has(id) ? favorites.roles : NO_ROLES}
                      tabStop={tabStopFor('all', id)}
                      actions={actions}
                    />
                  </li>
                );
              })}
            </ul>
          </section>
        ) : null}
      </div>
    </div>
  );
}
