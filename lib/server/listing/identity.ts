import 'server-only';

import { userNameFromArn } from '@/lib/server/aws/portal';
import { hasCode } from '@/lib/server/core/errors';

import type { ListingJob } from './job';
import type { ListingDeps, ListingRequest } from './types';

/**
 * Who signed in, learned from the first role the listing finds: its credentials, asked of STS,
 * name the Identity Center user. Returns the person's key under that name, or null when it could
 * not be learned (a convenience: the listing goes on without it). `onRefused` is told when the
 * session was ended on learning it (someone else approved the sign-in).
 */
export async function learnIdentity(
  deps: Pick<ListingDeps, 'portal' | 'stsRegion'>,
  request: ListingRequest,
  job: ListingJob,
  role: { accountId: string; roleName: string },
  onRefused: () => void,
): Promise<string | null> {
  let userName: string | null;
  try {
    const credentials = await job.tokens.call((token) =>
      deps.portal.getRoleCredentials(token, role.accountId, role.roleName, { owner: request.owner, priority: 'interactive' }),
    );
    userName = userNameFromArn((await deps.portal.getCallerIdentity(credentials, deps.stsRegion)).arn);
  } catch {
    // Not learned now (Identity Center busy, or no session left to ask with): the listing goes on without it.
    return null;
  }
  if (!userName) return null;
  try {
    const userKey = await request.onIdentity(userName);
    job.release();
    job.emit({ type: 'identity', userName });
    return userKey;
  } catch (error) {
    if (hasCode(error, 'session_ended')) onRefused();
    return null;
  }
}

/**
 * What asking who signed in found: the name (`known`), that Identity Center lists no role to learn
 * it from (`no-role`), or nothing this time (`unavailable`: busy, unreachable, an odd answer).
 */
export type IdentityProbe = 'known' | 'no-role' | 'unavailable';

/**
 * Who signed in, asked of Identity Center right after sign-in with the fewest calls: the first
 * account (a one-entry ListAccounts page), its roles, one role's credentials, and STS. The person
 * is then known by name from their first page on, so their other tabs, browsers and terminals share
 * one listing, and their kept listing shows at once. When it could not be learned (no role yet,
 * Identity Center busy), the listing learns it later, as before.
 */
export async function probeIdentity(deps: Pick<ListingDeps, 'portal' | 'stsRegion'>, request: ListingRequest): Promise<IdentityProbe> {
  const ticket = { owner: request.owner, priority: 'interactive' as const };
  try {
    const first = (await deps.portal.listAccountsPage(await request.accessToken(), undefined, ticket, 1)).accounts[0];
    if (!first) return 'no-role';
    const roleName = (await deps.portal.listAccountRoles(await request.accessToken(), first.accountId, ticket)).roles[0];
    if (roleName === undefined) return 'no-role';
    const credentials = await deps.portal.getRoleCredentials(await request.accessToken(), first.accountId, roleName, ticket);
    const userName = userNameFromArn((await deps.portal.getCallerIdentity(credentials, deps.stsRegion)).arn);
    if (!userName) return 'unavailable';
    await request.onIdentity(userName);
    return 'known';
  } catch (error) {
    // Someone else approved the sign-in (behind an authenticating proxy): the session is ended.
    if (hasCode(error, 'session_ended')) throw error;
    return 'unavailable';
  }
}
