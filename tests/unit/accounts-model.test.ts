import { describe, expect, it } from 'vitest';

import { initialListingState, isLoading, listingReducer, type ListingAction, type ListingState } from '@/components/accounts/listing-state';
import { bestRole, filterAccounts, highlightRanges, nearWordStart, parseQuery, rolesMatchingFirst } from '@/lib/shared/search';
import { describeDiff } from '@/lib/shared/words';
import type { AccountDTO, ListingEvent } from '@/lib/shared/accounts';

const account = (accountId: string, accountName: string): AccountDTO => ({
  accountId,
  accountName,
  emailAddress: `aws+${accountName}@example.com`,
});

const PAYMENTS = account('111111111111', 'payments-prod');
const LEDGER = account('222222222222', 'ledger-dev');
const AUDIT = account('333333333333', 'audit-prod');

function run(events: ListingEvent[], state: ListingState = initialListingState): ListingState {
  const actions: ListingAction[] = [{ type: 'stream-open', refresh: false }, { type: 'events', events }];
  return actions.reduce(listingReducer, state);
}

const listing: ListingEvent[] = [
  { type: 'start', cached: false, listedAt: '2026-01-01T00:00:00.000Z' },
  { type: 'accounts', accounts: [PAYMENTS, LEDGER] },
  { type: 'accounts', accounts: [AUDIT] },
  { type: 'accounts-complete', total: 3 },
  { type: 'roles', accountId: PAYMENTS.accountId, roles: [{ roleName: 'ReadOnlyAccess' }, { roleName: 'AdministratorAccess' }] },
  { type: 'roles-error', accountId: LEDGER.accountId, message: 'Identity Center did not answer.' },
  { type: 'identity', userName: 'operator' },
];

describe('listing reducer', () => {
  it('builds sorted entries, progress and per-account errors from the events', () => {
    const state = run(listing);
    expect(state.order).toEqual([AUDIT.accountId, LEDGER.accountId, PAYMENTS.accountId]);
    expect(state.phase).toBe('roles');
    expect(state.total).toBe(3);
    expect(state.settled.size).toBe(2);
    expect(state.entries.get(PAYMENTS.accountId)?.roles).toEqual(['AdministratorAccess', 'ReadOnlyAccess']);
    expect(state.entries.get(LEDGER.accountId)?.rolesError).toBe('Identity Center did not answer.');
    expect(state.entries.get(AUDIT.accountId)?.roles).toBeNull();
    expect(state.userName).toBe('operator');
  });

  it('finishes on done and keeps the diff of a refresh', () => {
    const diff = { accountsAdded: [AUDIT], accountsRemoved: [], rolesAdded: [], rolesRemoved: [] };
    const state = listingReducer(run([...listing, { type: 'done', accounts: 3, roles: 2, failedAccounts: 1, diff }]), { type: 'stream-closed' });
    expect(state.phase).toBe('done');
    expect(state.streaming).toBe(false);
    expect(state.error).toBeNull();
    expect(state.diff).toEqual(diff);
  });

  it('reports a stream that closed before done', () => {
    expect(isLoading(initialListingState)).toBe(true);
    const state = listingReducer(run(listing), { type: 'stream-closed' });
    expect(state.error).toMatch(/stopped before it finished/);
    expect(isLoading(state)).toBe(false);
    expect(state.entries.size).toBe(3);
  });

  it('drops accounts a new listing no longer has, and keeps the rest with their roles until they reload', () => {
    const first = listingReducer(run([...listing, { type: 'done', accounts: 3, roles: 2, failedAccounts: 1 }]), { type: 'stream-closed' });
    const second = run(
      [
        { type: 'start', cached: false, listedAt: '2026-01-01T01:00:00.000Z' },
        { type: 'accounts', accounts: [PAYMENTS, AUDIT] },
        { type: 'accounts-complete', total: 2 },
      ],
      first,
    );
    expect(second.order).toEqual([AUDIT.accountId, PAYMENTS.accountId]);
    expect(second.entries.get(PAYMENTS.accountId)?.roles).toEqual(['AdministratorAccess', 'ReadOnlyAccess']);
    expect(second.settled.size).toBe(0);
  });

  it('shows a kept listing at once, and reads the check that follows it as a refresh of it', () => {
    const kept: ListingEvent[] = [
      { type: 'start', cached: true, listedAt: '2026-01-01T00:00:00.000Z' },
      { type: 'accounts', accounts: [PAYMENTS, LEDGER] },
      { type: 'accounts-complete', total: 2 },
      { type: 'roles', accountId: PAYMENTS.accountId, roles: [{ roleName: 'ReadOnlyAccess' }, { roleName: 'Billing' }] },
      { type: 'roles', accountId: LEDGER.accountId, roles: [{ roleName: 'ReadOnlyAccess' }] },
    ];
    const check: ListingEvent = { type: 'start', cached: false, listedAt: '2026-01-02T00:00:00.000Z', revalidates: '2026-01-01T00:00:00.000Z' };
    const checking = run([...kept, check, { type: 'accounts', accounts: [PAYMENTS] }]);
    // Every role of the kept listing stays on screen while it is checked.
    expect(checking.entries.get(PAYMENTS.accountId)?.roles).toEqual(['Billing', 'ReadOnlyAccess']);
    expect(checking.entries.get(LEDGER.accountId)?.roles).toEqual(['ReadOnlyAccess']);
    expect(checking.checking).toBe('2026-01-01T00:00:00.000Z');
    expect(checking.refreshing).toBe(true);
    expect(isLoading(checking)).toBe(true);

    const diff = { accountsAdded: [], accountsRemoved: [LEDGER], rolesAdded: [], rolesRemoved: [{ accountId: PAYMENTS.accountId, roleName: 'Billing' }] };
    const checked = run(
      [
        { type: 'accounts-complete', total: 1 },
        { type: 'roles', accountId: PAYMENTS.accountId, roles: [{ roleName: 'ReadOnlyAccess' }] },
        { type: 'done', accounts: 1, roles: 1, failedAccounts: 0, diff },
      ],
      checking,
    );
    expect(checked.order).toEqual([PAYMENTS.accountId]);
    expect(checked.entries.get(PAYMENTS.accountId)?.roles).toEqual(['ReadOnlyAccess']);
    expect(checked.diff).toEqual(diff);
    expect(checked.phase).toBe('done');
  });

  it('keeps the last good roles when a refresh fails for an account, marked with when they were listed', () => {
    const first = listingReducer(run([...listing, { type: 'done', accounts: 3, roles: 2, failedAccounts: 1 }]), { type: 'stream-closed' });
    const failed = 'Identity Center did not answer; try again.';
    const events: ListingEvent[] = [
      { type: 'start', cached: false, listedAt: '2026-01-01T01:00:00.000Z' },
      { type: 'accounts', accounts: [PAYMENTS, LEDGER, AUDIT] },
      { type: 'accounts-complete', total: 3 },
      { type: 'roles-error', accountId: PAYMENTS.accountId, message: failed, keptFrom: '2026-01-01T00:00:00.000Z' },
      { type: 'roles-error', accountId: AUDIT.accountId, message: failed },
    ];
    const refreshing: ListingAction[] = [{ type: 'stream-open', refresh: true }, { type: 'events', events }];
    const state = refreshing.reduce(listingReducer, first);
    const kept = state.entries.get(PAYMENTS.accountId);
    expect(kept?.roles).toEqual(['AdministratorAccess', 'ReadOnlyAccess']);
    expect(kept?.rolesError).toBeNull();
    expect(kept?.kept).toEqual({ message: failed, since: '2026-01-01T00:00:00.000Z' });
    // An account that had no roles to keep shows the failure.
    expect(state.entries.get(AUDIT.accountId)?.rolesError).toBe(failed);
    // Roles that arrive later replace the kept ones.
    const later = listingReducer(state, { type: 'events', events: [{ type: 'roles', accountId: PAYMENTS.accountId, roles: [{ roleName: 'Billing' }] }] });
    expect(later.entries.get(PAYMENTS.accountId)?.kept).toBeNull();
  });

  it('says when Identity Center is not answering, and forgets it once it answers again', () => {
    const down = run([...listing, { type: 'unreachable', retryAt: '2026-01-01T00:00:05.000Z' }]);
    expect(down.unreachable).toEqual({ retryAt: '2026-01-01T00:00:05.000Z' });
    expect(isLoading(down)).toBe(true);
    const back = listingReducer(down, { type: 'events', events: [{ type: 'reachable' }] });
    expect(back.unreachable).toBeNull();
  });

  it('takes roles fetched on demand and clears an earlier error', () => {
    const state = listingReducer(run(listing), { type: 'roles-loaded', accountId: LEDGER.accountId, roles: ['Billing'] });
    expect(state.entries.get(LEDGER.accountId)?.rolesError).toBeNull();
    expect(state.entries.get(LEDGER.accountId)?.roles).toEqual(['Billing']);
  });
});

describe('search', () => {
  const state = run(listing);

  it('matches every token against name, id, email and role names', () => {
    // Named alike, the account whose roles are known comes before audit-prod, whose roles are still loading.
    expect(filterAccounts(state.order, state.entries, parseQuery('prod'))).toEqual([PAYMENTS.accountId, AUDIT.accountId]);
    // audit-prod's roles are still loading: its name matches `prod` and a loaded role matches `admin`, so it stays, after.
    expect(filterAccounts(state.order, state.entries, parseQuery('admin PROD'))).toEqual([PAYMENTS.accountId, AUDIT.accountId]);
    expect(filterAccounts(state.order, state.entries, parseQuery('admin audit'))).toEqual([AUDIT.accountId]);
    expect(filterAccounts(state.order, state.entries, parseQuery('sysadmin audit'))).toEqual([]);
    expect(filterAccounts(state.order, state.entries, parseQuery('2222'))).toEqual([LEDGER.accountId]);
    expect(filterAccounts(state.order, state.entries, parseQuery('nothing-like-this'))).toEqual([]);
    expect(filterAccounts(state.order, state.entries, parseQuery('  '))).toBe(state.order);
  });

  it('tolerates a small typo in a longer word, ranking what matches as typed first', () => {
    const analytics = account('444444444444', 'analytics-dev');
    const anlytics = account('555555555555', 'anlytics-lab');
    const typos = run([
      { type: 'start', cached: false, listedAt: '2026-01-01T00:00:00.000Z' },
      { type: 'accounts', accounts: [analytics, anlytics, PAYMENTS] },
      { type: 'accounts-complete', total: 3 },
      { type: 'roles', accountId: PAYMENTS.accountId, roles: [{ roleName: 'DeveloperAccess' }] },
    ]);
    // analytics-dev comes first by name, but anlytics-lab matches as typed.
    expect(filterAccounts(typos.order, typos.entries, parseQuery('anlytics'))).toEqual([anlytics.accountId, analytics.accountId]);
    expect(filterAccounts(typos.order, typos.entries, parseQuery('analytcs'))).toEqual([analytics.accountId]);
    // A role name's words count too (DeveloperAccess: developer, access), and so does a word begun.
    expect(filterAccounts(typos.order, typos.entries, parseQuery('devloper'))).toEqual([PAYMENTS.accountId]);
    expect(nearWordStart('anlyt', 'analytics', 1)).toBe(true);
    expect(nearWordStart('nalaytics', 'analytics', 1)).toBe(false);
    expect(nearWordStart('analtyics', 'analytics', 1)).toBe(true);
    // Short words and numbers must match as typed: one letter off is another word there.
    expect(filterAccounts(typos.order, typos.entries, parseQuery('prd'))).toEqual([]);
    expect(filterAccounts(typos.order, typos.entries, parseQuery('1111111'))).toEqual([PAYMENTS.accountId]);
    expect(filterAccounts(typos.order, typos.entries, parseQuery('1111121'))).toEqual([]);
  });

  it('ranks the account a query names before those only its roles match, and finds the role it names', () => {
    const paymentsDev = account('666666666666', 'payments-dev');
    const named = run([
      { type: 'start', cached: false, listedAt: '2026-01-01T00:00:00.000Z' },
      { type: 'accounts', accounts: [PAYMENTS, paymentsDev, AUDIT] },
      { type: 'accounts-complete', total: 3 },
      { type: 'roles', accountId: PAYMENTS.accountId, roles: [{ roleName: 'SystemAdministrator' }, { roleName: 'AdministratorAccess' }, { roleName: 'ReadOnlyAccess' }] },
      { type: 'roles', accountId: paymentsDev.accountId, roles: [{ roleName: 'DeveloperAccess' }] },
      { type: 'roles', accountId: AUDIT.accountId, roles: [{ roleName: 'DeveloperAccess' }] },
    ]);
    // payments-dev sorts before payments-prod, but "prod" names payments-prod.
    expect(filterAccounts(named.order, named.entries, parseQuery('payments prod admin'))).toEqual([PAYMENTS.accountId]);
    expect(filterAccounts(named.order, named.entries, parseQuery('dev payments'))).toEqual([paymentsDev.accountId]);
    // "dev" is in audit-prod's role only, in payments-dev's name: the account named comes first.
    expect(filterAccounts(named.order, named.entries, parseQuery('dev developer'))).toEqual([paymentsDev.accountId, AUDIT.accountId]);
    const entry = (id: string) => named.entries.get(id)!;
    // The role whose name starts with the word wins over one that only contains it.
    expect(bestRole(entry(PAYMENTS.accountId), parseQuery('payments prod admin'))).toBe('AdministratorAccess');
    expect(bestRole(entry(PAYMENTS.accountId), parseQuery('payments prod sysadmin'))).toBeNull();
    expect(bestRole(entry(PAYMENTS.accountId), parseQuery('payments prod readonly'))).toBe('ReadOnlyAccess');
    expect(bestRole(entry(PAYMENTS.accountId), parseQuery('payments prod reedonly'))).toBe('ReadOnlyAccess');
    // Naming only the account, or only a role, names no role.
    expect(bestRole(entry(PAYMENTS.accountId), parseQuery('payments prod'))).toBeNull();
    expect(bestRole(entry(PAYMENTS.accountId), parseQuery('admin'))).toBeNull();
  });

  it('reads a dashed account id as digits', () => {
    expect(parseQuery('1111-1111-1111')).toEqual(['111111111111']);
    expect(parseQuery('a-b')).toEqual(['a-b']);
  });

  it('highlights every match, merged', () => {
    expect(highlightRanges('payments-prod', ['pay', 'ments', 'prod'])).toEqual([
      [0, 8],
      [9, 13],
    ]);
    expect(highlightRanges('aaa', ['aa'])).toEqual([[0, 3]]);
    expect(highlightRanges('Admin', [])).toEqual([]);
  });

  it('puts matching roles first', () => {
    const entry = state.entries.get(PAYMENTS.accountId);
    expect(entry && rolesMatchingFirst(entry, ['read'])).toEqual([
      { name: 'ReadOnlyAccess', hit: true },
      { name: 'AdministratorAccess', hit: false },
    ]);
  });
});

describe('describeDiff', () => {
  it('counts what changed', () => {
    expect(describeDiff({ accountsAdded: [], accountsRemoved: [], rolesAdded: [], rolesRemoved: [] })).toBe('No changes');
    expect(
      describeDiff({
        accountsAdded: [PAYMENTS, LEDGER],
        accountsRemoved: [],
        rolesAdded: [],
        rolesRemoved: [{ accountId: AUDIT.accountId, roleName: 'Billing' }],
      }),
    ).toBe('2 accounts added, 1 role removed');
  });
});
