'use client';

import { RefreshCw, SearchIcon } from 'lucide-react';
import type { KeyboardEvent, RefObject } from 'react';

import { ExportConfig, type ExportProgress } from '@/components/credentials/export-config';
import { Button } from '@/components/ui/button';

/**
 * The row at the top of the accounts: the search box (with its `/` hint and help for screen
 * readers), Refresh (spinning while a listing streams) and Export.
 */
export function SearchBar({
  query,
  onQueryChange,
  onKeyDown,
  searchRef,
  refreshBusy,
  onRefresh,
  defaultRegion,
  exportProgress,
}: {
  query: string;
  onQueryChange: (value: string) => void;
  onKeyDown: (event: KeyboardEvent<HTMLInputElement>) => void;
  searchRef: RefObject<HTMLInputElement | null>;
  refreshBusy: boolean;
  onRefresh: () => void;
  defaultRegion: string;
  /** Roles still loading: how far, for the export. */
  exportProgress: ExportProgress | null;
}) {
  return (
    <>
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
            onChange={(event) => onQueryChange(event.target.value)}
            onKeyDown={onKeyDown}
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
        <Button variant="secondary" onClick={onRefresh} disabled={refreshBusy} className="shrink-0 px-3 sm:px-4">
          <RefreshCw aria-hidden="true" className={`size-4 ${refreshBusy ? 'animate-spin motion-reduce:animate-none' : ''}`} />
          <span className="sr-only sm:not-sr-only">Refresh</span>
        </Button>
        <ExportConfig defaultRegion={defaultRegion} progress={exportProgress} />
      </div>
      <p id="account-search-help" className="sr-only">
        Results update as you type, and tolerate small typos; a number matches whole numbers in names and the start of
        an account id. Press Down Arrow to move into the results, Enter to open the first account (or, when the search
        names one account and one of its roles, and nothing else as well, that role’s access keys), Escape to clear
        the search, and question mark in the results for every key. An account whose roles are still loading loads
        them when you open it.
      </p>
    </>
  );
}
