import { KeyRound, X } from 'lucide-react';

import { focusRing } from '@/components/ui/button';

import type { AccountEntry } from './listing-state';
import { navKey, navOwnerAttributes } from './nav';
import type { RowActions } from './row-view';

/**
 * A starred role Identity Center no longer assigns to the person: it stays in Favorites, greyed and
 * marked, so it does not vanish without a word, with Remove to take it out of the favorites.
 */
export function LostFavorite({
  entry,
  roleName,
  isTabStop,
  actions,
}: {
  entry: AccountEntry;
  roleName: string;
  isTabStop: boolean;
  actions: RowActions;
}) {
  const { accountId, accountName } = entry.account;
  const target = { section: 'favrole', accountId, roleName } as const;
  const tabIndex = isTabStop ? 0 : -1;
  return (
    <li
      id={navKey(target)}
      {...navOwnerAttributes(target)}
      tabIndex={tabIndex}
      aria-label={`${roleName} in ${accountName}, no longer assigned`}
      className="flex items-center gap-3 rounded-lg border border-dashed border-slate-300 bg-slate-50 py-2 pl-3 pr-1.5 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600 sm:pl-4 sm:pr-2 dark:border-slate-700 dark:bg-slate-900/50"
    >
      <KeyRound aria-hidden="true" className="size-4 shrink-0 text-slate-400 dark:text-slate-500" />
      <div className="min-w-0 flex-1 text-slate-600 dark:text-slate-400">
        <p className="truncate font-medium line-through decoration-slate-400">{roleName}</p>
        <p className="truncate text-sm">
          in {accountName} <span className="font-mono tabular-nums">{accountId}</span>
          <span className="ml-2 rounded-full bg-slate-200 px-2 py-0.5 text-xs font-medium text-slate-800 dark:bg-slate-800 dark:text-slate-200">
            No longer assigned
          </span>
        </p>
      </div>
      <button
        type="button"
        tabIndex={tabIndex}
        aria-label={`Remove ${roleName} in ${accountName} from favorites`}
        onClick={() => actions.star({ kind: 'role', accountId, roleName, starred: false }, `${roleName} in ${accountName}`)}
        className={`inline-flex shrink-0 items-center gap-1 rounded-md px-2 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-200 dark:text-slate-300 dark:hover:bg-slate-800 ${focusRing}`}
      >
        <X aria-hidden="true" className="size-4" />
        Remove
      </button>
    </li>
  );
}
