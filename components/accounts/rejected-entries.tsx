import { ShieldAlert } from 'lucide-react';

import { Alert } from '@/components/ui/alert';
import type { RejectedEntry } from '@/lib/shared/accounts';

import { plural } from '@/lib/shared/words';

/**
 * Accounts and roles Identity Center listed in a shape AWS does not document. Each is shown here
 * as invalid, with the offending value made visible, and used nowhere else: no row, no keys, no
 * profile in an exported config.
 */
export function RejectedEntries({ entries }: { entries: readonly RejectedEntry[] }) {
  if (entries.length === 0) return null;
  return (
    // The icon goes with the first line only: the list of entries below uses the box's full width.
    <Alert variant="warning" className="mt-4">
      <p className="flex items-start gap-2 font-medium">
        <ShieldAlert aria-hidden="true" className="mt-0.5 size-4 shrink-0" />
        Identity Center listed {plural(entries.length, 'entry', 'entries')} that Gatehouse will not use: not in the form AWS
        documents. Ask your administrator to check them.
      </p>
      <details className="mt-2">
        <summary className="cursor-pointer rounded font-medium focus-visible:outline-2 focus-visible:outline-brand-600">Show them</summary>
        <ul aria-label="Entries Gatehouse will not use" className="mt-2 space-y-1">
          {entries.map((entry, index) => (
            <li key={`${entry.kind}-${entry.accountId ?? ''}-${index}`}>
              {entry.kind === 'account' ? 'Account' : 'Role'}
              {entry.kind === 'role' && entry.accountId ? ` in account ${entry.accountId}` : entry.accountId ? ` ${entry.accountId}` : ''}:{' '}
              <code className="break-all rounded bg-amber-100 px-1 font-mono text-xs dark:bg-amber-900/60">{entry.shown}</code>{' '}
              {entry.reason}
            </li>
          ))}
        </ul>
      </details>
    </Alert>
  );
}
