import { isLoading, type ListingState } from './listing-state';
import { formatCount, plural } from '@/lib/shared/words';

const track = 'h-1.5 overflow-hidden rounded-full bg-slate-200 dark:bg-slate-800';

/**
 * The listing's progress: an indefinite bar while the accounts arrive, then how many accounts'
 * roles have loaded (and how many could not be). Its room is kept while the page is open, so the
 * list does not jump up when the listing finishes.
 */
export function ListingProgress({ state, failedCount }: { state: ListingState; failedCount: number }) {
  return (
    <div data-slot="listing-progress" className="mt-1.5 h-[1.625rem] overflow-hidden">
      <ProgressBar state={state} failedCount={failedCount} />
    </div>
  );
}

function ProgressBar({ state, failedCount }: { state: ListingState; failedCount: number }) {
  if (!isLoading(state)) return null;
  const accountCount = state.entries.size;
  if (state.phase !== 'roles') {
    return (
      <div className="pt-1.5">
        <div
          role="progressbar"
          aria-label={state.checking ? 'Checking your accounts' : 'Loading accounts'}
          aria-valuetext={accountCount > 0 ? `${plural(accountCount, 'account')} so far` : 'Starting'}
          className={track}
        >
          <div className="h-full w-1/3 animate-pulse rounded-full bg-brand-600" />
        </div>
      </div>
    );
  }
  if (state.total === null || state.total <= 0) return null;
  const total = state.total;
  const settled = Math.min(state.settled.size, total);
  return (
    <div>
      <p id="roles-progress-label" className="truncate text-xs text-slate-600 dark:text-slate-400">
        <span>
          {state.checking ? 'Checking roles…' : 'Loading roles…'} {formatCount(settled)} of {plural(total, 'account')}
        </span>
        {failedCount > 0 ? <span className="text-red-700 dark:text-red-300"> · {formatCount(failedCount)} could not be loaded</span> : null}
      </p>
      <div
        role="progressbar"
        aria-labelledby="roles-progress-label"
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={settled}
        aria-valuetext={`${formatCount(settled)} of ${plural(total, 'account')}`}
        className={`mt-1 ${track}`}
      >
        <div
          className="h-full rounded-full bg-brand-600 transition-[width] duration-300 motion-reduce:transition-none"
          style={{ width: `${(settled / total) * 100}%` }}
        />
      </div>
    </div>
  );
}
