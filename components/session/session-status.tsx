'use client';

import { AlertTriangle } from 'lucide-react';
import Link from 'next/link';
import { useEffect, useState } from 'react';

import { timeLeftInMinutes } from '@/components/time-text';
import { useNow } from '@/components/use-now';
import type { SessionEnding, SessionResponse } from '@/lib/shared/api';
import { withInstance } from '@/lib/shared/instances';

import { useLearnedUserName } from './user-name-context';

/** How often the header asks the server when the session ends (use slides it; refresh can shorten it). */
const CHECK_INTERVAL_MS = 15_000;
/** From this close to the end the header warns. */
const WARN_BEFORE_MS = 5 * 60_000;

const WHY: Record<SessionEnding, string> = {
  idle: 'unless you keep using the portal',
  absolute: 'its maximum length; sign in again then',
  identity_center: 'your Identity Center sign-in ends then; sign in again then',
};

interface Standing {
  user?: string;
  expiresAt: number;
  endsBecause?: SessionEnding;
  ended: boolean;
}

/**
 * "Signed in as …", with the time left in the session. The end is asked of the server now and then,
 * because it moves: every request slides the idle end, and a refresh may reveal that Identity
 * Center's own session ends sooner than the portal's. A few minutes before the end it warns.
 */
export function SessionStatus({
  user,
  instanceName,
  instanceKey,
  expiresAt,
}: {
  user?: string;
  instanceName?: string;
  instanceKey?: string;
  expiresAt: string;
}) {
  const now = useNow(true, 15_000);
  const [standing, setStanding] = useState<Standing>({ user, expiresAt: new Date(expiresAt).getTime(), ended: false });
  const learnedUser = useLearnedUserName(instanceKey);

  useEffect(() => {
    let stopped = false;
    // Never rejects: any failure leaves the last known end standing.
    const check = async () => {
      try {
        const response = await fetch(withInstance('/api/session', instanceKey), { credentials: 'same-origin', cache: 'no-store' });
        if (stopped) return;
        if (response.status === 401) {
          setStanding((previous) => ({ ...previous, ended: true }));
          return;
        }
        if (!response.ok) return;
        const answer = (await response.json()) as SessionResponse;
        if (stopped) return;
        if (!answer.signedIn || !answer.expiresAt) {
          setStanding((previous) => ({ ...previous, ended: true }));
          return;
        }
        const end = new Date(answer.expiresAt).getTime();
        setStanding((previous) => ({ user: answer.user ?? previous.user, expiresAt: end, endsBecause: answer.endsBecause, ended: false }));
      } catch {
        // Offline for a moment: the last known end stands.
      }
    };
    const timer = setInterval(() => void check(), CHECK_INTERVAL_MS);
    const onVisible = () => {
      if (document.visibilityState === 'visible') void check();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      stopped = true;
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [instanceKey]);

  const shownUser = standing.user ?? user ?? learnedUser;
  const left = standing.expiresAt - now;
  const ended = standing.ended || left <= 0;
  const warn = !ended && left <= WARN_BEFORE_MS;
  return (
    <p className="text-slate-600 dark:text-slate-300">
      {instanceName ? (
        <>
          Signed in to <strong className="text-slate-900 dark:text-white">{instanceName}</strong>
          {shownUser ? ' as ' : null}
        </>
      ) : (
        <>Signed in{shownUser ? ' as ' : null}</>
      )}
      {shownUser ? <strong className="text-slate-900 dark:text-white">{shownUser}</strong> : null}
      <span aria-hidden="true"> · </span>
      {ended ? (
        <span role="status" className="font-medium text-amber-800 dark:text-amber-300">
          your session has ended.{' '}
          <Link href={withInstance('/sign-in', instanceKey)} className="underline">
            Sign in again
          </Link>
        </span>
      ) : warn ? (
        <span role="status" className="inline-flex items-center gap-1 font-medium text-amber-800 dark:text-amber-300">
          <AlertTriangle aria-hidden="true" className="size-4 shrink-0" />
          <span>
            session ends in <time dateTime={new Date(standing.expiresAt).toISOString()}>{timeLeftInMinutes(left)}</time>
            {standing.endsBecause ? ` (${WHY[standing.endsBecause]})` : null}
          </span>
        </span>
      ) : (
        <span>
          session ends in <time dateTime={new Date(standing.expiresAt).toISOString()}>{timeLeftInMinutes(left)}</time>
        </span>
      )}
    </p>
  );
}
