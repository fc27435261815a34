import { Inbox, SearchX } from 'lucide-react';

import { Button } from '@/components/ui/button';

const emptyBox = 'mt-8 rounded-xl border border-dashed border-slate-300 px-6 text-center dark:border-slate-700';

/** The person has no accounts at all: whom to ask, and what to do then. */
export function NoAccounts() {
  return (
    <div className={`${emptyBox} py-12`}>
      <Inbox aria-hidden="true" className="mx-auto size-10 text-slate-400" />
      <p className="mt-4 text-lg font-medium">No AWS accounts are assigned to you yet.</p>
      <p className="mx-auto mt-2 max-w-md text-slate-600 dark:text-slate-400">
        Ask your administrator to assign you a permission set for an account in IAM Identity Center. Once they have,
        press Refresh.
      </p>
    </div>
  );
}

/** Placeholder rows until the first accounts arrive. */
export function LoadingRows() {
  return (
    <ul aria-hidden="true" className="mt-6 space-y-2">
      {[0, 1, 2, 3].map((index) => (
        <li key={index} className="h-[92px] animate-pulse rounded-lg border border-slate-200 bg-slate-50 dark:border-slate-800 dark:bg-slate-900" />
      ))}
    </ul>
  );
}

/** The search found nothing: what it looks at, and a way to clear it. */
export function NoMatches({ query, onClear }: { query: string; onClear: () => void }) {
  return (
    <div className={`${emptyBox} py-10`}>
      <SearchX aria-hidden="true" className="mx-auto size-8 text-slate-400" />
      <p className="mt-3 font-medium">Nothing matches “{query.trim()}”.</p>
      <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">Search looks at account names, ids, emails and role names.</p>
      <Button variant="secondary" className="mt-4" onClick={onClear}>
        Clear the search
      </Button>
    </div>
  );
}
