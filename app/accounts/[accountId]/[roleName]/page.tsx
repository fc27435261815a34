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

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  const role = parse(await params);
  return { title: role ? `${role.roleName} in ${role.accountId}` : 'Not found' };
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
  // A role the person does not have (or no longer has) is the not-found page, before any button is pressed.
  const found = await accountForPage(requested, role.accountId, role.roleName);
  if (found?.roles && !found.roles.includes(role.roleName)) notFound();
  const portal = portalSettings();
  const { instance } = session;
  // The person's console session length follows them across browsers; the console works without it.
  const sessionHours = await rememberedConsoleHours(session).catch(() => undefined);
  return (
    <PageShell emulatorUrl={portal.emulatorUrl} session={session} current="accounts">
      <InstanceProvider instanceKey={session.instanceKey}>
        <RolePage
          key={instance.key}
          accountId={role.accountId}
          roleName={role.roleName}
          defaultRegion={instance.consoleRegion}
          nickname={instance.nicknames[role.accountId]}
          consoleSessionHours={sessionHours}
        />
      </InstanceProvider>
    </PageShell>
  );
}
