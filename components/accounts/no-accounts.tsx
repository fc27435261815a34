import { Inbox } from 'lucide-react';

/** The person has no accounts at all: whom to ask, and what to do then. Fetched on demand (few see it). */
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
