import { describe, expect, it } from 'vitest';

import { type AccountLabelRule, accountRegion, labelsOf } from '@/lib/shared/account-labels';

/** The organisation's labels on its accounts: matched by id, organizational unit or name pattern, each label once, in the configuration's order. */
const RULES: AccountLabelRule[] = [
  { label: 'production', color: 'red', accounts: ['111122223333'], names: ['*-prod', 'prod-*'], ous: [] },
  { label: 'pci', color: 'amber', accounts: ['444455556666'], names: [], ous: ['ou-ab12-cd345678'], region: 'eu-west-1' },
  { label: 'production', color: 'red', accounts: [], names: ['live'], ous: [] },
];

describe('account labels', () => {
  it('match by id, by the name or the nickname (whole, any case, * for any run), and by organizational unit', () => {
    expect(labelsOf(RULES, { accountId: '111122223333', accountName: 'core' })).toEqual([{ label: 'production', color: 'red' }]);
    expect(labelsOf(RULES, { accountId: '999999999999', accountName: 'Payments-PROD' }).map((label) => label.label)).toEqual(['production']);
    expect(labelsOf(RULES, { accountId: '999999999999', accountName: 'payments', nickname: 'prod-payments' }).map((label) => label.label)).toEqual(['production']);
    expect(labelsOf(RULES, { accountId: '999999999999', accountName: 'payments-production' })).toEqual([]);
    expect(labelsOf(RULES, { accountId: '999999999999', accountName: 'x', ouId: 'ou-ab12-cd345678' }).map((label) => label.label)).toEqual(['pci']);
  });

  it('give each label once, in the order configured', () => {
    expect(labelsOf(RULES, { accountId: '444455556666', accountName: 'live' }).map((label) => label.label)).toEqual(['pci', 'production']);
  });

  it("treat a pattern's other characters literally", () => {
    const rules: AccountLabelRule[] = [{ label: 'dotted', color: 'blue', accounts: [], names: ['a.b'], ous: [] }];
    expect(labelsOf(rules, { accountId: '1', accountName: 'a.b' })).toHaveLength(1);
    expect(labelsOf(rules, { accountId: '1', accountName: 'axb' })).toHaveLength(0);
  });

  it("give an account the first matching label's region, else the instance's", () => {
    expect(accountRegion(RULES, { accountId: '444455556666', accountName: 'payments' }, 'us-east-1')).toBe('eu-west-1');
    expect(accountRegion(RULES, { accountId: '111122223333', accountName: 'core' }, 'us-east-1')).toBe('us-east-1');
  });
});
