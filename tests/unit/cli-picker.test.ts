import { describe, expect, it } from 'vitest';

import { filterChoices, roleChoices } from '../../cli/picker';
import type { Account } from '../../cli/schemas';

const accounts: Account[] = [
  { accountId: '111111111111', accountName: 'payments-prod', emailAddress: 'p@example.com', roles: ['AdministratorAccess', 'ReadOnly'] },
  { accountId: '222222222222', accountName: 'payments-dev', emailAddress: 'd@example.com', roles: ['AdministratorAccess'] },
  { accountId: '333333333333', accountName: 'core-network', emailAddress: 'n@example.com', nickname: 'netops', roles: ['NetworkAdmin'] },
];

describe('the account and role picker', () => {
  it('offers every role as "account id / role", restricted to one account by id, name or nickname', () => {
    expect(roleChoices(accounts).map((choice) => choice.label)).toEqual([
      'payments-prod 111111111111 / AdministratorAccess',
      'payments-prod 111111111111 / ReadOnly',
      'payments-dev 222222222222 / AdministratorAccess',
      'netops (core-network) 333333333333 / NetworkAdmin',
    ]);
    expect(roleChoices(accounts, 'payments-dev').map((choice) => choice.roleName)).toEqual(['AdministratorAccess']);
    expect(roleChoices(accounts, '111111111111')).toHaveLength(2);
    expect(roleChoices(accounts, 'netops')).toHaveLength(1);
  });

  it('narrows fuzzily as fzf does, best match first', () => {
    const choices = roleChoices(accounts);
    expect(filterChoices(choices, 'prdadm').map((choice) => choice.label)).toEqual(['payments-prod 111111111111 / AdministratorAccess']);
    expect(filterChoices(choices, 'NETOPS').map((choice) => choice.roleName)).toEqual(['NetworkAdmin']);
    expect(filterChoices(choices, '   ')).toHaveLength(4);
    expect(filterChoices(choices, 'zzzz')).toEqual([]);
  });
});
