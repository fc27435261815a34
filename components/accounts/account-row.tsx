import { ChevronRight } from 'lucide-react';
import { memo, type MouseEvent } from 'react';

import { useAccountLooks } from '@/components/instance-context';
import { AccountLabels } from '@/components/ui/account-labels';
import { focusRing } from '@/components/ui/button';

import { AccountRoles } from './account-roles';
import { Highlight } from './highlight';
import type { AccountEntry } from './listing-state';
import { navKey, navOwnerAttributes, type NavTarget, tabStopInRow } from './nav';
import { RoleChips } from './role-chips';
import { LoadingRoles, RolesError } from './roles-status';
import type { RowActions, RowView } from './row-view';
import { StarButton } from './star-button';

/** Only an open row shows its roles' stars: the others get this, so a star does not re-render them. */
const NO_ROLES: ReadonlySet<string> = new Set();

export interface AccountRowProps {
  entry: AccountEntry;
  section: 'fav' | 'all';
  tokens: readonly string[];
  expanded: boolean;
  fetching: boolean;
  starred: boolean;
  starredRoles: ReadonlySet<string>;
  /** The list's tab stop when it lies in this row (the account or one of its roles), else null. */
  tabStop: string | null;
  /** The role of this account the search names, if any. */
  suggestedRole: string | null;
  actions: RowActions;
}

/**
 * One account: a toggle (name) that shows its roles, the id and email (selectable), its roles as
 * chips while collapsed, a roles error with Retry, and a star. Clicking the row's empty space toggles too.
 */
export const AccountRow = memo(function AccountRow({
  entry,
  section,
  tokens,
  expanded,
  fetching,
  starred,
  starredRoles,
  tabStop,
  suggestedRole,
  actions,
}: AccountRowProps) {
  const { accountId, accountName, emailAddress, nickname } = entry.account;
  // Beside the name, not in it: the account's button keeps the account's name as its own.
  const labels = useAccountLooks()(entry.account).labels;
  const target: NavTarget = { section, accountId };
  const toggleId = navKey(target);
  const rolesId = `${toggleId}-roles`;
  const rowTabIndex = tabStop === toggleId ? 0 : -1;

  const onRowClick = (event: MouseEvent<HTMLDivElement>) => {
    const clicked = event.target as HTMLElement;
    if (clicked.closest('button, a, input, [data-no-toggle], [data-nav-owner] [data-nav-owner]')) return;
    if (window.getSelection()?.toString()) return;
    actions.toggleExpanded(accountId);
  };

  return (
    <div
      {...navOwnerAttributes(target)}
      onClick={onRowClick}
      className={`rounded-lg border bg-white transition-colors dark:bg-slate-900 ${
        expanded ? 'border-slate-300 shadow-sm dark:border-slate-700' : 'border-slate-200 hover:border-slate-300 dark:border-slate-800 dark:hover:border-slate-700'
      }`}
    >
      <div data-row-head className="flex cursor-pointer items-start gap-2 py-2.5 pl-3 pr-1.5 sm:pl-4 sm:pr-2">
        <div className="min-w-0 flex-1">
          <div className="flex min-w-0 items-center gap-2">
            <button
              id={toggleId}
              type="button"
              aria-expanded={expanded}
              aria-controls={rolesId}
              tabIndex={rowTabIndex}
              onClick={() => actions.toggleExpanded(accountId)}
              className={`-mx-1 flex min-w-0 max-w-full items-center gap-1.5 rounded-md px-1 py-0.5 text-left font-medium text-slate-900 dark:text-slate-50 ${focusRing}`}
            >
              <ChevronRight
                aria-hidden="true"
                className={`size-4 shrink-0 text-slate-400 transition-transform motion-reduce:transition-none ${expanded ? 'rotate-90' : ''}`}
              />
              <span className="truncate">
                <Highlight text={accountName} tokens={tokens} />
              </span>
              {nickname ? (
                <span className="shrink-0 rounded-full bg-brand-50 px-2 py-0.5 text-xs font-medium text-brand-900 dark:bg-slate-800 dark:text-brand-100">
                  <span className="sr-only">, nickname </span>
                  <Highlight text={nickname} tokens={tokens} />
                </span>
              ) : null}
            </button>
            <AccountLabels labels={labels} className="shrink-0" />
          </div>
          <p className="mt-0.5 flex flex-wrap gap-x-3 gap-y-0.5 pl-6 text-sm text-slate-600 dark:text-slate-400">
            <span data-no-toggle className="cursor-text select-all font-mono tabular-nums" title="Account id">
              <Highlight text={accountId} tokens={tokens} />
            </span>
            <span data-no-toggle className="min-w-0 cursor-text truncate">
              <Highlight text={emailAddress} tokens={tokens} />
            </span>
          </p>
          {entry.rolesError !== null ? (
            <RolesError entry={entry} fetching={fetching} tabIndex={rowTabIndex} onRetry={() => actions.retryRoles(accountId)} />
          ) : !expanded ? (
            entry.roles === null ? (
              <LoadingRoles indent="mt-1.5 pl-6" waiting />
            ) : (
              <RoleChips entry={entry} tokens={tokens} tabIndex={rowTabIndex} openKeys={actions.openKeys} />
            )
          ) : null}
        </div>
        <StarButton
          starred={starred}
          label={`Star ${accountName}`}
          tabIndex={rowTabIndex}
          onToggle={() => actions.star({ kind: 'account', accountId, starred: !starred }, accountName)}
        />
      </div>
      {expanded && entry.rolesError === null ? (
        <AccountRoles id={rolesId} entry={entry} section={section} tokens={tokens} starredRoles={starredRoles} tabStop={tabStop} suggestedRole={suggestedRole} actions={actions} />
      ) : null}
    </div>
  );
});

/** The row's props from the page's view: plain values, so a row re-renders only when its own change. */
export function accountRowProps(view: RowView, section: 'fav' | 'all', entry: AccountEntry, starred: boolean): AccountRowProps {
  const { accountId } = entry.account;
  const expanded = view.expanded.has(accountId);
  return {
    entry,
    section,
    tokens: view.tokens,
    expanded,
    fetching: view.fetching.has(accountId),
    starred,
    starredRoles: expanded ? view.starredRoles : NO_ROLES,
    tabStop: tabStopInRow(view.tabStop, section, accountId),
    suggestedRole: section === 'all' && view.suggested?.accountId === accountId ? (view.suggested.roleName ?? null) : null,
    actions: view.actions,
  };
}
