'use client';

import { useEffect, useState } from 'react';

import { useNow } from '@/components/use-now';

/** Fired by the accounts page when the listing learns the person's Identity Center user name. */
export const IDENTITY_EVENT = 'gatehouse:identity';

function remaining(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  if (minutes >= 60) return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
  return `${minutes} min`;
}

/** "Signed in as …", with the time left in the session, kept current. */
export function SessionStatus({ user, instanceName, expiresAt }: { user?: string; instanceName?: string; expiresAt: string }) {
  const now = useNow(true, 30_000);
  const [learnedUser, setLearnedUser] = useState<string | undefined>(undefined);
  useEffect(() => {
    const onIdentity = (event: Event) => {
      if (event instanceof CustomEvent && typeof event.detail === 'string') setLearnedUser(event.detail);
    };
    window.addEventListener(IDENTITY_EVENT, onIdentity);
    return () => window.removeEventListener(IDENTITY_EVENT, onIdentity);
  }, []);
  const shownUser = user ?? learnedUser;
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
      <span>
        session ends in <time dateTime={expiresAt}>{remaining(new Date(expiresAt).getTime() - now)}</time>
      </span>
    </p>
  );
}
