import { ChevronRight } from 'lucide-react';
import { memo, type MouseEvent } from 'react';

import { useAccountLooks } from '@/components/instance-context';
import { AccountLabels } from '@/components/ui/account-labels';
import { focusRing } from '@/components/ui/button';

import type { AccountRowProps } from './account-row';
import { AccountRoles } from './account-roles';
import { Highlight } from './highlight';
import { navKey, navOwnerAttributes, type NavTarget } from './nav';
import { RolesError, ROLES_STILL_LOADING } from './roles-status';
import { StarButton } from './star-button';
import { plural } from '@/lib/shared/words';

/**
 * One account on one line (the compact view): name and nickname, id, email where there is room, how
 * many roles, and the star. It opens like the comfortable row, showing the same roles.
 */
export const CompactAccountRow = memo(function CompactAccountRow({
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

  const roleCount = entry.roles === null ? (entry.rolesError === null ? (expanded ? 'Loading roles…' : ROLES_STILL_LOADING) : '') : plural(entry.roles.length, 'role');
  return (
    <div
      {...navOwnerAttributes(target)}
      onClick={onRowClick}
      data-density="compact"
      className={`rounded-md border bg-white dark:bg-slate-900 ${
        expanded ? 'border-slate-300 shadow-sm dark:border-slate-700' : 'border-slate-200 hover:border-slate-300 dark:border-slate-800 dark:hover:border-slate-700'
      }`}
    >
      <div data-row-head className="flex cursor-pointer items-center gap-3 py-0.5 pl-2 pr-1 text-sm sm:pl-3">
        <button
          id={toggleId}
          type="button"
          aria-expanded={expanded}
          aria-controls={rolesId}
          tabIndex={rowTabIndex}
          onClick={() => actions.toggleExpanded(accountId)}
          className={`flex min-w-0 shrink items-center gap-1.5 rounded px-1 py-0.5 text-left font-medium text-slate-900 dark:text-slate-50 ${focusRing}`}
        >
          <ChevronRight
            aria-hidden="true"
            className={`size-4 shrink-0 text-slate-400 transition-transform motion-reduce:transition-none ${expanded ? 'rotate-90' : ''}`}
          />
          <span className="truncate">
            <Highlight text={accountName} tokens={tokens} />
          </span>
          {nickname ? (
            <span className="shrink-0 rounded-full bg-brand-50 px-1.5 text-xs font-medium text-brand-900 dark:bg-slate-800 dark:text-brand-100">
              <span className="sr-only">, nickname </span>
              <Highlight text={nickname} tokens={tokens} />
            </span>
          ) : null}
        </button>
        <AccountLabels labels={labels} className="shrink-0" />
        <span data-no-toggle className="hidden shrink-0 cursor-text select-all font-mono tabular-nums text-slate-600 sm:inline dark:text-slate-400" title="Account id">
          <Highlight text={accountId} tokens={tokens} />
        </span>
        <span data-no-toggle className="hidden min-w-0 flex-1 cursor-text truncate text-slate-600 md:inline dark:text-slate-400">
          <Highlight text={emailAddress} tokens={tokens} />
        </span>
        <span className={`ml-auto text-xs text-slate-600 dark:text-slate-400 ${entry.roles === null ? 'min-w-0 truncate' : 'shrink-0'}`}>{roleCount}</span>
        <StarButton
          starred={starred}
          label={`Star ${accountName}`}
          tabIndex={rowTabIndex}
          onToggle={() => actions.star({ kind: 'account', accountId, starred: !starred }, accountName)}
        />
      </div>
      {entry.rolesError !== null ? (
        <div className="pb-2">
          <RolesError entry={entry} fetching={fetching} tabIndex={rowTabIndex} onRetry={() => actions.retryRoles(accountId)} />
        </div>
      ) : null}
      {expanded && entry.rolesError === null ? (
        <AccountRoles id={rolesId} entry={entry} section={section} tokens={tokens} starredRoles={starredRoles} tabStop={tabStop} suggestedRole={suggestedRole} actions={actions} />
      ) : null}
    </div>
  );
});
