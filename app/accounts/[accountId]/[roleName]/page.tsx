import type { Metadata } from 'next';
import { notFound } from 'next/navigation';

import { RolePage } from '@/components/credentials/role-page';
import { InstanceProvider } from '@/components/instance-context';
import { PageShell } from '@/components/page-shell';
import { accountForPage } from '@/lib/server/dal/accounts';
import { rememberedConsoleHours } from '@/lib/server/dal/console';
import { portalSettings } from '@/lib/server/dal/portal';
import { requireSession } from '@/lib/server/dal/session';
import { accountIdSchema, roleNameSchema } from '@/lib/shared/accounts';
import { withInstance } from '@/lib/shared/instances';

interface Params {
  accountId: string;
  roleName: string;
}

/** Dynamic segments arrive percent-encoded (`a%40b`); role names may hold + = , @ (undefined: not decodable). */
function decoded(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

function parse(params: Params): { accountId: string; roleName: string } | null {
  const accountId = accountIdSchema.safeParse(decoded(params.accountId));
  const roleName = roleNameSchema.safeParse(decoded(params.roleName));
  return accountId.success && roleName.success ? { accountId: accountId.data, roleName: roleName.data } : null;
}

/** The tab names the role and the account by name (its nickname first), so a tab of production keys is told apart. */
export async function generateMetadata({
  params,
  searchParams,
}: {
  params: Promise<Params>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}): Promise<Metadata> {
  const role = parse(await params);
  if (!role) return { title: 'Not found' };
  const found = await accountForPage((await searchParams).instance, role.accountId).catch(() => null);
  const account = found ? (found.account.nickname ?? found.account.accountName) : role.accountId;
  return { title: `${role.roleName} in ${account}` };
}

/**
 * One role's page, and the deep link to it: its access keys (fetched only when asked for) and the
 * console. A malformed account id or role name, or a role the person does not have, is a 404;
 * someone signed out is sent to sign in and brought back here.
 */
export default async function RoleAccessPage({
  params,
  searchParams,
}: {
  params: Promise<Params>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const role = parse(await params);
  if (!role) notFound();
  const { instance: requested } = await searchParams;
  const here = `/accounts/${role.accountId}/${encodeURIComponent(role.roleName)}`;
  const session = await requireSession({ instance: requested, next: typeof requested === 'string' ? withInstance(here, requested) : here });
  const found = await accountForPage(requested, role.accountId, role.roleName);
  const portal = portalSettings();
  const { instance } = session;
  // A role the person does not have (or no longer has): the not-found page, which lists the roles they do have there.
  if (found?.roles && !found.roles.includes(role.roleName)) notFound();
  // The person's console session length follows them across browsers; the console works without it.
  const sessionHours = await rememberedConsoleHours(session).catch(() => undefined);
  return (
    <PageShell chrome={portal.chrome} session={session} current="accounts">
      <InstanceProvider instanceKey={session.instanceKey} accountLabels={instance.accountLabels} defaultRegion={instance.consoleRegion}>
        <RolePage
          key={instance.key}
          accountId={role.accountId}
          roleName={role.roleName}
          defaultRegion={found?.defaultRegion ?? instance.consoleRegion}
          labels={found?.labels ?? []}
          nickname={instance.nicknames[role.accountId]}
          consoleSessionHours={sessionHours}
        />
      </InstanceProvider>
    </PageShell>
  );
}
