import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { z } from 'zod';

import { DemoBanner } from '@/components/demo-banner';
import { SignInPanel } from '@/components/sign-in/sign-in-panel';
import { SiteHeader } from '@/components/site-header';
import { getConfig } from '@/lib/server/env';
import { currentSession } from '@/lib/server/session/current';

export const metadata: Metadata = { title: 'Sign in' };

const NOTICES = {
  'session-ended': 'Your session has ended. Sign in again to continue.',
  'signed-out': 'You are signed out. Credentials you already took stay valid until they expire.',
} as const;

const searchSchema = z.object({ reason: z.enum(['session-ended', 'signed-out']).optional().catch(undefined) });

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const session = await currentSession();
  if (session) redirect('/accounts');
  const { reason } = searchSchema.parse(await searchParams);
  const config = getConfig();
  return (
    <>
      {config.emulator ? <DemoBanner emulatorUrl={config.emulator.url} /> : null}
      <SiteHeader session={null} />
      <main className="mx-auto max-w-xl px-4 py-12">
        <SignInPanel notice={reason ? NOTICES[reason] : undefined} />
        <p className="mt-6 text-sm text-slate-600 dark:text-slate-300">
          Identity Center: <span className="font-mono">{config.identityCenter.startUrl}</span>
        </p>
      </main>
    </>
  );
}
