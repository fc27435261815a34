import type { Metadata } from 'next';

import { DemoBanner } from '@/components/demo-banner';
import { SiteHeader } from '@/components/site-header';
import { getConfig } from '@/lib/server/env';
import { requireSession } from '@/lib/server/session/current';

export const metadata: Metadata = { title: 'Accounts' };

export default async function AccountsPage() {
  const session = await requireSession();
  const config = getConfig();
  return (
    <>
      {config.emulator ? <DemoBanner emulatorUrl={config.emulator.url} /> : null}
      <SiteHeader session={session} />
      <main className="mx-auto max-w-5xl px-4 py-10">
        <h1 className="text-2xl font-semibold tracking-tight">Accounts</h1>
        <p className="mt-3 text-slate-600 dark:text-slate-300">
          You are signed in to <span className="font-mono">{config.identityCenter.startUrl}</span>.
        </p>
      </main>
    </>
  );
}
