import Link from 'next/link';

import { SessionStatus } from '@/components/session/session-status';
import { SignOutButton } from '@/components/session/sign-out-button';

/** The portal's header: name, and for a signed-in person who they are, time left, and sign-out. */
export function SiteHeader({ session }: { session: { user?: string; expiresAt: number } | null }) {
  return (
    <header className="border-b border-slate-200 dark:border-slate-800">
      <div className="mx-auto flex max-w-5xl flex-wrap items-center justify-between gap-3 px-4 py-3">
        <Link href="/" className="text-lg font-semibold tracking-tight">
          Gatehouse
        </Link>
        {session ? (
          <div className="flex items-center gap-4 text-sm">
            <SessionStatus user={session.user} expiresAt={new Date(session.expiresAt).toISOString()} />
            <SignOutButton />
          </div>
        ) : null}
      </div>
    </header>
  );
}
