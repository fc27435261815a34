import type { Metadata } from 'next';
import { notFound } from 'next/navigation';

import { AccountPage } from '@/components/accounts/account-page';
import { InstanceProvider } from '@/components/instance-context';
import { PageShell } from '@/components/page-shell';
import { accountForPage } from '@/lib/server/dal/accounts';
import { portalSettings } from '@/lib/server/dal/portal';
import { requireSession } from '@/lib/server/dal/session';
import { accountIdSchema } from '@/lib/shared/accounts';
import { withInstance } from '@/lib/shared/instances';

interface Params {
  accountId: string;
}

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  const accountId = accountIdSchema.safeParse((await params).accountId);
  return { title: accountId.success ? `Account ${accountId.data}` : 'Not found' };
}

/**
 * One account of the person (`/accounts/{accountId}`): its name and nickname, its id to copy, and
 * its roles, each leading to the role's page. An account the person does not have is a 404.
 */
export default async function AccountDetailsPage({
  params,
  searchParams,
}: {
  params: Promise<Params>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const parsed = accountIdSchema.safeParse((await params).accountId);
  if (!parsed.success) notFound();
  const accountId = parsed.data;
  const { instance: requested } = await searchParams;
  const here = `/accounts/${accountId}`;
  const session = await requireSession({ instance: requested, next: typeof requested === 'string' ? withInstance(here, requested) : here });
  const found = await accountForPage(requested, accountId);
  const portal = portalSettings();
  return (
    <PageShell chrome={portal.chrome} session={session} current="accounts">
      <InstanceProvider instanceKey={session.instanceKey} accountLabels={session.instance.accountLabels} defaultRegion={session.instance.consoleRegion}>
        <AccountPage accountId={accountId} account={found?.account ?? null} roles={found?.roles ?? null} />
      </InstanceProvider>
    </PageShell>
  );
}
