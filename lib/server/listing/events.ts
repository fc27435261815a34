import 'server-only';

import type { ListingDiff, ListingEvent } from '@/lib/shared/accounts';

import type { Listing } from './types';

/** Every event of a finished listing, for a cache hit (all at once). */
export function replay(listing: Listing, diff?: ListingDiff): ListingEvent[] {
  const events: ListingEvent[] = [{ type: 'start', cached: diff === undefined, listedAt: new Date(listing.listedAt).toISOString() }];
  for (let index = 0; index < listing.accounts.length; index += 100) {
    events.push({ type: 'accounts', accounts: listing.accounts.slice(index, index + 100) });
  }
  if (listing.rejected.length > 0) events.push({ type: 'rejected', entries: listing.rejected });
  events.push({ type: 'accounts-complete', total: listing.accounts.length });
  for (const account of listing.accounts) {
    const roles = listing.roles[account.accountId];
    if (roles) events.push({ type: 'roles', accountId: account.accountId, roles: roles.map((roleName) => ({ roleName })) });
    const failure = listing.failures[account.accountId];
    const kept = listing.keptFrom?.[account.accountId];
    if (failure) {
      events.push({ type: 'roles-error', accountId: account.accountId, message: failure, ...(kept === undefined ? {} : { keptFrom: new Date(kept).toISOString() }) });
    }
  }
  events.push(doneEvent(listing, diff));
  return events;
}

export function doneEvent(listing: Listing, diff?: ListingDiff): ListingEvent {
  return {
    type: 'done',
    accounts: listing.accounts.length,
    roles: Object.values(listing.roles).reduce((sum, roles) => sum + roles.length, 0),
    failedAccounts: Object.keys(listing.failures).length,
    diff,
  };
}

