import type { Metadata } from 'next';

import { AccountsBrowser } from '@/components/accounts/accounts-browser';
import { PageShell } from '@/components/page-shell';
import { getConfig } from '@/lib/server/env';
import { requireSession } from '@/lib/server/session/current';

export const metadata: Metadata = { title: 'Accounts' };

export default async function AccountsPage() {
  const session = await requireSession();
  const config = getConfig();
  return (
    <PageShell emulatorUrl={config.emulator?.url} session={session} current="accounts">
        <AccountsBrowser instanceLabel={config.identityCenter.startUrl} />
    </PageShell>
  );
}
