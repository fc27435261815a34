import { LoaderCircle } from 'lucide-react';
import { lazy } from 'react';

import { OnDemand } from '@/components/on-demand';
import { localDateTime } from '@/components/time-text';

import type { ListingState } from './listing-state';
import { describeDiff, isEmptyDiff } from '@/lib/shared/words';

const DiffDetails = lazy(() => import('./diff-details').then((module) => ({ default: module.DiffDetails })));

/** "Refreshing your accounts…", "Refreshed. 1 role added, 1 role removed.", or "" when no refresh was asked for. */
function refreshText(state: ListingState): string {
  // A refresh that failed says so on its own (never beside a spinner).
  if (!state.refreshing || state.error) return '';
  if (state.streaming && state.phase !== 'done') {
    return state.checking
      ? `Showing your accounts and roles as of ${localDateTime(Date.parse(state.checking))}; checking Identity Center for changes…`
      : 'Refreshing your accounts…';
  }
  if (state.phase !== 'done' || state.error) return '';
  // Some roles could not be refreshed: the notice of the roles kept says so, not "Refreshed".
  for (const entry of state.entries.values()) if (entry.kept) return '';
  // A check nobody asked for speaks only when something changed.
  if (state.checking) {
    return state.diff && !isEmptyDiff(state.diff)
      ? `Changed since your saved listing of ${localDateTime(Date.parse(state.checking))}: ${describeDiff(state.diff)}.`
      : '';
  }
  return state.diff ? `Refreshed. ${describeDiff(state.diff)}.` : 'Refreshed.';
}

/**
 * What an explicit Refresh says while it runs and once it is done, in a live region, and what it
 * changed. The region is always in the page (a live region must exist before its text changes).
 * The list of changes is fetched on demand; should that fail, the counts above still say it.
 */
export function RefreshStatus({ state }: { state: ListingState }) {
  const text = refreshText(state);
  const changes = state.refreshing && !state.streaming && state.diff && !isEmptyDiff(state.diff) ? state.diff : null;
  return (
    <>
      <div role="status" className="text-sm">
        {text ? (
          <p className="mt-3 flex items-center gap-2 font-medium text-slate-800 dark:text-slate-200">
            {state.streaming && state.phase !== 'done' ? <LoaderCircle aria-hidden="true" className="size-4 animate-spin" /> : null}
            {text}
          </p>
        ) : null}
      </div>
      {changes ? (
        <OnDemand>
          <DiffDetails diff={changes} entries={state.entries} />
        </OnDemand>
      ) : null}
    </>
  );
}
