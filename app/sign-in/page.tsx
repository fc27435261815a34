import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { z } from 'zod';

import { PageShell } from '@/components/page-shell';
import { SignInPanel } from '@/components/sign-in/sign-in-panel';
import { getConfig } from '@/lib/server/env';
import { currentSession } from '@/lib/server/session/current';

export const metadata: Metadata = { title: 'Sign in' };

const NOTICES = {
  'session-ended': 'Your session has ended. Sign in again to continue.',
  'signed-out': 'You are signed out. Credentials you already took stay valid until they expire.',
} as const;

// Where to go after signing in: only a path on this portal (never another site).
const nextPathSchema = z
  .string()
  .max(2048)
  .regex(/^\/(?![\/\\])[A-Za-z0-9\-._~!$&'()*+,;=:@%/?]*$/);

const searchSchema = z.object({
  reason: z.enum(['session-ended', 'signed-out']).optional().catch(undefined),
  next: nextPathSchema.optional().catch(undefined),
});

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { reason, next } = searchSchema.parse(await searchParams);
  const session = await currentSession();
  if (session) redirect(next ?? '/accounts');
  const config = getConfig();
  return (
    <PageShell emulatorUrl={config.emulator?.url} session={null} mainClassName="mx-auto max-w-xl px-4 py-12">
        <SignInPanel notice={reason ? NOTICES[reason] : undefined} next={next} />
        <p className="mt-6 text-sm text-slate-600 dark:text-slate-300">
          Identity Center: <span className="font-mono">{config.identityCenter.startUrl}</span>
        </p>
    </PageShell>
  );
}
