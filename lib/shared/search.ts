/**
 * Search over the listing, for the accounts page and the `gatehouse` command's picker alike: what is
 * searched, the query's tokens, what matches them, in which order, and what Enter may open. The one
 * place these rules live, so the page and the terminal always find the same roles. How one word meets
 * one text (typos, whole numbers, highlighting) is lib/shared/search-words. Pure functions, no zod:
 * the browser and the command's bundle import this module.
 */

import { holdsAsTyped, holdsWholeWords, isNumber, mayBeNear, nearAny, roleWords, wordsOf } from './search-words';

export { highlightRanges, nearWordStart, typoBudget } from './search-words';

/** The fields of an account that search reads. */
export interface SearchableAccount {
  accountId: string;
  accountName: string;
  emailAddress: string;
  nickname?: string;
}

/** One account as search sees it (the accounts page's AccountEntry is one). */
export interface SearchEntry {
  /** Role names in listing order (see sortedRoles); null until they arrive. */
  readonly roles: readonly string[] | null;
  /** accountSearchText of the account. */
  readonly accountText: string;
  /** roleSearchText of `roles`, aligned with them. */
  readonly roleText: readonly string[];
}

/** What a query is matched against for an account: lowercased `name \n id \n email \n nickname`. */
export function accountSearchText(account: SearchableAccount): string {
  return `${account.accountName}\n${account.accountId}\n${account.emailAddress}\n${account.nickname ?? ''}`.toLowerCase();
}

/** What a query is matched against for roles: each name lowercased, aligned with `roles`. */
export function roleSearchText(roles: readonly string[]): string[] {
  return roles.map((name) => name.toLowerCase());
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/** The listing's order: by account name (natural order: dev-2 before dev-10), then id. */
export function compareAccounts(a: SearchableAccount, b: SearchableAccount): number {
  return collator.compare(a.accountName, b.accountName) || a.accountId.localeCompare(b.accountId);
}

/** An account's roles in listing order: natural order, each once. */
export function sortedRoles(roles: readonly string[]): string[] {
  return [...new Set(roles)].sort(collator.compare);
}

/**
 * The search box's text as tokens: lowercased, split on white space, each of which must match
 * (account name, id, email or a role name). `1234-5678-9012` is read as an account id.
 */
export function parseQuery(query: string): string[] {
  const tokens = query
    .toLowerCase()
    .split(/\s+/)
    .filter((token) => token.length > 0)
    .map((token) => (/^[\d-]+$/.test(token) && /\d/.test(token) ? token.replace(/-/g, '') : token))
    .filter((token) => token.length > 0);
  return [...new Set(tokens)];
}


/** An account's fields and words, worked out once per account, each when a search first needs it. */
class AccountWords {
  readonly id: string;
  /** Name and nickname: where whole words name the account. */
  readonly nameText: string;
  private readonly name: string;
  private readonly nickname: string;
  private allWords: string[] | undefined;
  private naming: [string[], string[]] | undefined;

  constructor(private readonly accountText: string) {
    const [name = '', id = '', , nickname = ''] = accountText.split('\n');
    this.id = id;
    this.name = name;
    this.nickname = nickname;
    this.nameText = `${name}\n${nickname}`;
  }

  /** Every word of its name, id, email and nickname: what a typo is compared with. */
  get all(): string[] {
    return (this.allWords ??= wordsOf(this.accountText));
  }

  /** The words of its name, and of its nickname. */
  get nameAndNickname(): [string[], string[]] {
    return (this.naming ??= [wordsOf(this.name), wordsOf(this.nickname)]);
  }
}

/** By accountText: an entry is replaced when its roles arrive, its words stay. */
const accountWordsMemo = new Map<string, AccountWords>();
const MEMO_ACCOUNTS = 50_000;

function wordsOfAccount(entry: SearchEntry): AccountWords {
  let words = accountWordsMemo.get(entry.accountText);
  if (!words) {
    words = new AccountWords(entry.accountText);
    if (accountWordsMemo.size >= MEMO_ACCOUNTS) accountWordsMemo.clear();
    accountWordsMemo.set(entry.accountText, words);
  }
  return words;
}

/** How a token matches: 2 as typed, 1 with a typo, 0 not at all. */
type Match = 0 | 1 | 2;

/** A token against the account's own fields: a number only as a whole number, or the start of its id. */
function accountMatch(entry: SearchEntry, token: string): Match {
  // The id is the second line of accountText.
  if (isNumber(token)) return entry.accountText.startsWith(token, entry.accountText.indexOf('\n') + 1) || holdsAsTyped(entry.accountText, token) ? 2 : 0;
  if (holdsAsTyped(entry.accountText, token)) return 2;
  return mayBeNear(token, entry.accountText) && nearAny(token, wordsOfAccount(entry).all) ? 1 : 0;
}

function roleNameMatch(roleName: string, roleText: string, token: string): Match {
  if (holdsAsTyped(roleText, token)) return 2;
  return mayBeNear(token, roleText) && nearAny(token, roleWords(roleName)) ? 1 : 0;
}

function roleMatch(entry: SearchEntry, index: number, token: string): Match {
  return roleNameMatch(entry.roles?.[index] ?? '', entry.roleText[index] ?? '', token);
}

/**
 * A token that is whole words of the account's name or nickname (`prod`, `3`, `payments-prod`: from
 * a word's start to a word's end), or its id.
 */
function namesWholly(entry: SearchEntry, token: string): boolean {
  const words = wordsOfAccount(entry);
  return token === words.id || holdsWholeWords(words.nameText, token);
}

/** Whether a token matches a role name some account with known roles has: worked out once per token per search. */
type KnownRoleMatch = (token: string) => Match;

function knownRoleMatcher(entries: ReadonlyMap<string, SearchEntry>): KnownRoleMatch {
  let names: Map<string, string> | undefined;
  const answers = new Map<string, Match>();
  return (token) => {
    let answer = answers.get(token);
    if (answer === undefined) {
      if (!names) {
        names = new Map();
        for (const entry of entries.values()) for (const name of entry.roles ?? []) if (!names.has(name)) names.set(name, name.toLowerCase());
      }
      answer = 0;
      for (const [name, text] of names) {
        const match = roleNameMatch(name, text, token);
        if (match > answer) answer = match;
        if (answer === 2) break;
      }
      answers.set(token, answer);
    }
    return answer;
  };
}

/** How well a matching account is named: the ranking's criteria, best first. */
interface Judgement {
  /** Tokens that are whole words of its name or nickname, or its id. */
  whole: number;
  /** The query names every word of its name (or nickname, or its id) and matches none of its words only in part. */
  exact: boolean;
  /** Every token matches as typed. */
  typed: boolean;
  /** Its roles are known (not still loading). */
  known: boolean;
  /** Tokens its own fields (name, id, email, nickname) match. */
  own: number;
}

/**
 * Whether an account matches every token, and how well: each token matches the account (see
 * accountMatch) or one of its roles. An account whose roles are still loading matches when it
 * matches a token itself and every other token matches a role some loaded account has.
 */
function judge(entry: SearchEntry, tokens: readonly string[], knownRole: KnownRoleMatch): Judgement | null {
  let whole = 0;
  let own = 0;
  let typed = true;
  let partly = false;
  for (const token of tokens) {
    const match = accountMatch(entry, token);
    if (match > 0) {
      own += 1;
      if (match === 1) typed = false;
      if (namesWholly(entry, token)) whole += 1;
      else partly = true;
      continue;
    }
    let best: Match = 0;
    if (entry.roles === null) best = knownRole(token);
    else for (let index = 0; index < entry.roles.length && best < 2; index++) best = Math.max(best, roleMatch(entry, index, token)) as Match;
    if (best === 0) return null;
    if (best === 1) typed = false;
  }
  if (entry.roles === null && own === 0) return null;
  let exact = false;
  if (!partly && whole > 0) {
    const words = wordsOfAccount(entry);
    // A token may hold several of its words (`payments-prod`).
    const tokenWords = new Set(tokens.flatMap(wordsOf));
    const named = (list: readonly string[]) => list.length > 0 && list.every((word) => tokenWords.has(word));
    const [nameWords, nicknameWords] = words.nameAndNickname;
    exact = named(nameWords) || named(nicknameWords) || tokens.includes(words.id);
  }
  return { whole, exact, typed, known: entry.roles !== null, own };
}

/** The ranking's first three criteria as one number, bigger first. */
const head = (judgement: Judgement): number => (judgement.whole * 2 + (judgement.exact ? 1 : 0)) * 2 + (judgement.typed ? 1 : 0);

/** The ranking's criteria as one number, bigger first; without `known`, how well the query names the account. */
function score(judgement: Judgement, tokens: number, withKnown = true): number {
  return (head(judgement) * 2 + (withKnown && judgement.known ? 1 : 0)) * (tokens + 1) + judgement.own;
}

/**
 * The matcher of one search, for the full list and the Favorites group alike: 0 when the account does
 * not match (see judge), 2 when every token matches as typed, 1 when some only with a typo.
 */
export function accountMatcher(entries: ReadonlyMap<string, SearchEntry>, tokens: readonly string[]): (entry: SearchEntry) => Match {
  const knownRole = knownRoleMatcher(entries);
  return (entry) => {
    if (tokens.length === 0) return 2;
    const judgement = judge(entry, tokens, knownRole);
    return judgement === null ? 0 : judgement.typed ? 2 : 1;
  };
}

/** One role of an account, as the Favorites and Recent groups list it. */
export function roleMatches(entry: SearchEntry, roleName: string, tokens: readonly string[]): boolean {
  if (tokens.length === 0) return true;
  const role = roleName.toLowerCase();
  return tokens.every((token) => accountMatch(entry, token) > 0 || roleNameMatch(roleName, role, token) > 0);
}

/**
 * The accounts that match, best first, in one pass: 1) the most tokens that are whole words of the
 * account's name or nickname, or its id (`3` names payments-prod-3, not an id holding a 3); 2) the
 * query names it exactly; 3) every token as typed, before typos; 4) roles known, before those still
 * loading; 5) the most tokens its own fields match; else in list order.
 */
export function filterAccounts(order: readonly string[], entries: ReadonlyMap<string, SearchEntry>, tokens: readonly string[]): readonly string[] {
  if (tokens.length === 0) return order;
  const knownRole = knownRoleMatcher(entries);
  const ranked: { id: string; rank: number }[] = [];
  let reordered = false;
  for (const id of order) {
    const entry = entries.get(id);
    const judgement = entry ? judge(entry, tokens, knownRole) : null;
    if (!judgement) continue;
    const rank = score(judgement, tokens.length);
    const last = ranked[ranked.length - 1];
    if (last && last.rank < rank) reordered = true;
    ranked.push({ id, rank });
  }
  // A stable sort keeps list order among equals.
  if (reordered) ranked.sort((x, y) => y.rank - x.rank);
  return ranked.map((item) => item.id);
}

/**
 * The role a query names along with the account (`payments prod admin`): the tokens the account does
 * not match must all match it; the best such role matches most of them as typed, and at the start of
 * its name. `unique` when no other role of the account scores as well.
 */
function namedRole(entry: SearchEntry, tokens: readonly string[]): { roleName: string; unique: boolean } | null {
  const roles = entry.roles;
  if (!roles || roles.length === 0 || tokens.length < 2) return null;
  const roleTokens = tokens.filter((token) => accountMatch(entry, token) === 0);
  if (roleTokens.length === 0 || roleTokens.length === tokens.length) return null;
  let best: string | null = null;
  let bestScore = 0;
  let unique = false;
  roles.forEach((roleName, index) => {
    let roleScore = 0;
    for (const token of roleTokens) {
      const match = roleMatch(entry, index, token);
      if (match === 0) return;
      roleScore += match * 2 + ((entry.roleText[index] ?? '').startsWith(token) ? 1 : 0);
    }
    if (roleScore > bestScore) {
      best = roleName;
      bestScore = roleScore;
      unique = true;
    } else if (roleScore === bestScore) unique = false;
  });
  return best === null ? null : { roleName: best, unique };
}

/** The role a query names along with the account, the first of the best when several score alike; null when none. */
export function bestRole(entry: SearchEntry, tokens: readonly string[]): string | null {
  return namedRole(entry, tokens)?.roleName ?? null;
}

/** One role a query finds, with its account. */
export interface FoundRole {
  accountId: string;
  roleName: string;
}

/**
 * What Enter in the search box may open, with no guessing: the first result's role when every token
 * matches that account or that one role (at least one each), no other role of it scores as well, and
 * no other result is named as well by the query (`payments admin` over several payments accounts
 * opens nothing). Null otherwise: Enter then only moves into the results.
 */
export function enterTarget(matched: readonly string[], entries: ReadonlyMap<string, SearchEntry>, tokens: readonly string[]): FoundRole | null {
  const accountId = matched[0];
  const top = accountId === undefined ? undefined : entries.get(accountId);
  if (accountId === undefined || !top?.roles || tokens.length < 2) return null;
  const role = namedRole(top, tokens);
  if (!role?.unique) return null;
  const knownRole = knownRoleMatcher(entries);
  const topJudgement = judge(top, tokens, knownRole);
  if (!topJudgement) return null;
  const named = score(topJudgement, tokens.length, false);
  for (const id of matched.slice(1)) {
    const other = entries.get(id);
    const judgement = other ? judge(other, tokens, knownRole) : null;
    if (!judgement) continue;
    const otherNamed = score(judgement, tokens.length, false);
    if (otherNamed === named) return null;
    // Ranked: once the criteria before `known` are worse, so are every later result's.
    if (head(judgement) < head(topJudgement)) break;
  }
  return { accountId, roleName: role.roleName };
}

/** Role names with those matching a token first (both groups keep their order). */
export function rolesMatchingFirst(entry: SearchEntry, tokens: readonly string[]): { name: string; hit: boolean }[] {
  const roles = entry.roles ?? [];
  if (tokens.length === 0) return roles.map((name) => ({ name, hit: false }));
  const hits: { name: string; hit: boolean }[] = [];
  const rest: { name: string; hit: boolean }[] = [];
  roles.forEach((name, index) => {
    if (tokens.some((token) => roleMatch(entry, index, token) > 0)) hits.push({ name, hit: true });
    else rest.push({ name, hit: false });
  });
  return [...hits, ...rest];
}

/**
 * The roles a query finds, best first: the accounts in filterAccounts' order, and in each the roles
 * the query names (all of them when it names only the account; roleMatches, as the page's Favorites
 * and Recent groups list a role), the best of them (bestRole) first. What the terminal's picker lists.
 */
export function findRoles(order: readonly string[], entries: ReadonlyMap<string, SearchEntry>, tokens: readonly string[]): FoundRole[] {
  const found: FoundRole[] = [];
  for (const accountId of filterAccounts(order, entries, tokens)) {
    const entry = entries.get(accountId);
    if (!entry?.roles) continue;
    const best = bestRole(entry, tokens);
    const roles = entry.roles.filter((roleName) => roleMatches(entry, roleName, tokens));
    if (best !== null && roles.includes(best)) found.push({ accountId, roleName: best });
    for (const roleName of roles) if (roleName !== best) found.push({ accountId, roleName });
  }
  return found;
}
