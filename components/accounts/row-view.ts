import type { FavoriteChange } from '@/lib/shared/accounts';

import type { NavTarget } from './nav';

/** What a row of the results can ask of the page. */
export interface RowActions {
  toggleExpanded: (accountId: string) => void;
  star: (change: FavoriteChange, label: string) => void;
  retryRoles: (accountId: string) => void;
  /** Opens the role's keys dialog; focus goes back to `opener` when it closes. */
  openKeys: (accountId: string, roleName: string, opener: HTMLElement) => void;
}

/** What every row of the results is shown with: the search, which accounts are open, the stars, the tab stop. */
export interface RowView {
  tokens: readonly string[];
  expanded: ReadonlySet<string>;
  /** Accounts whose roles are being fetched on demand. */
  fetching: ReadonlySet<string>;
  /** Starred roles, `accountId/roleName`. */
  starredRoles: ReadonlySet<string>;
  tabStop: NavTarget | null;
  /** The role the search names (Enter in the search box opens its keys), if any. */
  suggested: NavTarget | null;
  actions: RowActions;
  /** One line per account in the full list (the compact view). */
  compact: boolean;
}
