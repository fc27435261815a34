import 'server-only';

import type { RoleCredentials } from '@/lib/server/aws/portal';
import { GatehouseError, hasCode } from '@/lib/server/core/errors';
import type { RoleRef } from '@/lib/server/credentials/kept-credentials';
import { services } from '@/lib/server/services';
import type { Person, Viewer } from '@/lib/server/viewer';
import { accountRegion } from '@/lib/shared/account-labels';
import { nicknamed } from '@/lib/shared/accounts';
import type { CredentialsDTO } from '@/lib/shared/credential-formats';
import { isoSeconds } from '@/lib/shared/credential-formats';

import { assertAssigned, recordHandOut, roleCredentials } from './credentials';
import { refusingWithAudit } from './refusal-audit';
import { spendBudget } from './request-checks';

/**
 * Role credentials and the listing for the `gatehouse` command. Credentials are kept on the server
 * per person and role (every terminal of the person shares them) until ten minutes before they
 * expire, and a burst of requests, on one portal or several, costs one call to Identity Center
 * (lib/server/credentials). Kept credentials are handed out only while Identity Center vouches for
 * the person's session and role, asked at most once per person and account every 45 s. Every
 * hand-out is audited, kept or not.
 */

/**
 * Asks Identity Center, once per person and account every 45 s whoever asks, whether the session and
 * the role still stand (one ListAccountRoles, through the instance's rate limiter, which the listing
 * learns from). A session it no longer accepts ends (a 401) and a role it no longer lists is refused
 * (a 403); either way nothing kept for the person is handed out again. When Identity Center does not
 * answer, the kept credentials go on and it is asked again soon.
 */
async function stillVouchedFor(person: Person, role: RoleRef): Promise<void> {
  const { keptCredentials } = services();
  if (!(await keptCredentials.claimCheck(person.personKey, role.accountId))) return;
  const { listing } = services().of(person.instance);
  const before = await listing.roles(person, role.accountId);
  let listed: string[] = [];
  try {
    listed = await listing.roles(person, role.accountId, { fresh: true });
  } catch (error) {
    if (hasCode(error, 'upstream_unavailable')) return keptCredentials.checkSoon(person.personKey, role.accountId);
    if (!hasCode(error, 'not_found')) {
      if (hasCode(error, 'session_ended')) await keptCredentials.forget(person.personKey);
      throw error;
    }
    // The account is no longer the person's: none of its roles are.
  }
  if (before.some((roleName) => !listed.includes(roleName))) await keptCredentials.forget(person.personKey);
  if (!listed.includes(role.roleName)) {
    throw new GatehouseError('forbidden', 'You do not have that role in that account.', { attempt: { accountId: role.accountId, roleName: role.roleName } });
  }
}

/** Fetches the role's credentials for everyone waiting on them: the one request that reaches Identity Center. */
async function fetchForAll(viewer: Viewer, person: Person, role: RoleRef): Promise<RoleCredentials> {
  const { keptCredentials } = services();
  // A call to Identity Center: the same budget as a browser's hand-out.
  await spendBudget(viewer, 'credentials');
  try {
    const credentials = await roleCredentials(person, role.accountId, role.roleName);
    await keptCredentials.checked(person.personKey, role.accountId);
    return credentials;
  } catch (error) {
    if (hasCode(error, 'session_ended')) await keptCredentials.forget(person.personKey);
    throw error;
  }
}

/**
 * Credentials for one of the person's roles, for a terminal: the person's kept ones while they have
 * more than ten minutes left and Identity Center still vouches for them, else fetched once for every
 * request waiting on them. The assignment is checked every time; every hand-out is audited.
 */
export async function terminalCredentials(viewer: Viewer, input: { accountId: string; roleName: string }): Promise<CredentialsDTO & { region: string }> {
  const person = await viewer.person();
  const { keptCredentials } = services();
  const role = { accountId: input.accountId, roleName: input.roleName };
  let credentials = await keptCredentials.read(person.personKey, role);
  let cached = true;
  if (credentials) {
    // Still the person's role: a hand-out is never made for an assignment that is gone.
    await refusingWithAudit(viewer, async () => {
      await assertAssigned(person, role.accountId, role.roleName);
      await stillVouchedFor(person, role);
    });
  } else {
    await refusingWithAudit(viewer, () => assertAssigned(person, role.accountId, role.roleName));
    const obtained = await refusingWithAudit(viewer, () => keptCredentials.obtain(person.personKey, role, () => fetchForAll(viewer, person, role)));
    credentials = obtained.value;
    cached = !obtained.fetched;
  }
  await recordHandOut(person, 'credentials', role.accountId, role.roleName, credentials, { cached });
  return {
    accessKeyId: credentials.accessKeyId,
    secretAccessKey: credentials.secretAccessKey,
    sessionToken: credentials.sessionToken,
    expiration: isoSeconds(credentials.expiration),
    // The region a command runs in when it is given none: the account's, as the organisation labels it, else the instance's.
    region: await defaultRegionOf(viewer, person, role.accountId),
  };
}

/** The account's default region (a label of the configuration may give one), else the instance's. */
async function defaultRegionOf(viewer: Viewer, person: Person, accountId: string): Promise<string> {
  const { accountLabels, consoleRegion, nicknames } = viewer.instance;
  if (accountLabels.every((rule) => rule.region === undefined)) return consoleRegion;
  const known = await services().of(viewer.instance).listing.known(person.personKey).catch(() => null);
  const account = known?.accounts.find((candidate) => candidate.accountId === accountId);
  return accountRegion(accountLabels, { accountId, accountName: account?.accountName ?? '', nickname: nicknames[accountId] }, consoleRegion);
}

export interface TerminalAccount {
  accountId: string;
  accountName: string;
  emailAddress: string;
  nickname?: string;
  roles: string[];
}

/** Every account of the person with its roles (waits for the listing to finish), for the command's picker and `accounts`. */
export async function terminalAccounts(viewer: Viewer): Promise<{ accounts: TerminalAccount[] }> {
  const person = await viewer.person();
  const listing = await services().of(viewer.instance).listing.complete(person);
  return {
    accounts: listing.accounts.map((account) => ({
      ...nicknamed(account, viewer.instance.nicknames),
      roles: listing.roles[account.accountId] ?? [],
    })),
  };
}

