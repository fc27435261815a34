import { Inbox, SearchX } from 'lucide-react';

import { Button } from '@/components/ui/button';

/*
 * What the accounts page says when it has nothing to list. Fetched on demand (accounts-browser.tsx):
 * most visits never show either, and neither has anything below it that could move when it arrives.
 */

/** The person has no accounts at all: whom to ask, and what to do then. */
export function NoAccounts() {
  return (
    <div className="mt-8 rounded-xl border border-dashed border-slate-300 px-6 py-12 text-center dark:border-slate-700">
      <Inbox aria-hidden="true" className="mx-auto size-10 text-slate-400" />
      <p className="mt-4 text-lg font-medium">No AWS accounts are assigned to you yet.</p>
      <p className="mx-auto mt-2 max-w-md text-slate-600 dark:text-slate-400">
        Ask your administrator to assign you a permission set for an account in IAM Identity Center. Once they have,
        press Refresh.
      </p>
    </div>
  );
}

/** The search found nothing: what it looks at, and a way to clear it. */
export function NoMatches({ query, onClear }: { query: string; onClear: () => void }) {
  return (
    <div className="mt-8 rounded-xl border border-dashed border-slate-300 px-6 py-10 text-center dark:border-slate-700">
      <SearchX aria-hidden="true" className="mx-auto size-8 text-slate-400" />
      <p className="mt-3 font-medium">Nothing matches “{query.trim()}”.</p>
      <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">Search looks at account names, ids, emails and role names.</p>
      <Button variant="secondary" className="mt-4" onClick={onClear}>
        Clear the search
      </Button>
    </div>
  );
}
