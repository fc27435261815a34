'use client';

import { History, WifiOff } from 'lucide-react';

import { clockTime, wholeSeconds } from '@/components/time-text';
import { Alert } from '@/components/ui/alert';
import { useNow } from '@/components/use-now';

import type { AccountEntry, ListingState } from './listing-state';
import { plural } from '@/lib/shared/words';

/**
 * Identity Center is not answering (not throttling): the listing waits and goes on by itself. Says
 * when it tries again, counting down, so nobody reloads or signs in again for nothing.
 */
export function UnreachableNotice({ retryAt }: { retryAt: string }) {
  const now = useNow(true, 1_000);
  const at = Date.parse(retryAt);
  const left = wholeSeconds(at - now);
  return (
    <Alert variant="warning" icon={WifiOff} className="mt-2">
      {/* Said once when it happens; the countdown below is not read out every second. */}
      <p role="status" className="font-medium">
        Identity Center is not answering.
      </p>
      <p className="mt-0.5">
        Gatehouse tries again at <time dateTime={retryAt}>{clockTime(at)}</time>
        {left > 0 ? ` (in ${left} s)` : ' (now)'} and goes on by itself; your session is not affected.
      </p>
    </Alert>
  );
}

/** The time of the last good roles kept on screen: the oldest, when several listings' roles are kept. */
function keptSince(entries: readonly AccountEntry[], fallback: string | null): string | null {
  const times = entries.map((entry) => entry.kept?.since).filter((since): since is string => typeof since === 'string');
  return times.sort()[0] ?? fallback;
}

/**
 * A refresh (or a listing) could not load some accounts' roles, and the last good ones stay on screen:
 * from when, for how many accounts, and what failed.
 */
export function KeptRolesNotice({ state }: { state: ListingState }) {
  const kept = [...state.entries.values()].filter((entry) => entry.kept !== null);
  if (kept.length === 0 || state.streaming) return null;
  const since = keptSince(kept, state.earlierListedAt);
  const message = kept[0]?.kept?.message ?? '';
  return (
    <Alert variant="warning" icon={History} role="status" className="mt-4">
      <p className="font-medium">
        Showing roles from {since ? <time dateTime={since}>{clockTime(Date.parse(since))}</time> : 'the earlier listing'} for{' '}
        {plural(kept.length, 'account')}; the refresh failed: {message}
      </p>
      <p className="mt-1">Refresh again to try once more.</p>
    </Alert>
  );
}
