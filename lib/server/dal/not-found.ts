import 'server-only';

import { headers } from 'next/headers';

import { hasCode } from '@/lib/server/core/errors';
import { services } from '@/lib/server/services';
import { actionOf, getViewer } from '@/lib/server/viewer';
import { ACCOUNT_ID_PATTERN, ROLE_NAME_PATTERN, shownSafely } from '@/lib/shared/aws-names';

/**
 * What a not-found page says about the address that was asked for: which part of it is not valid
 * (an account id that is not 12 digits, a role name AWS would not allow), or, for a role the person
 * does not have in one of their accounts, the roles they do have there.
 */
export interface NotFoundStory {
  message: string;
  /** A role page for a role the person does not have: their roles in that account, to go to instead. */
  account?: { accountId: string; accountName: string; roles: string[] };
}

const decode = (part: string) => {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
};

export async function notFoundStory(): Promise<NotFoundStory> {
  const action = actionOf(await headers());
  const path = /^GET (\/\S*)$/.exec(action)?.[1];
  const parts = path?.split('/').filter(Boolean).map(decode) ?? [];
  if (parts[0] !== 'accounts' || parts.length < 2 || parts.length > 3) return { message: 'This page could not be found.' };
  const [, accountId = '', roleName] = parts;
  if (!ACCOUNT_ID_PATTERN.test(accountId)) {
    return { message: `"${shownSafely(accountId)}" is not an AWS account id: an account id is 12 digits.` };
  }
  if (roleName !== undefined && !ROLE_NAME_PATTERN.test(roleName)) {
    return { message: `"${shownSafely(roleName)}" is not a role name: a role name is 1 to 64 letters, digits and + = , . @ _ -.` };
  }
  if (roleName === undefined) return { message: `You have no account ${accountId} in Identity Center.` };
  try {
    const viewer = await getViewer();
    const person = await viewer.person();
    const { listing } = services().of(viewer.instance);
    const known = await listing.accounts(person);
    const account = known.accounts.find((candidate) => candidate.accountId === accountId);
    if (!account) return { message: `You have no account ${accountId} in Identity Center.` };
    const roles = await listing.roles(person, accountId);
    return {
      message: `You have no role ${roleName} in ${account.accountName} (${accountId}).`,
      account: { accountId, accountName: viewer.instance.nicknames[accountId] ?? account.accountName, roles },
    };
  } catch (error) {
    if (hasCode(error, 'session_ended', 'not_found', 'upstream_unavailable', 'unauthenticated')) return { message: `You have no role ${roleName} in account ${accountId}.` };
    throw error;
  }
}
