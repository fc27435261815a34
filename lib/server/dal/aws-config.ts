import 'server-only';

import { services } from '@/lib/server/services';
import type { Viewer } from '@/lib/server/viewer';
import { roleKey } from '@/lib/shared/accounts';
import { labelsOf } from '@/lib/shared/account-labels';
import { buildAwsConfig, profileNames, ssoSessionName } from '@/lib/shared/aws-config';

/**
 * The person's accounts, each with its roles (only the starred ones, with `onlyFavorites`), named
 * by the account's nickname where the instance gives one: what the exported config and the
 * `gatehouse config` profiles are made of.
 */
export async function assignedAccounts(
  viewer: Viewer,
  options: { onlyFavorites: boolean; loadedOnly?: boolean },
): Promise<{ accountId: string; accountName: string; roles: string[] }[]> {
  const person = await viewer.person();
  const { instance } = viewer;
  const { listing, favorites } = services().of(instance);
  // `loadedOnly`: the roles loaded so far, without waiting for a listing in progress to finish.
  const full = options.loadedOnly ? await listing.accounts(person) : await listing.complete(person);
  const accounts = full.accounts.map((account) => ({
    accountId: account.accountId,
    accountName: instance.nicknames[account.accountId] ?? account.accountName,
    roles: full.roles[account.accountId] ?? [],
    labels: labelsOf(instance.accountLabels, { ...account, nickname: instance.nicknames[account.accountId] }).map((label) => label.label),
  }));
  if (!options.onlyFavorites) return accounts;
  const starred = await favorites.read(instance.id, person.userName);
  const accountSet = new Set(starred.accounts);
  const roleSet = new Set(starred.roles);
  return accounts
    .map((account) => ({
      ...account,
      roles: accountSet.has(account.accountId) ? account.roles : account.roles.filter((role) => roleSet.has(roleKey(account.accountId, role))),
    }))
    .filter((account) => account.roles.length > 0);
}

/**
 * A `~/.aws/config` for every account and role of the person (or only their favorites), with one
 * `[sso-session]` for the instance and a region in every profile (`region`, else the instance's
 * console region). No secret is in it.
 */
export async function awsConfig(viewer: Viewer, options: { onlyFavorites: boolean; loadedOnly?: boolean; region?: string }): Promise<string> {
  const { instance } = viewer;
  return buildAwsConfig({
    sessionName: ssoSessionName(instance.startUrl),
    startUrl: instance.startUrl,
    ssoRegion: instance.ssoRegion,
    region: options.region ?? instance.consoleRegion,
    // Only the demo's endpoints (its built-in emulator) belong in people's files; a deployment's own
    // overrides (a proxy, a test double) are the portal's business, and AWS's endpoints need none.
    endpoints: viewer.config.mode === 'demo' ? instance.endpoints : undefined,
    accounts: await assignedAccounts(viewer, options),
  });
}

/** The profiles `gatehouse config` writes: the names the exported config gives, one per role. */
export async function terminalProfiles(
  viewer: Viewer,
  options: { onlyFavorites: boolean; region?: string },
): Promise<{ sessionName: string; region: string; profiles: { name: string; accountId: string; accountName: string; roleName: string }[] }> {
  const accounts = await assignedAccounts(viewer, options);
  const names = profileNames(accounts);
  return {
    sessionName: ssoSessionName(viewer.instance.startUrl),
    region: options.region ?? viewer.instance.consoleRegion,
    profiles: accounts.flatMap((account) =>
      [...account.roles].sort().map((roleName) => ({
        name: names.get(`${account.accountId}/${roleName}`) ?? `${account.accountId}.${roleName}`,
        accountId: account.accountId,
        accountName: account.accountName,
        roleName,
      })),
    ),
  };
}
