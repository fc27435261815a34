import type { Metadata } from 'next';

import { AccountsBrowser } from '@/components/accounts/accounts-browser';
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
      <SiteHeader session={session} current="accounts" />
      <main className="mx-auto max-w-5xl px-4 pb-16 pt-8">
        <AccountsBrowser instanceLabel={config.identityCenter.startUrl} />
      </main>
    </>
  );
}
