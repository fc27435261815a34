import 'server-only';

import { services } from '@/lib/server/services';
import type { Viewer } from '@/lib/server/viewer';
import { roleKey } from '@/lib/shared/accounts';
import { buildAwsConfig, ssoSessionName } from '@/lib/shared/aws-config';

/**
 * A `~/.aws/config` for every account and role of the person (or only their favorites), with one
 * `[sso-session]` for the instance and a region in every profile (`region`, else the instance's
 * console region). No secret is in it.
 */
export async function awsConfig(viewer: Viewer, options: { onlyFavorites: boolean; region?: string }): Promise<string> {
  const person = await viewer.person();
  const { instance } = viewer;
  const { listing, favorites } = services().of(instance);
  const full = await listing.complete(person);
  // Profiles are named after the account's nickname where the instance gives one.
  let accounts = full.accounts.map((account) => ({
    ...account,
    accountName: instance.nicknames[account.accountId] ?? account.accountName,
    roles: full.roles[account.accountId] ?? [],
  }));
  if (options.onlyFavorites) {
    const starred = await favorites.read(instance.id, person.userName);
    const accountSet = new Set(starred.accounts);
    const roleSet = new Set(starred.roles);
    accounts = accounts
      .map((account) => ({
        ...account,
        roles: accountSet.has(account.accountId) ? account.roles : account.roles.filter((role) => roleSet.has(roleKey(account.accountId, role))),
      }))
      .filter((account) => account.roles.length > 0);
  }
  return buildAwsConfig({
    sessionName: ssoSessionName(instance.startUrl),
    startUrl: instance.startUrl,
    ssoRegion: instance.ssoRegion,
    region: options.region ?? instance.consoleRegion,
    // Only the demo's endpoints (its built-in emulator) belong in people's files; a deployment's own
    // overrides (a proxy, a test double) are the portal's business, and AWS's endpoints need none.
    endpoints: viewer.config.mode === 'demo' ? instance.endpoints : undefined,
    accounts,
  });
}
