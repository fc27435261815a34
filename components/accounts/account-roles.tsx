import { KeyRound } from 'lucide-react';

import { Highlight } from './highlight';
import { type AccountEntry, roleKey } from './listing-state';
import { navKey, navOwnerAttributes, type NavSection } from './nav';
import { RoleActions } from './role-actions';
import { LoadingRoles } from './roles-status';
import type { RowActions } from './row-view';

/** One role under an open account: its name, its actions and its star. */
function RoleRow({
  section,
  accountId,
  accountName,
  roleName,
  tokens,
  starred,
  tabStop,
  suggested,
  actions,
}: {
  section: NavSection;
  accountId: string;
  accountName: string;
  roleName: string;
  tokens: readonly string[];
  starred: boolean;
  tabStop: string | null;
  /** The role the search names: marked, and Enter in the search box opens its keys. */
  suggested: boolean;
  actions: RowActions;
}) {
  const target = { section, accountId, roleName };
  const id = navKey(target);
  const tabIndex = tabStop === id ? 0 : -1;
  return (
    <li
      id={id}
      {...navOwnerAttributes(target)}
      tabIndex={tabIndex}
      aria-describedby={suggested ? 'suggested-role-hint' : undefined}
      className={`flex items-center gap-3 py-1.5 pl-9 pr-2 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-brand-600 sm:pl-10 sm:pr-3 ${
        suggested ? 'bg-brand-50 dark:bg-slate-800' : ''
      }`}
    >
      <KeyRound aria-hidden="true" className="size-4 shrink-0 text-slate-400 dark:text-slate-500" />
      <span className="min-w-0 flex-1 truncate text-sm font-medium">
        <Highlight text={roleName} tokens={tokens} />
        {suggested ? (
          <span id="suggested-role-hint" className="ml-2 text-xs font-normal text-slate-600 dark:text-slate-300">
            <kbd className="rounded border border-slate-300 px-1 font-mono dark:border-slate-600">Enter</kbd> in the search opens its keys
          </span>
        ) : null}
      </span>
      <RoleActions accountId={accountId} accountName={accountName} roleName={roleName} tabIndex={tabIndex} starred={starred} star={actions.star} openKeys={actions.openKeys} />
    </li>
  );
}

/** The roles of an open account (`id` is what its toggle controls): loading, none, or one row each. */
export function AccountRoles({
  id,
  entry,
  section,
  tokens,
  starredRoles,
  tabStop,
  suggestedRole = null,
  actions,
}: {
  id: string;
  entry: AccountEntry;
  section: 'fav' | 'all';
  tokens: readonly string[];
  starredRoles: ReadonlySet<string>;
  tabStop: string | null;
  suggestedRole?: string | null;
  actions: RowActions;
}) {
  const { accountId, accountName } = entry.account;
  if (entry.roles === null) {
    return (
      <div className="border-t border-slate-100 py-2.5 dark:border-slate-800">
        <LoadingRoles id={id} indent="pl-10" />
      </div>
    );
  }
  if (entry.roles.length === 0) {
    return (
      <p id={id} className="border-t border-slate-100 py-2.5 pl-10 text-sm text-slate-500 dark:border-slate-800 dark:text-slate-400">
        No roles in this account.
      </p>
    );
  }
  return (
    <ul
      id={id}
      role="list"
      aria-label={`Roles in ${accountName}`}
      className="divide-y divide-slate-100 border-t border-slate-100 py-0.5 dark:divide-slate-800 dark:border-slate-800"
    >
      {entry.roles.map((roleName) => (
        <RoleRow
          key={roleName}
          section={section}
          accountId={accountId}
          accountName={accountName}
          roleName={roleName}
          tokens={tokens}
          starred={starredRoles.has(roleKey(accountId, roleName))}
          tabStop={tabStop}
          suggested={roleName === suggestedRole}
          actions={actions}
        />
      ))}
    </ul>
  );
}
