import { LoaderCircle, RotateCcw, TriangleAlert } from 'lucide-react';

import { focusRing } from '@/components/ui/button';

import type { AccountEntry } from './listing-state';

/** What a closed account whose roles have not arrived says, and the key that loads them at once. */
export const ROLES_STILL_LOADING = 'Roles still loading · Enter on the account loads them now';

/** An account's roles are on their way: being fetched now (an open account), or `waiting` for the listing. */
export function LoadingRoles({ id, indent, waiting = false }: { id?: string; indent: string; waiting?: boolean }) {
  return (
    <p id={id} className={`flex items-center gap-1.5 text-xs text-slate-600 dark:text-slate-400 ${indent}`}>
      <LoaderCircle aria-hidden="true" className="size-3.5 shrink-0 animate-spin motion-reduce:animate-none" />
      {waiting ? ROLES_STILL_LOADING : 'Loading roles…'}
    </p>
  );
}

/** An account's roles could not be loaded: why, and Retry (busy while it runs). */
export function RolesError({
  entry,
  fetching,
  tabIndex,
  onRetry,
}: {
  entry: AccountEntry;
  fetching: boolean;
  tabIndex: 0 | -1;
  onRetry: () => void;
}) {
  return (
    <div className="mt-2 flex flex-wrap items-center gap-x-3 gap-y-1 pl-6 text-sm text-red-800 dark:text-red-300">
      <p className="flex min-w-0 items-start gap-1.5">
        <TriangleAlert aria-hidden="true" className="mt-0.5 size-4 shrink-0" />
        <span>
          Roles could not be loaded. <span className="text-red-700/90 dark:text-red-300/90">{entry.rolesError}</span>
        </span>
      </p>
      <button
        type="button"
        tabIndex={tabIndex}
        disabled={fetching}
        onClick={onRetry}
        aria-label={`Retry loading the roles of ${entry.account.accountName}`}
        className={`inline-flex items-center gap-1.5 rounded-md border border-red-300 bg-white px-2.5 py-1 text-xs font-medium text-red-900 hover:bg-red-50 disabled:cursor-wait disabled:opacity-70 dark:border-red-800 dark:bg-slate-900 dark:text-red-200 dark:hover:bg-red-950 ${focusRing}`}
      >
        {fetching ? <LoaderCircle aria-hidden="true" className="size-3.5 animate-spin" /> : <RotateCcw aria-hidden="true" className="size-3.5" />}
        {fetching ? 'Retrying…' : 'Retry'}
      </button>
    </div>
  );
}
