import { TriangleAlert, X } from 'lucide-react';

import { Alert } from '@/components/ui/alert';

/** A star that did not stick (the portal refused it): why, until dismissed. */
export function FavoriteNotice({ message, onDismiss }: { message: string; onDismiss: () => void }) {
  return (
    <Alert
      variant="error"
      icon={TriangleAlert}
      role="alert"
      className="mt-4"
      action={
        <button
          type="button"
          onClick={onDismiss}
          aria-label="Dismiss"
          className="rounded p-0.5 hover:bg-red-100 focus-visible:outline-2 focus-visible:outline-brand-600 dark:hover:bg-red-900"
        >
          <X aria-hidden="true" className="size-4" />
        </button>
      }
    >
      <p>{message}</p>
    </Alert>
  );
}

/** The favorites could not be read: the list works without them, and Try again reads them again. */
export function FavoritesUnavailable({ onRetry }: { onRetry: () => void }) {
  return (
    <p className="mt-4 flex flex-wrap items-center gap-2 text-sm text-slate-600 dark:text-slate-400">
      Your favorites could not be loaded.
      <button
        type="button"
        onClick={onRetry}
        className="rounded font-medium text-brand-700 hover:underline focus-visible:outline-2 focus-visible:outline-brand-600 dark:text-brand-100"
      >
        Try again
      </button>
    </p>
  );
}
