import { KeyRound } from 'lucide-react';
import { memo } from 'react';

import { Highlight } from './highlight';
import type { AccountEntry } from './listing-state';
import { navKey, navOwnerAttributes } from './nav';
import { RoleActions } from './role-actions';
import type { RowActions } from './row-view';

/** A role listed on its own (Favorites, Recent), with its account named beside it. */
export const RoleCard = memo(function RoleCard({
  section,
  entry,
  roleName,
  tokens,
  starred,
  isTabStop,
  actions,
}: {
  section: 'favrole' | 'recent';
  entry: AccountEntry;
  roleName: string;
  tokens: readonly string[];
  starred: boolean;
  isTabStop: boolean;
  actions: RowActions;
}) {
  const { accountId, accountName } = entry.account;
  const target = { section, accountId, roleName };
  const tabIndex = isTabStop ? 0 : -1;
  return (
    <li
      id={navKey(target)}
      {...navOwnerAttributes(target)}
      tabIndex={tabIndex}
      aria-label={`${roleName} in ${accountName}`}
      className="flex items-center gap-3 rounded-lg border border-slate-200 bg-white py-2 pl-3 pr-1.5 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600 sm:pl-4 sm:pr-2 dark:border-slate-800 dark:bg-slate-900"
    >
      <KeyRound aria-hidden="true" className="size-4 shrink-0 text-slate-400 dark:text-slate-500" />
      <div className="min-w-0 flex-1">
        <p className="truncate font-medium">
          <Highlight text={roleName} tokens={tokens} />
        </p>
        <p className="truncate text-sm text-slate-600 dark:text-slate-400">
          in <Highlight text={accountName} tokens={tokens} />{' '}
          <span className="font-mono tabular-nums">
            <Highlight text={accountId} tokens={tokens} />
          </span>
        </p>
      </div>
      <RoleActions accountId={accountId} accountName={accountName} roleName={roleName} tabIndex={tabIndex} starred={starred} star={actions.star} openKeys={actions.openKeys} />
    </li>
  );
});
