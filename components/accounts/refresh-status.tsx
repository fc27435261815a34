import { LoaderCircle } from 'lucide-react';

import type { ListingDiff } from '@/lib/shared/accounts';

import type { AccountEntry, ListingState } from './listing-state';
import { describeDiff, isEmptyDiff } from './words';

/** "Refreshing your accounts…", "Refreshed. 1 role added, 1 role removed.", or "" when no refresh was asked for. */
function refreshText(state: ListingState): string {
  if (!state.refreshing) return '';
  if (state.streaming) return 'Refreshing your accounts…';
  if (state.phase !== 'done' || state.error) return '';
  return state.diff ? `Refreshed. ${describeDiff(state.diff)}.` : 'Refreshed.';
}

/** Each change a refresh found, on its own line, behind "Show what changed". */
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

/**
 * What an explicit Refresh says while it runs and once it is done, in a live region, and what it
 * changed. The region is always in the page (a live region must exist before its text changes).
 */
export function RefreshStatus({ state }: { state: ListingState }) {
  const text = refreshText(state);
  const changes = state.refreshing && !state.streaming && state.diff && !isEmptyDiff(state.diff) ? state.diff : null;
  return (
    <>
      <div role="status" className="text-sm">
        {text ? (
          <p className="mt-3 flex items-center gap-2 font-medium text-slate-800 dark:text-slate-200">
            {state.streaming ? <LoaderCircle aria-hidden="true" className="size-4 animate-spin" /> : null}
            {text}
          </p>
        ) : null}
      </div>
      {changes ? <DiffDetails diff={changes} entries={state.entries} /> : null}
    </>
  );
}
