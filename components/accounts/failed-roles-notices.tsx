import { TriangleAlert, X } from 'lucide-react';

import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';

import { plural } from '@/lib/shared/words';

/** Once the listing is done: how many accounts' roles could not be loaded, with a way to list just those. */
export function FailedRolesAlert({ count, onShow }: { count: number; onShow: () => void }) {
  return (
    <Alert
      variant="warning"
      icon={TriangleAlert}
      align="center"
      className="mt-4"
      action={
        <Button variant="secondary" onClick={onShow} className="px-3 py-1.5">
          Show these accounts
        </Button>
      }
    >
      <p>The roles of {plural(count, 'account')} could not be loaded. The other accounts are complete.</p>
    </Alert>
  );
}

/** While only those accounts are listed: says so, with the way back to all of them. */
export function FailedFilterNote({ onShowAll }: { onShowAll: () => void }) {
  return (
    <p className="mt-2 flex flex-wrap items-center gap-2 text-sm">
      <span>Showing the accounts whose roles could not be loaded.</span>
      <button
        type="button"
        onClick={onShowAll}
        className="inline-flex items-center gap-1 rounded-md px-1.5 py-0.5 font-medium text-brand-700 hover:bg-brand-50 focus-visible:outline-2 focus-visible:outline-brand-600 dark:text-brand-100 dark:hover:bg-slate-800"
      >
        <X aria-hidden="true" className="size-3.5" />
        Show all accounts
      </button>
    </p>
  );
}
