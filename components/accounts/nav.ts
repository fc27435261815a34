/**
 * Keyboard navigation through the results: every account row and every visible role row is a stop,
 * in page order (Favorites, Recent, All accounts). One of them is the list's tab stop (roving tab
 * index); arrow keys move it.
 */

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
