import 'server-only';

import { notFound } from 'next/navigation';

import { GatehouseError, hasCode } from '@/lib/server/core/errors';
import { services } from '@/lib/server/services';
import { getViewer, type Viewer } from '@/lib/server/viewer';
import { type AccountLabel, accountRegion, labelsOf } from '@/lib/shared/account-labels';
import { type AccountDTO, type AccountsResponse, type ListingEvent, nicknamed, type RolesResponse, withNicknames } from '@/lib/shared/accounts';

import { refusingWithAudit } from './refusal-audit';

/**
 * The person's accounts and roles: every account (from the cache, or once the paging finishes),
 * the listing as it streams, and one account's roles ahead of the background load.
 */

export async function listAccounts(viewer: Viewer): Promise<AccountsResponse> {
  const person = await viewer.person();
  const listing = await services().of(viewer.instance).listing.accounts(person);
  return {
    accounts: listing.accounts.map(({ accountId, accountName, emailAddress }) =>
      nicknamed({ accountId, accountName, emailAddress }, viewer.instance.nicknames),
    ),
  };
}

/**
 * The person's listing, to follow event by event with the configured nicknames: the cached one,
 * the one in progress, or a new one; `refresh` lists afresh and ends with what changed. The person
 * is read now (an ended session is a 401 before anything streams); the returned function starts
 * following and resolves with the function that stops.
 */
export async function openListing(
  viewer: Viewer,
  options: { refresh: boolean },
): Promise<(listener: (event: ListingEvent) => void) => Promise<() => void>> {
  const person = await viewer.person();
  const { listing } = services().of(viewer.instance);
  return (listener) => listing.follow(person, options, (event) => listener(withNicknames(event, viewer.instance.nicknames)));
}

/** One account's roles; a 404 (audited) for an account the person does not have. */
export async function rolesOf(viewer: Viewer, accountId: string): Promise<RolesResponse> {
  const person = await viewer.person();
  const roles = await refusingWithAudit(viewer, () =>
    services().of(viewer.instance).listing.roles(person, accountId),
  );
  return { roles: roles.map((roleName) => ({ roleName })) };
}

/** One of the person's accounts as a page shows it; `roles` null when Identity Center could not say just now. */
export interface AccountOnPage {
  account: AccountDTO;
  roles: string[] | null;
  /** The organisation's labels on the account (`production`), and its default region. */
  labels: AccountLabel[];
  defaultRegion: string;
}

/**
 * One account of the person for a page (`/accounts/{id}`, a role's page), from their own listing: a
 * 404 page for an account they do not have (audited). When Identity Center cannot be asked right
 * now, null (or null roles): the page shows what it can, and says nothing is known yet.
 */
export async function accountForPage(
  requested: string | string[] | undefined,
  accountId: string,
  /** A role the page is for: when the kept listing does not have it, Identity Center is asked before saying not found. */
  roleName?: string,
): Promise<AccountOnPage | null> {
  const viewer = await getViewer(typeof requested === 'string' ? requested : undefined);
  const person = await viewer.person();
  const { listing } = services().of(viewer.instance);
  try {
    const known = await listing.accounts(person);
    const account = known.accounts.find((candidate) => candidate.accountId === accountId);
    if (!account) {
      return await refusingWithAudit<never>(viewer, () =>
        Promise.reject(new GatehouseError('not_found', 'You have no account with that id.', { attempt: { accountId } })),
      );
    }
    const unavailable = (error: unknown) => {
      if (hasCode(error, 'upstream_unavailable')) return null;
      throw error;
    };
    let roles = await listing.roles(person, accountId).catch(unavailable);
    if (roleName !== undefined && roles && !roles.includes(roleName)) roles = await listing.roles(person, accountId, { fresh: true }).catch(unavailable);
    const named = nicknamed(account, viewer.instance.nicknames);
    const { accountLabels, consoleRegion } = viewer.instance;
    return { account: named, roles, labels: labelsOf(accountLabels, named), defaultRegion: accountRegion(accountLabels, named, consoleRegion) };
  } catch (error) {
    if (hasCode(error, 'not_found')) notFound();
    if (hasCode(error, 'upstream_unavailable')) return null;
    throw error;
  }
}
