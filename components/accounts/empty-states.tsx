import { SearchX } from 'lucide-react';

import { Button } from '@/components/ui/button';

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
