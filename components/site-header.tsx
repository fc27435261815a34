import Link from 'next/link';

import { SessionStatus } from '@/components/session/session-status';
import { SignOutButton } from '@/components/session/sign-out-button';
import type { PortalChrome } from '@/lib/shared/portal-chrome';

/** The portal's header: name, and for a signed-in person who they are, time left, and sign-out. */
const NAV = [
  { key: 'accounts', href: '/accounts', label: 'Accounts' },
  { key: 'activity', href: '/activity', label: 'Activity' },
  { key: 'terminal', href: '/terminal', label: 'Terminal' },
  // Only with several Identity Center instances: where to sign in to (or out of) each one.
  { key: 'instances', href: '/sign-in', label: 'Instances' },
] as const;

export function SiteHeader({
  session,
  current,
  chrome,
}: {
  session: { user?: string; expiresAt: number; instanceName?: string; instanceKey?: string } | null;
  current?: (typeof NAV)[number]['key'];
  chrome?: PortalChrome;
}) {
  return (
    <header className="border-b border-slate-200 dark:border-slate-800">
      <div className="mx-auto flex max-w-5xl flex-wrap items-center justify-between gap-3 px-4 py-3">
        <div className="flex items-center gap-6">
          <Link href="/" className="flex items-center gap-2 text-lg font-semibold tracking-tight">
            {/* The organisation's own logo, served by the portal; its name says the same in words. */}
            {/* eslint-disable-next-line @next/next/no-img-element */}
            {chrome?.logo ? <img src="/branding/logo" alt="" className="h-7 w-auto" /> : null}
            <span>
              Gatehouse
              {chrome?.organization ? <span className="font-normal text-slate-600 dark:text-slate-300"> · {chrome.organization}</span> : null}
            </span>
          </Link>
          {session ? (
            <nav aria-label="Main">
              <ul className="flex gap-4 text-sm">
                {NAV.filter((item) => item.key !== 'instances' || session.instanceName !== undefined).map((item) => (
                  <li key={item.key}>
                    <Link
                      href={item.href}
                      aria-current={current === item.key ? 'page' : undefined}
                      className="rounded px-1 py-0.5 text-slate-700 hover:text-slate-950 aria-[current=page]:font-semibold aria-[current=page]:text-slate-950 dark:text-slate-300 dark:hover:text-white dark:aria-[current=page]:text-white"
                    >
                      {item.label}
                    </Link>
                  </li>
                ))}
              </ul>
            </nav>
          ) : null}
          {chrome?.helpUrl ? (
            <a
              href={chrome.helpUrl}
              target="_blank"
              rel="noopener noreferrer"
              className="rounded px-1 py-0.5 text-sm text-slate-700 hover:text-slate-950 dark:text-slate-300 dark:hover:text-white"
            >
              Help
            </a>
          ) : null}
        </div>
        {session ? (
          <div className="flex items-center gap-4 text-sm">
            <SessionStatus
              key={session.instanceKey ?? ''}
              user={session.user}
              instanceName={session.instanceName}
              instanceKey={session.instanceKey}
              expiresAt={new Date(session.expiresAt).toISOString()}
            />
            <SignOutButton />
          </div>
        ) : null}
      </div>
    </header>
  );
}
