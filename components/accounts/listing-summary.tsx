'use client';

import { localDateTime, timeAgo } from '@/components/time-text';
import { useNow } from '@/components/use-now';

import type { ListingState } from './listing-state';
import { formatCount, plural } from '@/lib/shared/words';

/** "Loading your accounts…", "40 accounts so far…", "3 of 120 accounts", "120 accounts". */
function countText(state: ListingState, filtering: boolean, matchedCount: number): string {
  const accountCount = state.entries.size;
  if (accountCount === 0 && state.phase !== 'done') return state.error ? 'No accounts listed.' : 'Loading your accounts…';
  // A kept listing being checked is complete as shown; only a first listing is still growing.
  if (state.total === null && state.phase !== 'done' && !state.checking) return `${plural(accountCount, 'account')} so far…`;
  if (filtering) return `${formatCount(matchedCount)} of ${plural(accountCount, 'account')}`;
  return plural(accountCount, 'account');
}

/** "5 minutes ago", kept current on its own so the list does not re-render with the clock. */
function ListedAge({ listedAt }: { listedAt: string }) {
  const now = useNow(true, 30_000);
  return <time dateTime={listedAt}>{timeAgo(listedAt, now)}</time>;
}

/** Accounts whose roles have not arrived yet (nor failed): a search by role may still find more. */
function rolesPending(state: ListingState): number {
  if (state.phase === 'done' || state.error) return 0;
  let pending = 0;
  for (const entry of state.entries.values()) if (entry.roles === null && entry.rolesError === null) pending += 1;
  return pending;
}

/** Under the search box: how many accounts there are (or match), and when they were listed. */
export function ListingSummary({ state, filtering, matchedCount }: { state: ListingState; filtering: boolean; matchedCount: number }) {
  const pending = filtering ? rolesPending(state) : 0;
  return (
    <div className="mt-2 flex flex-wrap items-center justify-between gap-x-4 gap-y-1 text-sm text-slate-600 dark:text-slate-400">
      <p id="account-count" className="font-medium text-slate-700 dark:text-slate-300">
        {countText(state, filtering, matchedCount)}
        {pending > 0 ? (
          <span className="font-normal text-amber-800 dark:text-amber-200">
            {' '}
            · may grow: roles still loading for {plural(pending, 'account')}
          </span>
        ) : null}
      </p>
      {state.checking && state.phase !== 'done' && !state.error ? (
        <p>
          As of <time dateTime={state.checking}>{localDateTime(Date.parse(state.checking))}</time> (saved listing)
        </p>
      ) : state.listedAt && state.phase === 'done' ? (
        <p>
          Listed <ListedAge listedAt={state.listedAt} />
          {state.cached ? ' (saved listing)' : ''}
        </p>
      ) : null}
    </div>
  );
}
