import type { AccountEntry } from './listing-state';

/** Search over the listing: the query's tokens, what matches them, and where in a text they match. Pure functions. */

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

export function entryMatches(entry: AccountEntry, tokens: readonly string[]): boolean {
  for (const token of tokens) {
    if (entry.accountText.includes(token)) continue;
    if (entry.roleText.some((role) => role.includes(token))) continue;
    return false;
  }
  return true;
}

/** One role of an account, as the Favorites and Recent groups list it. */
export function roleMatches(entry: AccountEntry, roleName: string, tokens: readonly string[]): boolean {
  if (tokens.length === 0) return true;
  const role = roleName.toLowerCase();
  return tokens.every((token) => entry.accountText.includes(token) || role.includes(token));
}

export function filterAccounts(order: readonly string[], entries: ReadonlyMap<string, AccountEntry>, tokens: readonly string[]): readonly string[] {
  if (tokens.length === 0) return order;
  const matched: string[] = [];
  for (const id of order) {
    const entry = entries.get(id);
    if (entry && entryMatches(entry, tokens)) matched.push(id);
  }
  return matched;
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
export function rolesMatchingFirst(entry: AccountEntry, tokens: readonly string[]): { name: string; hit: boolean }[] {
  const roles = entry.roles ?? [];
  if (tokens.length === 0) return roles.map((name) => ({ name, hit: false }));
  const hits: { name: string; hit: boolean }[] = [];
  const rest: { name: string; hit: boolean }[] = [];
  roles.forEach((name, index) => {
    const lower = entry.roleText[index] ?? name.toLowerCase();
    if (tokens.some((token) => lower.includes(token))) hits.push({ name, hit: true });
    else rest.push({ name, hit: false });
  });
  return [...hits, ...rest];
}
