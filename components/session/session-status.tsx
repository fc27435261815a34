'use client';

import { useEffect, useState } from 'react';

function remaining(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  if (minutes >= 60) return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
  return `${minutes} min`;
}

/** "Signed in as …", with the time left in the session, kept current. */
export function SessionStatus({ user, expiresAt }: { user?: string; expiresAt: string }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  return (
    <p className="text-slate-600 dark:text-slate-300">
      {user ? (
        <>
          Signed in as <strong className="text-slate-900 dark:text-white">{user}</strong>
        </>
      ) : (
        'Signed in'
      )}
      <span aria-hidden="true"> · </span>
      <span>
        session ends in <time dateTime={expiresAt}>{remaining(new Date(expiresAt).getTime() - now)}</time>
      </span>
    </p>
  );
}
