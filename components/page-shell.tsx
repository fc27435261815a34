import type { ReactNode } from 'react';

import { DemoBanner } from '@/components/demo-banner';
import { NewTerminalNotices } from '@/components/session/new-terminal-notices';
import { LearnedUserNameProvider } from '@/components/session/user-name-context';
import type { NewTerminalNotice } from '@/lib/shared/terminal-sessions';
import { SiteHeader } from '@/components/site-header';

/**
 * Every page's frame: the demo banner (in demo mode), the header, and the main column. The header
 * and the page share what the page learns of the person (their user name) through context.
 */
export function PageShell({
  emulatorUrl,
  session,
  current,
  mainClassName = 'mx-auto max-w-5xl px-4 pb-16 pt-8',
  children,
}: {
  emulatorUrl?: string;
  session: { user?: string; expiresAt: number; instanceName?: string; instanceKey?: string; newTerminals?: NewTerminalNotice[] } | null;
  current?: 'accounts' | 'activity' | 'instances' | 'terminal';
  mainClassName?: string;
  children: ReactNode;
}) {
  return (
    <>
      {emulatorUrl ? <DemoBanner emulatorUrl={emulatorUrl} /> : null}
      <LearnedUserNameProvider>
        <SiteHeader session={session} current={current} />
        {session?.newTerminals?.length ? <NewTerminalNotices notices={session.newTerminals} /> : null}
        <main className={mainClassName}>{children}</main>
      </LearnedUserNameProvider>
    </>
  );
}
