import { describe, expect, it } from 'vitest';

import { initialListingState, listingReducer, type ListingState } from '@/components/accounts/listing-state';
import type { AccountDTO, ListingEvent } from '@/lib/shared/accounts';
import { bestRole, filterAccounts, parseQuery, roleMatches } from '@/lib/shared/search';

import { Listing } from '../../cli/listing';
import { pickerRoles } from '../../cli/picker';

/**
 * The terminal's picker searches exactly as the accounts page does: the same events, the same
 * module (lib/shared/search), the same roles found in the same order, typos included.
 */

const account = (accountId: string, accountName: string, nickname?: string): AccountDTO => ({
  accountId,
  accountName,
  emailAddress: `aws+${accountName}@example.com`,
  ...(nickname ? { nickname } : {}),
});

const PAYMENTS = account('111111111111', 'payments-prod');
const PAYMENTS_DEV = account('666666666666', 'payments-dev');
const ANALYTICS = account('444444444444', 'analytics-dev');
const ANLYTICS = account('555555555555', 'anlytics-lab');
const AUDIT = account('333333333333', 'audit-prod', 'compliance');
const roles = (...names: string[]) => names.map((roleName) => ({ roleName }));

const EVENTS: ListingEvent[] = [
  { type: 'start', cached: false, listedAt: '2026-01-01T00:00:00.000Z' },
  { type: 'accounts', accounts: [PAYMENTS, PAYMENTS_DEV, ANALYTICS] },
  { type: 'accounts', accounts: [ANLYTICS, AUDIT] },
  { type: 'accounts-complete', total: 5 },
  { type: 'roles', accountId: PAYMENTS.accountId, roles: roles('ReadOnlyAccess', 'AdministratorAccess', 'BillingAdmin') },
  { type: 'roles', accountId: PAYMENTS_DEV.accountId, roles: roles('DeveloperAccess', 'AdministratorAccess') },
  { type: 'roles', accountId: ANALYTICS.accountId, roles: roles('AnalyticsReader', 'DeveloperAccess') },
  { type: 'roles', accountId: ANLYTICS.accountId, roles: roles('LabUser') },
  { type: 'roles', accountId: AUDIT.accountId, roles: roles('SecurityAudit', 'DeveloperAccess') },
  { type: 'done', accounts: 5, roles: 11, failedAccounts: 0 },
];

/** The roles the accounts page shows for a query: its accounts (use-account-search), and in each the role it names first (accounts-browser), then each role the query finds (use-pinned-groups). */
function pageFinds(state: ListingState, query: string): string[] {
  const tokens = parseQuery(query);
  return filterAccounts(state.order, state.entries, tokens).flatMap((id) => {
    const entry = state.entries.get(id)!;
    const best = bestRole(entry, tokens);
    const found = (entry.roles ?? []).filter((role) => roleMatches(entry, role, tokens));
    return [...(best ? [best] : []), ...found.filter((role) => role !== best)].map((role) => `${entry.account.accountName} / ${role}`);
  });
}

function pickerFinds(listing: Listing, query: string): string[] {
  return pickerRoles(listing, query).map((role) => `${listing.entries.get(role.accountId)!.account.accountName} / ${role.roleName}`);
}

describe('one search for the page and the picker', () => {
  const page = listingReducer(listingReducer(initialListingState, { type: 'stream-open', refresh: false }), { type: 'events', events: EVENTS });
  const picker = new Listing();
  for (const event of EVENTS) picker.apply(event);

  it('finds the same roles, in the same order, for the same queries', () => {
    expect(pickerFinds(picker, 'payments prod admin')).toEqual(['payments-prod / AdministratorAccess', 'payments-prod / BillingAdmin']);
    expect(pageFinds(page, 'payments prod admin')).toEqual(pickerFinds(picker, 'payments prod admin'));

    // The same typo tolerance: anlytics-lab matches as typed and comes first, analytics-dev with a typo.
    expect(pickerFinds(picker, 'anlytics')).toEqual(['anlytics-lab / LabUser', 'analytics-dev / AnalyticsReader', 'analytics-dev / DeveloperAccess']);
    expect(pickerFinds(picker, 'analytcs reeder')).toEqual(['analytics-dev / AnalyticsReader']);

    for (const query of ['', 'payments prod admin', 'anlytics', 'analytcs reeder', 'dev developer', 'compliance', '1111-1111-1111', 'prod', 'zzz', 'ADMIN']) {
      expect(pickerFinds(picker, query), query).toEqual(pageFinds(page, query));
    }
  });

  it('orders accounts and their roles as the page does', () => {
    expect(picker.order).toEqual(page.order);
    for (const id of page.order) expect(picker.entries.get(id)?.roles).toEqual(page.entries.get(id)?.roles);
  });
});
