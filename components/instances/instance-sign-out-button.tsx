'use client';

import { LogOut } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { useState } from 'react';

import { ApiRequestError, apiRequest } from '@/components/api-client';
import { Button } from '@/components/ui/button';
import { withInstance } from '@/lib/shared/instances';

/** Signs out of one Identity Center instance only; the others stay signed in. */
export function InstanceSignOutButton({ instanceKey, instanceName }: { instanceKey: string; instanceName: string }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);
  // Never rejects: a failure is caught and said below the button.
  const signOut = async () => {
    setBusy(true);
    setFailed(false);
    try {
      await apiRequest(withInstance('/api/auth/logout', instanceKey));
    } catch (error) {
      // 401: that session had already ended, which is what was asked for.
      if (!(error instanceof ApiRequestError && error.status === 401)) setFailed(true);
    }
    setBusy(false);
    router.refresh();
  };
  return (
    <>
      <Button variant="secondary" disabled={busy} aria-label={`Sign out of ${instanceName}`} onClick={() => void signOut()}>
        <LogOut aria-hidden="true" className="size-4" />
        Sign out
      </Button>
      {failed ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-300">
          The portal could not be reached. Try again.
        </p>
      ) : null}
    </>
  );
}
