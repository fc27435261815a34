import { RefreshCw, TriangleAlert } from 'lucide-react';

import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';

/** The listing failed or stopped early: why, whether what arrived is shown, and Try again. */
export function ListingError({
  message,
  accountCount,
  busy,
  refreshing,
  onRetry,
}: {
  message: string;
  /** Accounts that arrived before it failed (they stay listed). */
  accountCount: number;
  /** A listing is streaming: Try again waits for it. */
  busy: boolean;
  /** The failed listing was a Refresh: what was on screen before stays, as the last good data. */
  refreshing: boolean;
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
      <p className="text-base font-medium">
        {accountCount === 0 ? 'Your accounts could not be listed.' : refreshing ? 'The refresh failed.' : 'The listing did not finish.'}
      </p>
      <p className="mt-1">{message}</p>
      {accountCount > 0 ? (
        <p className="mt-1">{refreshing ? 'The accounts and roles listed before are shown below.' : 'The accounts that arrived are shown below.'}</p>
      ) : null}
    </Alert>
  );
}
