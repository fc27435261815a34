import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  accountSearchText,
  enterTarget,
  filterAccounts,
  findRoles,
  highlightRanges,
  parseQuery,
  roleSearchText,
  type SearchEntry,
  type SearchableAccount,
  sortedRoles,
} from '@/lib/shared/search';

/**
 * Search never picks the wrong account (issue 21): a query that names an account ranks it first, a
 * number matches whole numbers and the start of an id (never a digit inside an id), and Enter in the
 * search box opens a role only when the query names that account and that role and nothing else as well.
 */

interface Org {
  order: string[];
  entries: Map<string, SearchEntry>;
  names: Map<string, string>;
}

/** An organisation as search sees it: roles null for an account whose roles are still loading. */
function organisation(accounts: readonly { account: SearchableAccount; roles: readonly string[] | null }[]): Org {
  const entries = new Map<string, SearchEntry>();
  const names = new Map<string, string>();
  for (const { account, roles } of accounts) {
    const sorted = roles === null ? null : sortedRoles(roles);
    entries.set(account.accountId, { roles: sorted, accountText: accountSearchText(account), roleText: sorted ? roleSearchText(sorted) : [] });
    names.set(account.accountId, account.accountName);
  }
  const order = accounts
    .map(({ account }) => account)
    .sort((a, b) => a.accountName.localeCompare(b.accountName, 'en', { numeric: true }))
    .map((account) => account.accountId);
  return { order, entries, names };
}

const named = (accountId: string, accountName: string): SearchableAccount => ({ accountId, accountName, emailAddress: `aws+${accountName}@example.com` });

/** What the search box shows and what Enter opens, by account name. */
function search(org: Org, query: string): { listed: string[]; enter: string | null } {
  const tokens = parseQuery(query);
  const matched = filterAccounts(org.order, org.entries, tokens);
  const target = enterTarget(matched, org.entries, tokens);
  return {
    listed: matched.map((id) => org.names.get(id) ?? id),
    enter: target ? `${org.names.get(target.accountId)} / ${target.roleName}` : null,
  };
}

describe('the query that opened the wrong keys', () => {
  // Like the 2,000-account organisation: payments-prod-2's id holds a 3, and its role matches `admin`.
  const background = ['ledger', 'checkout', 'pricing'].flatMap((team, t) =>
    ['prod', 'dev'].flatMap((env, e) => [1, 2, 3, 33].map((n, i) => ({ account: named(`9${t}${e}${i}0000000${t}`, `${team}-${env}-${n}`), roles: ['AdministratorAccess'] }))),
  );
  const org = organisation([
    { account: named('123456789012', 'payments-prod-2'), roles: ['DatabaseAdministrator'] },
    { account: named('210987654321', 'payments-prod-3'), roles: ['AdministratorAccess', 'DatabaseAdministrator', 'ReadOnlyAccess'] },
    { account: named('310000000000', 'payments-prod-33'), roles: ['AdministratorAccess'] },
    { account: named('400000000003', 'payments-dev-3'), roles: ['AdministratorAccess'] },
    { account: named('500000000000', 'ledger-dev'), roles: ['DatabaseAdministrator', 'NetworkAdministrator'] },
    ...background,
  ]);

  it('`payments prod 3 admin` lists payments-prod-3 first and Enter opens its AdministratorAccess', () => {
    const found = search(org, 'payments prod 3 admin');
    expect(found.listed[0]).toBe('payments-prod-3');
    expect(found.listed).not.toContain('payments-prod-2');
    expect(found.enter).toBe('payments-prod-3 / AdministratorAccess');
    // Typed with dashes, the same.
    expect(search(org, 'payments-prod-3 admin').enter).toBe('payments-prod-3 / AdministratorAccess');
  });

  it('a number matches whole numbers in names and the start of an id, never a digit inside an id', () => {
    // `3`: the names holding 3 as a whole number first, then the ids starting with 3; not 123456789012.
    const three = search(org, '3').listed;
    const holdingThree = ['checkout-dev-3', 'checkout-prod-3', 'ledger-dev-3', 'ledger-prod-3', 'payments-dev-3', 'payments-prod-3', 'pricing-dev-3', 'pricing-prod-3'];
    expect(three.slice(0, holdingThree.length)).toEqual(holdingThree);
    // payments-prod-33's id starts with 3: listed, after the names.
    expect(three.slice(holdingThree.length)).toEqual(['payments-prod-33']);
    expect(three).not.toContain('payments-prod-2');
    expect(search(org, '33').listed).toEqual(['checkout-dev-33', 'checkout-prod-33', 'ledger-dev-33', 'ledger-prod-33', 'payments-prod-33', 'pricing-dev-33', 'pricing-prod-33']);
    expect(search(org, '1234').listed).toEqual(['payments-prod-2']);
    expect(search(org, '1234-5678-9012').listed).toEqual(['payments-prod-2']);
    expect(search(org, '5678').listed).toEqual([]);
    expect(search(org, 'prod-3').listed).toEqual(['checkout-prod-3', 'ledger-prod-3', 'payments-prod-3', 'pricing-prod-3']);
  });

  it('marks a number only where it matches', () => {
    expect(highlightRanges('123456789012', ['3'])).toEqual([]);
    expect(highlightRanges('123456789012', ['1234'])).toEqual([[0, 4]]);
    expect(highlightRanges('payments-prod-33', ['3'])).toEqual([]);
    expect(highlightRanges('payments-prod-3', ['3'])).toEqual([[14, 15]]);
    expect(highlightRanges('aws+payments-prod-3@example.com', ['prod-3'])).toEqual([[13, 19]]);
  });

  it('Enter opens nothing when the query does not name one role of one account', () => {
    // Two payments accounts with a 3 and an admin role: named alike.
    expect(search(org, 'payments 3 admin').enter).toBeNull();
    expect(search(org, 'payments 3 admin').listed).toContain('payments-prod-3');
    // Two words, two roles.
    expect(search(org, 'payments prod 3 admin read').enter).toBeNull();
    expect(search(org, 'payments prod 3 admin read').listed).toEqual(['payments-prod-3']);
    // Two roles score alike.
    expect(search(org, 'ledger dev admin').enter).toBeNull();
    expect(search(org, 'ledger dev database').enter).toBe('ledger-dev / DatabaseAdministrator');
    // Only the account, or only a role.
    expect(search(org, 'payments prod 3').enter).toBeNull();
    expect(search(org, 'admin').enter).toBeNull();
  });

  it('while roles load, the account the query names stays listed, and Enter waits for its roles', () => {
    const loading = organisation([
      { account: named('123456789012', 'payments-prod-2'), roles: ['DatabaseAdministrator'] },
      { account: named('210987654321', 'payments-prod-3'), roles: null },
      { account: named('400000000003', 'payments-dev-3'), roles: null },
      ...background,
    ]);
    const found = search(loading, 'payments prod 3 admin');
    expect(found.listed).toEqual(['payments-prod-3']);
    expect(found.enter).toBeNull();
    // Each other word must match a role some loaded account has: `sysadmin` matches none.
    expect(search(loading, 'payments prod 3 sysadmin').listed).toEqual([]);
    // The account must match a word itself: a role alone does not list it.
    expect(search(loading, 'admin').listed).not.toContain('payments-prod-3');
  });
});

/** Account words and role names that share no word or prefix, so a query built from them names one account. */
const TEAMS = ['payments', 'ledger', 'checkout', 'identity', 'fraud', 'pricing', 'loyalty', 'catalog'];
const ENVIRONMENTS = ['prod', 'staging', 'dev', 'qa'];
const ROLES = ['AdministratorAccess', 'ReadOnlyAccess', 'PowerUserAccess', 'DatabaseAdministrator', 'NetworkAdministrator', 'ViewOnlyAccess', 'SupportUser', 'SecurityAudit'];

interface Generated {
  org: Org;
  accounts: { accountId: string; accountName: string; words: string[]; roles: string[] | null }[];
}

const generatedOrg: fc.Arbitrary<Generated> = fc
  .uniqueArray(
    fc.record({
      team: fc.constantFrom(...TEAMS),
      env: fc.constantFrom(...ENVIRONMENTS),
      number: fc.option(fc.integer({ min: 1, max: 40 }), { nil: undefined }),
    }),
    { minLength: 2, maxLength: 40, selector: ({ team, env, number }) => `${team}-${env}-${number ?? ''}` },
  )
  .chain((names) =>
    fc.tuple(
      fc.constant(names),
      fc.uniqueArray(fc.bigInt({ min: 100_000_000_000n, max: 999_999_999_999n }).map(String), { minLength: names.length, maxLength: names.length }),
      fc.array(fc.option(fc.subarray(ROLES, { minLength: 1, maxLength: 4 }), { nil: null, freq: 4 }), { minLength: names.length, maxLength: names.length }),
    ),
  )
  .map(([names, ids, roleLists]) => {
    const accounts = names.map(({ team, env, number }, index) => {
      const words = number === undefined ? [team, env] : [team, env, String(number)];
      return { accountId: ids[index] ?? '', accountName: words.join('-'), words, roles: roleLists[index] ?? null };
    });
    return { accounts, org: organisation(accounts.map((account) => ({ account: named(account.accountId, account.accountName), roles: account.roles }))) };
  });

/** Whether no other account's name holds every one of `words` (then they still name the account). */
const stillNames = (generated: Generated, accountId: string, words: readonly string[]) =>
  generated.accounts.every((other) => other.accountId === accountId || !words.every((word) => other.words.includes(word)));

describe('properties over generated organisations', () => {
  it('a number finds exactly the names holding it as a whole number and the ids starting with it, whole numbers first', () => {
    fc.assert(
      fc.property(
        generatedOrg,
        fc.oneof(fc.integer({ min: 1, max: 40 }).map(String), fc.tuple(fc.nat(), fc.integer({ min: 1, max: 12 }))),
        ({ org, accounts }, choice) => {
          const number = typeof choice === 'string' ? choice : (accounts[choice[0] % accounts.length]?.accountId ?? '').slice(0, choice[1]);
          const inName = accounts.filter((account) => account.words.includes(number)).map((account) => account.accountId);
          const byId = accounts.filter((account) => account.accountId.startsWith(number) && !inName.includes(account.accountId)).map((account) => account.accountId);
          const found = filterAccounts(org.order, org.entries, parseQuery(number));
          expect(new Set(found)).toEqual(new Set([...inName, ...byId]));
          expect(found.slice(0, inName.length).sort()).toEqual([...inName].sort());
        },
      ),
      { numRuns: 500 },
    );
  });

  it('no query built from an account’s words and a role’s word ever acts on another account', () => {
    fc.assert(
      fc.property(
        generatedOrg,
        fc.nat(),
        fc.nat(),
        fc.constantFrom('whole', 'word', 'prefix'),
        fc.nat(),
        fc.boolean(),
        (generated, pick, rolePick, roleForm, seed, byId) => {
          const { org, accounts } = generated;
          const account = accounts[pick % accounts.length]!;
          const roleName = ROLES[rolePick % ROLES.length]!;
          const roleChoices = account.roles ?? ROLES;
          const role = roleChoices.includes(roleName) ? roleName : roleChoices[0]!;
          // Any subset of the name's words (in any order) that still names the account, or its id.
          const subset = account.words.filter((_, index) => (seed >> index) & 1);
          const words = byId ? [account.accountId] : subset.length > 0 && stillNames(generated, account.accountId, subset) ? subset : account.words;
          const roleWordList = role.split(/(?=[A-Z])/).map((word) => word.toLowerCase());
          const roleToken =
            roleForm === 'whole' ? role.toLowerCase() : roleForm === 'word' ? roleWordList[seed % roleWordList.length]! : role.toLowerCase().slice(0, 3 + (seed % 4));
          const tokens = [...words, roleToken];
          const rotated = [...tokens.slice(seed % tokens.length), ...tokens.slice(0, seed % tokens.length)];
          const query = rotated.join(' ');

          const parsed = parseQuery(query);
          const matched = filterAccounts(org.order, org.entries, parsed);
          const target = enterTarget(matched, org.entries, parsed);
          if (target !== null) expect(target.accountId, query).toBe(account.accountId);
          if (account.roles !== null) {
            expect(matched[0], query).toBe(account.accountId);
            // The terminal's picker: its first row is a role of that account.
            expect(findRoles(org.order, org.entries, parsed)[0]?.accountId, query).toBe(account.accountId);
          } else {
            expect(target, query).toBeNull();
          }
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('every word of the name plus a role’s whole name opens that role', () => {
    fc.assert(
      fc.property(generatedOrg, fc.nat(), fc.nat(), fc.boolean(), ({ org, accounts }, pick, rolePick, roleFirst) => {
        const account = accounts.find((candidate, index) => index >= pick % accounts.length && candidate.roles !== null) ?? accounts.find((candidate) => candidate.roles !== null);
        fc.pre(account !== undefined);
        const role = account!.roles![rolePick % account!.roles!.length]!;
        const query = roleFirst ? `${role} ${account!.words.join(' ')}` : `${account!.accountName} ${role}`;
        const tokens = parseQuery(query);
        expect(enterTarget(filterAccounts(org.order, org.entries, tokens), org.entries, tokens), query).toEqual({ accountId: account!.accountId, roleName: role });
      }),
      { numRuns: 1_000 },
    );
  });
});
