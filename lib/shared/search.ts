/**
 * Search over the listing, for the accounts page and the `gatehouse` command's picker alike: what is
 * searched, the query's tokens, what matches them (typos included), in which order, and where in a
 * text they match. The one place these rules live, so the page and the terminal always find the same
 * roles. Pure functions, no zod: the browser and the command's bundle import this module.
 */

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

/** Edits a token may be away from a word and still match it (a typo): none for short tokens, numbers or punctuation. */
export function typoBudget(token: string): number {
  if (token.length < 5 || /[^\p{L}]/u.test(token)) return 0;
  return token.length < 10 ? 1 : 2;
}

/**
 * Whether `token` is within `budget` edits (insert, delete, substitute, swap two neighbours) of the
 * start of `word`: `anlytics` and `analitycs` find `analytics`, and so does `anlyt` while typing.
 * Stops as soon as no alignment can stay within the budget.
 */
export function nearWordStart(token: string, word: string, budget: number): boolean {
  if (budget === 0 || word.length < token.length - budget || token.length < 2) return false;
  // With one edit, one of the first two letters lines up (most words fail here, cheaply).
  if (budget === 1 && token[0] !== word[0] && token[1] !== word[1] && token[1] !== word[0] && token[0] !== word[1]) return false;
  const width = word.length + 1;
  let before = new Array<number>(width).fill(0);
  let previous = Array.from({ length: width }, (_, j) => j);
  let current = new Array<number>(width);
  for (let i = 1; i <= token.length; i++) {
    current[0] = i;
    let best = i;
    for (let j = 1; j < width; j++) {
      const cost = token[i - 1] === word[j - 1] ? 0 : 1;
      let value = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && token[i - 1] === word[j - 2] && token[i - 2] === word[j - 1]) value = Math.min(value, (before[j - 2] ?? 0) + 1);
      current[j] = value;
      if (value < best) best = value;
    }
    if (best > budget) return false;
    [before, previous, current] = [previous, current, before];
  }
  // Any prefix of the word, as long as it is not much shorter than the token.
  for (let j = Math.max(1, token.length - budget); j < width; j++) if ((previous[j] ?? budget + 1) <= budget) return true;
  return false;
}

/** The words of a lowercased text (split at anything not a letter or digit), for typo matching. */
const wordsOf = (text: string): string[] => text.split(/[^\p{L}\p{N}]+/u).filter((word) => word.length > 0);

interface EntryWords {
  account: string[];
  roles: string[][];
}
const entryWords = new WeakMap<SearchEntry, EntryWords>();

function wordsOfEntry(entry: SearchEntry): EntryWords {
  let words = entryWords.get(entry);
  if (!words) {
    words = {
      account: wordsOf(entry.accountText),
      roles: entry.roles ? entry.roles.map(roleWords) : [],
    };
    entryWords.set(entry, words);
  }
  return words;
}

/** Role names recur across accounts: their words are worked out once. */
const roleWordsMemo = new Map<string, string[]>();

/** A role name's words, its CamelCase parts included (`DeveloperAccess`: developeraccess, developer, access). */
function roleWords(roleName: string): string[] {
  let words = roleWordsMemo.get(roleName);
  if (!words) {
    const parts = roleName.split(/(?<=[a-z0-9])(?=[A-Z])|[^\p{L}\p{N}]+/u).map((part) => part.toLowerCase());
    words = [...new Set([...wordsOf(roleName.toLowerCase()), ...parts])].filter((word) => word.length > 0);
    roleWordsMemo.set(roleName, words);
  }
  return words;
}

/**
 * Pieces of a token of which a text must hold one (as typed) to hold a word within `budget` edits of
 * it, as lists that must all appear: `includes` says so far faster than comparing words. One edit
 * leaves a half of the token intact, or (a swap across the middle) both halves but for the letters
 * swapped; with two edits, one of five pieces is intact.
 */
function pieces(token: string, budget: number): string[][] {
  if (budget === 1) {
    const half = Math.floor(token.length / 2);
    return [[token.slice(0, half)], [token.slice(half)], [token.slice(0, half - 1), token.slice(half + 1)]];
  }
  const size = Math.ceil(token.length / (budget * 2 + 1));
  const result: string[][] = [];
  for (let at = 0; at < token.length; at += size) result.push([token.slice(at, at + size)]);
  return result;
}

/**
 * Typo matches of the tokens searched lately, by word: the same words (role names, email domains,
 * environments) recur across thousands of accounts, so each is compared once per token.
 */
const nearMemo = new Map<string, { pieces: string[][]; words: Map<string, boolean> }>();
const MEMO_TOKENS = 32;

function memoOf(token: string, budget: number): { pieces: string[][]; words: Map<string, boolean> } {
  let memo = nearMemo.get(token);
  if (!memo) {
    if (nearMemo.size >= MEMO_TOKENS) nearMemo.clear();
    memo = { pieces: pieces(token, budget), words: new Map() };
    nearMemo.set(token, memo);
  }
  return memo;
}

/** Whether `text` may hold a word near `token` (see `pieces`); false means it certainly does not. */
function mayBeNear(token: string, text: string): boolean {
  const budget = typoBudget(token);
  return budget > 0 && memoOf(token, budget).pieces.some((all) => all.every((piece) => text.includes(piece)));
}

const near = (token: string, words: readonly string[]) => {
  const budget = typoBudget(token);
  if (budget === 0) return false;
  const memo = memoOf(token, budget).words;
  for (const word of words) {
    let hit = memo.get(word);
    if (hit === undefined) {
      hit = nearWordStart(token, word, budget);
      memo.set(word, hit);
    }
    if (hit) return true;
  }
  return false;
};

/** How a token matches: 2 as typed, 1 with a typo, 0 not at all. */
type Match = 0 | 1 | 2;

function accountMatch(entry: SearchEntry, token: string): Match {
  if (entry.accountText.includes(token)) return 2;
  return mayBeNear(token, entry.accountText) && near(token, wordsOfEntry(entry).account) ? 1 : 0;
}

function roleMatch(entry: SearchEntry, index: number, token: string): Match {
  const role = entry.roleText[index] ?? '';
  if (role.includes(token)) return 2;
  if (!mayBeNear(token, role)) return 0;
  const words = wordsOfEntry(entry).roles[index];
  return words && near(token, words) ? 1 : 0;
}

/** 2: every token matches as typed; 1: some only with a typo; 0: the account does not match. */
export function entryMatch(entry: SearchEntry, tokens: readonly string[]): Match {
  let result: Match = 2;
  for (const token of tokens) {
    if (entry.accountText.includes(token) || entry.roleText.some((role) => role.includes(token))) continue;
    if (!mayBeNear(token, entry.accountText) && !entry.roleText.some((role) => mayBeNear(token, role))) return 0;
    const words = wordsOfEntry(entry);
    if (!near(token, words.account) && !words.roles.some((roleWordList) => near(token, roleWordList))) return 0;
    result = 1;
  }
  return result;
}

export function entryMatches(entry: SearchEntry, tokens: readonly string[]): boolean {
  return entryMatch(entry, tokens) > 0;
}

/** One role of an account, as the Favorites and Recent groups list it. */
export function roleMatches(entry: SearchEntry, roleName: string, tokens: readonly string[]): boolean {
  if (tokens.length === 0) return true;
  const index = entry.roles?.indexOf(roleName) ?? -1;
  const role = roleName.toLowerCase();
  return tokens.every(
    (token) =>
      accountMatch(entry, token) > 0 ||
      role.includes(token) ||
      (index >= 0 ? roleMatch(entry, index, token) > 0 : mayBeNear(token, role) && near(token, roleWords(roleName))),
  );
}

/**
 * The accounts that match, best first: those matching as typed before those matching only with a
 * typo; then, when the query has several words, those whose own name, id or email matches more of
 * them (`analytics dev developer` puts analytics-dev before analytics-staging); else in list order.
 */
export function filterAccounts(order: readonly string[], entries: ReadonlyMap<string, SearchEntry>, tokens: readonly string[]): readonly string[] {
  if (tokens.length === 0) return order;
  const ranked: { id: string; rank: number }[] = [];
  let reordered = false;
  for (const id of order) {
    const entry = entries.get(id);
    const match = entry ? entryMatch(entry, tokens) : 0;
    if (!entry || match === 0) continue;
    let rank = match * (tokens.length + 1);
    if (tokens.length > 1) for (const token of tokens) if (entry.accountText.includes(token)) rank += 1;
    const last = ranked[ranked.length - 1];
    if (last && last.rank < rank) reordered = true;
    ranked.push({ id, rank });
  }
  // A stable sort keeps list order among equals.
  if (reordered) ranked.sort((x, y) => y.rank - x.rank);
  return ranked.map((item) => item.id);
}

/**
 * The role a query names along with the account (`payments prod admin`): the tokens the account
 * does not match must all match one of its roles; the best such role matches most of them as typed,
 * and at the start of its name. Null when the query does not name both.
 */
export function bestRole(entry: SearchEntry, tokens: readonly string[]): string | null {
  const roles = entry.roles;
  if (!roles || roles.length === 0 || tokens.length < 2) return null;
  const roleTokens = tokens.filter((token) => accountMatch(entry, token) === 0);
  if (roleTokens.length === 0 || roleTokens.length === tokens.length) return null;
  let best: string | null = null;
  let bestScore = 0;
  roles.forEach((roleName, index) => {
    let score = 0;
    for (const token of roleTokens) {
      const match = roleMatch(entry, index, token);
      if (match === 0) return;
      score += match * 2 + ((entry.roleText[index] ?? '').startsWith(token) ? 1 : 0);
    }
    if (score > bestScore) {
      best = roleName;
      bestScore = score;
    }
  });
  return best;
}

/** Ranges `[start, end)` of `text` that match any token, merged, in order. */
export function highlightRanges(text: string, tokens: readonly string[]): [number, number][] {
  if (tokens.length === 0 || text.length === 0) return [];
  const lower = text.toLowerCase();
  // Lowercasing can change the length of some characters; then the offsets would not line up.
  if (lower.length !== text.length) return [];
  const ranges: [number, number][] = [];
  for (const token of tokens) {
    let from = 0;
    for (;;) {
      const at = lower.indexOf(token, from);
      if (at < 0) break;
      ranges.push([at, at + token.length]);
      from = at + 1;
    }
  }
  ranges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: [number, number][] = [];
  for (const range of ranges) {
    const last = merged[merged.length - 1];
    if (last && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
    else merged.push([range[0], range[1]]);
  }
  return merged;
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

/** One role a query finds, with its account. */
export interface FoundRole {
  accountId: string;
  roleName: string;
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
