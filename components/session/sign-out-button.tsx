'use client';

import { LogOut } from 'lucide-react';
import { useState } from 'react';

import { apiRequest } from '@/components/api-client';
import { Button } from '@/components/ui/button';

/** Sign-out is a POST; whatever Identity Center answers, the person lands on the sign-in page. */
export function SignOutButton() {
  const [busy, setBusy] = useState(false);
  // Never rejects: whatever the portal answers, the sign-in page follows.
  const signOut = async () => {
    setBusy(true);
    try {
      await apiRequest('/api/auth/logout');
    } catch {
      // Already signed out (401) or the portal is unreachable: the sign-in page says where things stand.
    }
    // A full load on purpose: nothing of the session stays in the page's memory.
    // eslint-disable-next-line @next/next/no-location-assign-relative-destination
    window.location.assign('/sign-in?reason=signed-out');
  };
  return (
    <Button variant="secondary" disabled={busy} onClick={() => void signOut()}>
      <LogOut aria-hidden="true" className="size-4" />
      Sign out
    </Button>
  );
}
