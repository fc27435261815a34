import { RefreshCw, TriangleAlert } from 'lucide-react';

import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';

/** The listing failed or stopped early: why, whether what arrived is shown, and Try again. */
export function ListingError({
  message,
  accountCount,
  busy,
  onRetry,
}: {
  message: string;
  /** Accounts that arrived before it failed (they stay listed). */
  accountCount: number;
  /** A listing is streaming: Try again waits for it. */
  busy: boolean;
  onRetry: () => void;
}) {
  return (
    <Alert
      variant="error"
      size="md"
      icon={TriangleAlert}
      role="alert"
      className="mt-4"
      action={
        <Button variant="secondary" onClick={onRetry} disabled={busy}>
          <RefreshCw aria-hidden="true" className="size-4" />
          Try again
        </Button>
      }
    >
      <p className="text-base font-medium">{accountCount > 0 ? 'The listing did not finish.' : 'Your accounts could not be listed.'}</p>
      <p className="mt-1">{message}</p>
      {accountCount > 0 ? <p className="mt-1">The accounts that arrived are shown below.</p> : null}
    </Alert>
  );
}
