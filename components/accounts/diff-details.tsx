import type { ListingDiff } from '@/lib/shared/accounts';

import type { AccountEntry } from './listing-state';

/**
 * Each change a refresh found, on its own line, behind "Show what changed". Fetched on demand
 * (refresh-status.tsx): only a refresh that changed something shows it.
 */
export function DiffDetails({ diff, entries }: { diff: ListingDiff; entries: ReadonlyMap<string, AccountEntry> }) {
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
