import { describe, expect, it } from 'vitest';

import { diffListings } from '@/lib/server/listing/diff';
import type { Listing } from '@/lib/server/listing/types';

const account = (accountId: string, accountName = `name-${accountId}`) => ({
  accountId,
  accountName,
  emailAddress: `${accountName}@example.com`,
});

function listing(roles: Record<string, string[]>, failures: Record<string, string> = {}): Listing {
  return { listedAt: 0, accounts: Object.keys({ ...roles, ...failures }).map((id) => account(id)), roles, failures, rejected: [] };
}

describe('what changed between two listings', () => {
  it('is empty for the same listing', () => {
    const same = listing({ '111111111111': ['Admin', 'ReadOnly'] });
    expect(diffListings(same, same)).toEqual({ accountsAdded: [], accountsRemoved: [], rolesAdded: [], rolesRemoved: [] });
  });

  it('names accounts added and removed', () => {
    const before = listing({ '111111111111': ['Admin'], '222222222222': ['Admin'] });
    const after = listing({ '111111111111': ['Admin'], '333333333333': ['Admin'] });
    const diff = diffListings(before, after);
    expect(diff.accountsAdded).toEqual([account('333333333333')]);
    expect(diff.accountsRemoved).toEqual([account('222222222222')]);
  });

  it('names roles added and removed, with their account', () => {
    const before = listing({ '111111111111': ['Admin', 'ReadOnly'] });
    const after = listing({ '111111111111': ['Admin', 'Billing'] });
    const diff = diffListings(before, after);
    expect(diff.rolesAdded).toEqual([{ accountId: '111111111111', roleName: 'Billing' }]);
    expect(diff.rolesRemoved).toEqual([{ accountId: '111111111111', roleName: 'ReadOnly' }]);
    expect(diff.accountsAdded).toEqual([]);
  });

  it('counts the roles of a removed account as removed, and of a new account as added', () => {
    const before = listing({ '111111111111': ['Admin'] });
    const after = listing({ '222222222222': ['ReadOnly'] });
    const diff = diffListings(before, after);
    expect(diff.rolesRemoved).toEqual([{ accountId: '111111111111', roleName: 'Admin' }]);
    expect(diff.rolesAdded).toEqual([{ accountId: '222222222222', roleName: 'ReadOnly' }]);
  });

  it('does not call roles removed when their account failed to load this time', () => {
    const before = listing({ '111111111111': ['Admin', 'ReadOnly'] });
    const after = listing({}, { '111111111111': 'Identity Center did not answer; try again.' });
    expect(diffListings(before, after)).toEqual({ accountsAdded: [], accountsRemoved: [], rolesAdded: [], rolesRemoved: [] });
  });

  it('keeps role names with slashes-free keys intact (names may contain = , . @ + -)', () => {
    const before = listing({ '111111111111': [] });
    const after = listing({ '111111111111': ['Ops+Read=Only,v1.2@team-a'] });
    expect(diffListings(before, after).rolesAdded).toEqual([{ accountId: '111111111111', roleName: 'Ops+Read=Only,v1.2@team-a' }]);
  });
});
