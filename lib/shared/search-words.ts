/**
 * How one search word meets one text, for lib/shared/search: as typed (a number only as a whole
 * number), one or two typos away, and where in a text it matches (highlighting). Pure functions, no
 * zod: the browser and the command's bundle import this module.
 */

/** Edits a token may be away from a word and still match it (a typo): none for short tokens, numbers or punctuation. */
export function typoBudget(token: string): number {
  if (token.length < 5 || /[^\p{L}]/u.test(token)) return 0;
  return token.length < 10 ? 1 : 2;
}

/** A token that is digits only: it matches whole numbers and the start of an account id. */
export const isNumber = (token: string): boolean => /^\d+$/.test(token);

const isDigit = (char: string | undefined): boolean => char !== undefined && char >= '0' && char <= '9';

/**
 * Where `token` occurs in `text` (both lowercased) as typed, from `from`: -1 when nowhere. Digits at
 * either end of the token must be a whole number there (`3` is not in `payments-prod-33` nor in an
 * id `123456789012`), so a number never matches a digit inside a longer number.
 */
export function indexAsTyped(text: string, token: string, from = 0): number {
  const digitStart = isDigit(token[0]);
  const digitEnd = isDigit(token[token.length - 1]);
  for (let at = text.indexOf(token, from); at >= 0; at = text.indexOf(token, at + 1)) {
    if (digitStart && isDigit(text[at - 1])) continue;
    if (digitEnd && isDigit(text[at + token.length])) continue;
    return at;
  }
  return -1;
}

/** Whether `text` holds `token` as typed (see indexAsTyped). */
export function holdsAsTyped(text: string, token: string): boolean {
  if (!text.includes(token)) return false;
  if (!isDigit(token[0]) && !isDigit(token[token.length - 1])) return true;
  return indexAsTyped(text, token) >= 0;
}

const isWordChar = (char: string | undefined): boolean => char !== undefined && /[\p{L}\p{N}]/u.test(char);

/** Whether `text` holds `token` from the start of a word to the end of one (`prod-3` in `payments-prod-3`, not in `prod-33`). */
export function holdsWholeWords(text: string, token: string): boolean {
  for (let at = text.indexOf(token); at >= 0; at = text.indexOf(token, at + 1)) {
    if (!isWordChar(text[at - 1]) && !isWordChar(text[at + token.length])) return true;
  }
  return false;
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

/** The words of a lowercased text (split at anything not a letter or digit). */
export const wordsOf = (text: string): string[] => text.split(/[^\p{L}\p{N}]+/u).filter((word) => word.length > 0);

/** Role names recur across accounts: their words are worked out once. */
const roleWordsMemo = new Map<string, string[]>();

/** A role name's words, its CamelCase parts included (`DeveloperAccess`: developeraccess, developer, access). */
export function roleWords(roleName: string): string[] {
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
export function mayBeNear(token: string, text: string): boolean {
  const budget = typoBudget(token);
  return budget > 0 && memoOf(token, budget).pieces.some((all) => all.every((piece) => text.includes(piece)));
}

/** Whether one of `words` starts within the typo budget of `token`. */
export function nearAny(token: string, words: readonly string[]): boolean {
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
}

/**
 * Ranges `[start, end)` of `text` that match any token as typed, merged, in order. A number is marked
 * where it is a whole number, and in an account id (12 digits) only at its start.
 */
export function highlightRanges(text: string, tokens: readonly string[]): [number, number][] {
  if (tokens.length === 0 || text.length === 0) return [];
  const lower = text.toLowerCase();
  // Lowercasing can change the length of some characters; then the offsets would not line up.
  if (lower.length !== text.length) return [];
  const accountId = /^\d{12}$/.test(text);
  const ranges: [number, number][] = [];
  for (const token of tokens) {
    if (accountId && isNumber(token)) {
      if (lower.startsWith(token)) ranges.push([0, token.length]);
      continue;
    }
    for (let at = indexAsTyped(lower, token); at >= 0; at = indexAsTyped(lower, token, at + 1)) ranges.push([at, at + token.length]);
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
