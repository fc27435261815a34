import type { Metadata } from 'next';

import { AccountsBrowser } from '@/components/accounts/accounts-browser';
import { InstanceProvider } from '@/components/instance-context';
import { InstanceTabs } from '@/components/instances/instance-tabs';
import { PageShell } from '@/components/page-shell';
import { rememberedDensity } from '@/lib/server/dal/list-preferences';
import { portalSettings } from '@/lib/server/dal/portal';
import { requireSession, sessionsByInstance } from '@/lib/server/dal/session';
import { withInstance } from '@/lib/shared/instances';

export const metadata: Metadata = { title: 'Accounts' };

/**
 * Every account and role of the person. With several Identity Center instances, one instance at a
 * time (`?instance=`), with a tab for each: the organisations' accounts never mix, and each keeps
 * its own favorites, search and export.
 */
export default async function AccountsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { instance: requested } = await searchParams;
  const session = await requireSession({ instance: requested, next: typeof requested === 'string' ? withInstance('/accounts', requested) : undefined });
  const portal = portalSettings();
  // The list as the person last chose it; the page works without it.
  const density = await rememberedDensity(session).catch(() => 'comfortable' as const);
  const tabs =
    portal.several
      ? (await sessionsByInstance()).map(({ instance, session: at }) => ({
          key: instance.key,
          name: instance.name,
          signedIn: at !== null,
          user: at?.user ?? null,
        }))
      : null;
  return (
    <PageShell chrome={portal.chrome} session={session} current="accounts">
      {tabs ? <InstanceTabs tabs={tabs} current={session.instance.key} path="/accounts" /> : null}
      <InstanceProvider instanceKey={session.instanceKey} accountLabels={session.instance.accountLabels} defaultRegion={session.instance.consoleRegion}>
        <AccountsBrowser key={session.instance.key} instanceLabel={session.instance.startUrl} defaultRegion={session.instance.consoleRegion} initialDensity={density} knownPerson={session.user !== undefined} />
      </InstanceProvider>
    </PageShell>
  );
}
