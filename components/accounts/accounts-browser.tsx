'use client';

import { lazy, useCallback, useMemo, useRef, useState } from 'react';

import { KeysDialog, type KeysTarget } from '@/components/credentials/keys-dialog';

import { OnDemand } from '@/components/on-demand';
import type { ListDensity } from '@/lib/shared/preferences';
import { useReportUserName } from '@/components/session/user-name-context';

import { FailedFilterNote, FailedRolesAlert } from './failed-roles-notices';
import { FavoriteNotice, FavoritesUnavailable } from './favorites-notices';
import { ListingError } from './listing-error';
import { KeptRolesNotice, UnreachableNotice } from './listing-notices';
import { ListingProgress } from './listing-progress';
import { ListingSummary } from './listing-summary';
import { LoadingRows } from './loading-rows';
import { CommandStatus, KeyboardHelp } from './keyboard-help';
import { isLoading } from './listing-state';
import type { NavTarget } from './nav';
import { FavoritesSection, RecentSection } from './pinned-sections';
import { RefreshStatus } from './refresh-status';
import type { RowActions, RowView } from './row-view';
import { enterTarget } from '@/lib/shared/search';
import { SearchBar } from './search-bar';
import { DensityToggle } from './density-toggle';
import { useAccountSearch } from './use-account-search';
import { useCommandStatus } from './use-command-status';
import { useDensity } from './use-density';
import { useExpandedAccounts } from './use-expanded-accounts';
import { useFailedRoles } from './use-failed-roles';
import { useFavorites } from './use-favorites';
import { useKeyboardNav } from './use-keyboard-nav';
import { useListing } from './use-listing';
import { useLoadNow } from './use-load-now';
import { usePinnedGroups } from './use-pinned-groups';
import { useResultAnnouncement } from './use-result-announcement';
import { useRoleCommands } from './use-role-commands';
import { VirtualAccountList } from './virtual-account-list';

// Fetched when first shown: most visits have something to list.
// Only an Identity Center that answers outside AWS's documented shapes makes this appear.
const RejectedEntries = lazy(() => import('./rejected-entries').then((module) => ({ default: module.RejectedEntries })));
const NoAccounts = lazy(() => import('./empty-states').then((module) => ({ default: module.NoAccounts })));
const NoMatches = lazy(() => import('./empty-states').then((module) => ({ default: module.NoMatches })));

/**
 * The accounts page's browser side: every account and role of the person as the listing streams in,
 * instant search with keyboard navigation, favorites and recent roles, refresh with what changed.
 * Each concern lives in its own hook or component; this puts them together.
 */
export function AccountsBrowser({
  instanceLabel,
  defaultRegion,
  initialDensity,
  knownPerson,
}: {
  instanceLabel?: string;
  defaultRegion: string;
  initialDensity: ListDensity;
  /** The page was rendered knowing who the person is (their density with it). */
  knownPerson: boolean;
}) {
  const { state, fetching, refresh, reload, fetchRoles } = useListing();
  const { density, choose: chooseDensity } = useDensity(initialDensity, state.userName, knownPerson);
  const [notice, setNotice] = useState<string | null>(null);
  const { favorites, toggle: toggleFavorite, reload: reloadFavorites } = useFavorites(state.userName, setNotice);
  // The header says who is signed in as soon as the listing learns it.
  useReportUserName(state.userName);

  const toolbarRef = useRef<HTMLDivElement>(null);
  const { failedIds, failedFilter, showFailed, showAll } = useFailedRoles(state);
  const search = useAccountSearch(state, failedFilter, toolbarRef);
  // A search naming one account and one of its roles, and nothing else as well (`payments prod 3 admin`), opens the account and points at the role.
  const enter = useMemo(() => enterTarget(search.matched, state.entries, search.tokens), [search.matched, state.entries, search.tokens]);
  const [enterAccount, enterRole] = [enter?.accountId, enter?.roleName];
  const suggested = useMemo<NavTarget | null>(
    () => (enterAccount !== undefined && enterRole !== undefined ? { section: 'all', accountId: enterAccount, roleName: enterRole } : null),
    [enterAccount, enterRole],
  );
  const { expanded, toggleExpanded: toggleOpen } = useExpandedAccounts(state.entries, fetchRoles, suggested?.accountId ?? null);
  const status = useCommandStatus();
  const toggleExpanded = useLoadNow({ entries: state.entries, expanded, toggleExpanded: toggleOpen, fetchRoles, say: status.say });
  const groups = usePinnedGroups(state, favorites, search.tokens, failedFilter);

  // The keys dialog, and the control that opened it (focus goes back there when it closes).
  const [keysTarget, setKeysTarget] = useState<KeysTarget | null>(null);
  const opener = useRef<{ element: HTMLElement; fallbackId: string } | null>(null);
  const { entries } = state;
  const openKeys = useCallback(
    (accountId: string, roleName: string, element: HTMLElement) => {
      const account = entries.get(accountId)?.account;
      const accountName = account ? (account.nickname ? `${account.nickname} (${account.accountName})` : account.accountName) : accountId;
      opener.current = { element, fallbackId: element.closest<HTMLElement>('[data-nav-owner]')?.dataset.navOwner ?? '' };
      setKeysTarget({ accountId, accountName, roleName });
    },
    [entries],
  );
  const returnFocus = () => {
    const { element, fallbackId } = opener.current ?? {};
    // The list may have re-rendered the row meanwhile: then its stop, found again by id.
    const target = element?.isConnected ? element : fallbackId ? document.getElementById(fallbackId) : null;
    target?.focus();
  };

  const actions = useMemo<RowActions>(
    () => ({
      toggleExpanded,
      star: (change, label) => {
        setNotice(null);
        toggleFavorite(change, label);
      },
      retryRoles: fetchRoles,
      openKeys,
    }),
    [toggleExpanded, toggleFavorite, fetchRoles, openKeys],
  );
  const commands = useRoleCommands({ entries, starredRoles: favorites.roles, actions, say: status.say });
  const nav = useKeyboardNav({
    layout: { ...groups, matched: search.matched, matchedIndex: search.matchedIndex, expanded, entries: state.entries },
    search,
    toolbarRef,
    toggleExpanded,
    onRoleCommand: commands.run,
    suggested,
  });
  const announcement = useResultAnnouncement(search.filtering, search.matched.length, search.tokens);
  const view: RowView = {
    tokens: search.tokens,
    expanded,
    fetching,
    starredRoles: favorites.roles,
    tabStop: nav.tabStop,
    suggested,
    actions,
    compact: density === 'compact',
  };

  const loading = isLoading(state);
  const accountCount = state.entries.size;
  const { favoriteRoles, favoriteAccounts, recentRoles } = groups;
  const showFavorites = favoriteRoles.length + favoriteAccounts.length > 0;
  const empty = state.phase === 'done' && !state.streaming && accountCount === 0 && !state.error;
  const noMatches = search.filtering && accountCount > 0 && search.matched.length === 0 && !showFavorites;

  return (
    <div>
      <div className="flex flex-wrap items-end justify-between gap-x-4 gap-y-1">
        <h1 className="text-2xl font-semibold tracking-tight">Accounts</h1>
        <div className="flex min-w-0 flex-wrap items-center gap-x-4 gap-y-1">
          {instanceLabel ? (
            <p className="min-w-0 truncate text-sm text-slate-600 dark:text-slate-400">
              Identity Center <span className="font-mono">{instanceLabel}</span>
            </p>
          ) : null}
          <DensityToggle density={density} onChange={chooseDensity} />
          <KeyboardHelp />
        </div>
      </div>

      <div
        ref={toolbarRef}
        className="sticky top-0 z-20 -mx-4 mt-3 border-b border-slate-200 bg-white px-4 pb-3 pt-3 dark:border-slate-800 dark:bg-slate-950"
      >
        <SearchBar
          query={search.query}
          onQueryChange={search.changeQuery}
          onKeyDown={nav.onSearchKeyDown}
          searchRef={search.searchRef}
          refreshBusy={state.streaming && state.refreshing}
          onRefresh={refresh}
          defaultRegion={defaultRegion}
          exportProgress={loading && state.total !== null ? { loaded: Math.min(state.settled.size, state.total), total: state.total } : null}
        />
        <ListingSummary state={state} filtering={search.filtering} matchedCount={search.matched.length} />
        <ListingProgress state={state} failedCount={failedIds.length} />
        {state.unreachable ? <UnreachableNotice retryAt={state.unreachable.retryAt} /> : null}
        {failedFilter ? <FailedFilterNote onShowAll={showAll} /> : null}
      </div>

      <p role="status" className="sr-only">
        {announcement}
      </p>
      <CommandStatus message={status.message} />
      <KeysDialog target={keysTarget} defaultRegion={defaultRegion} onClose={() => setKeysTarget(null)} returnFocus={returnFocus} />
      <RefreshStatus state={state} />

      {state.error ? (
        <ListingError
          message={state.error}
          accountCount={accountCount}
          busy={state.streaming}
          refreshing={state.refreshing}
          onRetry={state.refreshing ? refresh : reload}
        />
      ) : null}
      <KeptRolesNotice state={state} />
      {state.rejected.length > 0 ? (
        <OnDemand>
          <RejectedEntries entries={state.rejected} />
        </OnDemand>
      ) : null}
      {failedIds.length > 0 && !loading && !failedFilter ? (
        <FailedRolesAlert
          count={failedIds.length}
          onShow={() => {
            showFailed();
            nav.reset();
          }}
        />
      ) : null}
      {notice ? <FavoriteNotice message={notice} onDismiss={() => setNotice(null)} /> : null}
      {favorites.status === 'error' ? <FavoritesUnavailable onRetry={reloadFavorites} /> : null}

      {empty ? (
        <OnDemand>
          <NoAccounts />
        </OnDemand>
      ) : null}
      {accountCount === 0 && loading ? <LoadingRows /> : null}
      {noMatches ? (
        <OnDemand>
          <NoMatches query={search.query} onClear={() => search.changeQuery('')} />
        </OnDemand>
      ) : null}

      <div id="account-results" onKeyDown={nav.onResultsKeyDown} onFocus={nav.onResultsFocus}>
        {showFavorites ? <FavoritesSection roles={favoriteRoles} accountIds={favoriteAccounts} entries={state.entries} view={view} /> : null}
        {recentRoles.length > 0 ? <RecentSection roles={recentRoles} view={view} /> : null}
        {accountCount > 0 ? (
          <VirtualAccountList
            matched={search.matched}
            entries={state.entries}
            starredAccounts={favorites.accounts}
            view={view}
            tabStopIndex={nav.tabStopIndex}
            showStarHint={!showFavorites && !search.filtering && favorites.status === 'ready'}
          />
        ) : null}
      </div>
    </div>
  );
}
