/**
 * Keyboard navigation through the results: every account row and every visible role row is a stop,
 * in page order (Favorites, Recent, All accounts). One of them is the list's tab stop (roving tab
 * index); arrow keys move it. Pure functions over what the page shows; the hook is use-keyboard-nav.
 */

import type { AccountEntry } from './listing-state';
import type { PinnedGroups, RoleItem } from './use-pinned-groups';

/** `fav`: a starred account; `favrole`: a starred role; `recent`: a recently used role; `all`: the full list. */
export type NavSection = 'fav' | 'favrole' | 'recent' | 'all';

export interface NavTarget {
  section: NavSection;
  accountId: string;
  /** A role row; absent for an account row. */
  roleName?: string;
}

/** The DOM id of a stop's focusable element (account ids are 12 digits, so keys cannot collide). */
export const navKey = (target: NavTarget): string =>
  target.roleName === undefined ? `nav-${target.section}-${target.accountId}` : `nav-${target.section}-${target.accountId}-${target.roleName}`;

/** Data attributes of the element that owns a stop (the account row, or the role row). */
export function navOwnerAttributes(target: NavTarget) {
  return {
    'data-nav-owner': navKey(target),
    'data-nav-section': target.section,
    'data-nav-account': target.accountId,
    'data-nav-role': target.roleName,
  } as const;
}

const SECTIONS: ReadonlySet<string> = new Set(['fav', 'favrole', 'recent', 'all']);

/** The stop that holds `element` (or one of its controls), read back from the owner's data attributes. */
export function navTargetOf(element: Element | null): NavTarget | undefined {
  const owner = element?.closest<HTMLElement>('[data-nav-owner]');
  if (!owner) return undefined;
  const { navSection, navAccount, navRole } = owner.dataset;
  if (!navSection || !SECTIONS.has(navSection) || !navAccount) return undefined;
  return { section: navSection as NavSection, accountId: navAccount, roleName: navRole };
}

export const sameTarget = (a: NavTarget | null | undefined, b: NavTarget | null | undefined): boolean =>
  !!a && !!b && a.section === b.section && a.accountId === b.accountId && a.roleName === b.roleName;

/** What the results show, in page order: the keyboard's map of the page. */
export interface ResultsLayout extends PinnedGroups {
  /** The full list's account ids after search. */
  matched: readonly string[];
  matchedIndex: ReadonlyMap<string, number>;
  expanded: ReadonlySet<string>;
  entries: ReadonlyMap<string, AccountEntry>;
}

const roleStop = (section: 'favrole' | 'recent', item: RoleItem): NavTarget => ({
  section,
  accountId: item.entry.account.accountId,
  roleName: item.roleName,
});

/** Every stop in page order: the keyboard's path through the results. */
export function navStops(layout: ResultsLayout): NavTarget[] {
  const stops: NavTarget[] = [];
  const withRoles = (section: 'fav' | 'all', accountId: string) => {
    stops.push({ section, accountId });
    const roles = layout.expanded.has(accountId) ? layout.entries.get(accountId)?.roles : undefined;
    for (const roleName of roles ?? []) stops.push({ section, accountId, roleName });
  };
  for (const item of layout.favoriteRoles) stops.push(roleStop('favrole', item));
  for (const id of layout.favoriteAccounts) withRoles('fav', id);
  for (const item of layout.recentRoles) stops.push(roleStop('recent', item));
  for (const id of layout.matched) withRoles('all', id);
  return stops;
}

/** The first stop on the page, where the keyboard enters the results. */
export function firstStop({ favoriteRoles, favoriteAccounts, recentRoles, matched }: ResultsLayout): NavTarget | null {
  if (favoriteRoles[0]) return roleStop('favrole', favoriteRoles[0]);
  if (favoriteAccounts[0]) return { section: 'fav', accountId: favoriteAccounts[0] };
  if (recentRoles[0]) return roleStop('recent', recentRoles[0]);
  return matched[0] ? { section: 'all', accountId: matched[0] } : null;
}

/** Whether a stop is on the page now (the active one may have been filtered away). */
export function isShown(target: NavTarget, layout: ResultsLayout): boolean {
  const { accountId, roleName } = target;
  const roleShown = () =>
    roleName === undefined || (layout.expanded.has(accountId) && (layout.entries.get(accountId)?.roles?.includes(roleName) ?? false));
  const listed = (items: readonly RoleItem[]) => items.some((item) => item.entry.account.accountId === accountId && item.roleName === roleName);
  switch (target.section) {
    case 'all':
      return layout.matchedIndex.has(accountId) && roleShown();
    case 'fav':
      return layout.favoriteAccounts.includes(accountId) && roleShown();
    case 'favrole':
      return listed(layout.favoriteRoles);
    case 'recent':
      return listed(layout.recentRoles);
  }
}

/** The tab stop's DOM id when it lies in this account's row (the account or one of its roles), else null. */
export function tabStopInRow(tabStop: NavTarget | null, section: 'fav' | 'all', accountId: string): string | null {
  return tabStop && tabStop.section === section && tabStop.accountId === accountId ? navKey(tabStop) : null;
}
