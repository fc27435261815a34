'use client';

import { ChevronRight, KeyRound, LoaderCircle, RotateCcw, Star, TriangleAlert } from 'lucide-react';
import { memo, type MouseEvent } from 'react';

import type { FavoriteChange } from '@/lib/shared/accounts';
import { focusRing } from '@/components/ui/button';

import { Highlight } from './highlight';
import { type AccountEntry, roleKey } from './listing-state';
import { rolesMatchingFirst } from './search';
import { navKey, navOwnerAttributes, type NavSection, type NavTarget } from './nav';
import { RoleActions } from './role-actions';

export interface RowActions {
  toggleExpanded: (accountId: string) => void;
  star: (change: FavoriteChange, label: string) => void;
  retryRoles: (accountId: string) => void;
}

/** Role chips shown on a collapsed row before "+N more". */
const CHIP_LIMIT = 6;


function StarButton({
  starred,
  label,
  tabIndex,
  onToggle,
}: {
  starred: boolean;
  label: string;
  tabIndex: 0 | -1;
  onToggle: () => void;
}) {
  return (
    <button
      type="button"
      aria-pressed={starred}
      aria-label={label}
      title={starred ? 'Remove from favorites' : 'Add to favorites'}
      tabIndex={tabIndex}
      onClick={onToggle}
      className={`shrink-0 rounded-md p-2 transition-colors hover:bg-slate-100 dark:hover:bg-slate-800 ${focusRing} ${
        starred ? 'text-amber-500 dark:text-amber-400' : 'text-slate-400 hover:text-amber-500 dark:text-slate-500'
      }`}
    >
      <Star aria-hidden="true" className="size-4" fill={starred ? 'currentColor' : 'none'} />
    </button>
  );
}

/** One role under an expanded account: its name, the slot for its actions, and its star. */
function RoleRow({
  section,
  accountId,
  accountName,
  roleName,
  tokens,
  starred,
  isTabStop,
  actions,
}: {
  section: NavSection;
  accountId: string;
  accountName: string;
  roleName: string;
  tokens: readonly string[];
  starred: boolean;
  isTabStop: boolean;
  actions: RowActions;
}) {
  const target: NavTarget = { section, accountId, roleName };
  const tabIndex = isTabStop ? 0 : -1;
  return (
    <li
      id={navKey(target)}
      {...navOwnerAttributes(target)}
      tabIndex={tabIndex}
      className="flex items-center gap-3 py-1.5 pl-9 pr-2 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-brand-600 sm:pl-10 sm:pr-3"
    >
      <KeyRound aria-hidden="true" className="size-4 shrink-0 text-slate-400 dark:text-slate-500" />
      <span className="min-w-0 flex-1 truncate text-sm font-medium">
        <Highlight text={roleName} tokens={tokens} />
      </span>
      <RoleActions accountId={accountId} accountName={accountName} roleName={roleName} tabIndex={tabIndex} />
      <StarButton
        starred={starred}
        label={`Star ${roleName} in ${accountName}`}
        tabIndex={tabIndex}
        onToggle={() => actions.star({ kind: 'role', accountId, roleName, starred: !starred }, `${roleName} in ${accountName}`)}
      />
    </li>
  );
}

function RolesError({
  entry,
  fetching,
  tabIndex,
  onRetry,
}: {
  entry: AccountEntry;
  fetching: boolean;
  tabIndex: 0 | -1;
  onRetry: () => void;
}) {
  return (
    <div className="mt-2 flex flex-wrap items-center gap-x-3 gap-y-1 pl-6 text-sm text-red-800 dark:text-red-300">
      <p className="flex min-w-0 items-start gap-1.5">
        <TriangleAlert aria-hidden="true" className="mt-0.5 size-4 shrink-0" />
        <span>
          Roles could not be loaded. <span className="text-red-700/90 dark:text-red-300/90">{entry.rolesError}</span>
        </span>
      </p>
      <button
        type="button"
        tabIndex={tabIndex}
        disabled={fetching}
        onClick={onRetry}
        aria-label={`Retry loading the roles of ${entry.account.accountName}`}
        className={`inline-flex items-center gap-1.5 rounded-md border border-red-300 bg-white px-2.5 py-1 text-xs font-medium text-red-900 hover:bg-red-50 disabled:cursor-wait disabled:opacity-70 dark:border-red-800 dark:bg-slate-900 dark:text-red-200 dark:hover:bg-red-950 ${focusRing}`}
      >
        {fetching ? <LoaderCircle aria-hidden="true" className="size-3.5 animate-spin" /> : <RotateCcw aria-hidden="true" className="size-3.5" />}
        {fetching ? 'Retrying…' : 'Retry'}
      </button>
    </div>
  );
}

function LoadingRoles({ id, indent }: { id?: string; indent: string }) {
  return (
    <p id={id} className={`flex items-center gap-1.5 text-xs text-slate-500 dark:text-slate-400 ${indent}`}>
      <LoaderCircle aria-hidden="true" className="size-3.5 animate-spin" />
      Loading roles…
    </p>
  );
}

/** The role names of a collapsed account, matches first. */
function RoleChips({ entry, tokens }: { entry: AccountEntry; tokens: readonly string[] }) {
  const roles = rolesMatchingFirst(entry, tokens);
  if (roles.length === 0) return <p className="mt-1.5 pl-6 text-xs text-slate-500 dark:text-slate-400">No roles in this account.</p>;
  const shown = roles.slice(0, CHIP_LIMIT);
  const more = roles.length - shown.length;
  return (
    <ul role="list" aria-label="Roles" className="mt-2 flex flex-wrap gap-1.5 pl-6">
      {shown.map(({ name, hit }) => (
        <li
          key={name}
          className={`rounded-full px-2 py-0.5 text-xs ${
            hit
              ? 'bg-amber-50 text-amber-950 ring-1 ring-amber-300 dark:bg-amber-950/60 dark:text-amber-100 dark:ring-amber-700'
              : 'bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-300'
          }`}
        >
          <Highlight text={name} tokens={tokens} />
        </li>
      ))}
      {more > 0 ? (
        <li className="px-1 py-0.5 text-xs text-slate-500 dark:text-slate-400">
          +{more} more
        </li>
      ) : null}
    </ul>
  );
}

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
  actions,
}: AccountRowProps) {
  const { accountId, accountName, emailAddress, nickname } = entry.account;
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
          <button
            id={toggleId}
            type="button"
            aria-expanded={expanded}
            aria-controls={rolesId}
            tabIndex={rowTabIndex}
            onClick={() => actions.toggleExpanded(accountId)}
            className={`-mx-1 flex max-w-full items-center gap-1.5 rounded-md px-1 py-0.5 text-left font-medium text-slate-900 dark:text-slate-50 ${focusRing}`}
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
              <LoadingRoles indent="mt-1.5 pl-6" />
            ) : (
              <RoleChips entry={entry} tokens={tokens} />
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
        entry.roles === null ? (
          <div className="border-t border-slate-100 py-2.5 dark:border-slate-800">
            <LoadingRoles id={rolesId} indent="pl-10" />
          </div>
        ) : entry.roles.length === 0 ? (
          <p id={rolesId} className="border-t border-slate-100 py-2.5 pl-10 text-sm text-slate-500 dark:border-slate-800 dark:text-slate-400">
            No roles in this account.
          </p>
        ) : (
          <ul
            id={rolesId}
            role="list"
            aria-label={`Roles in ${accountName}`}
            className="divide-y divide-slate-100 border-t border-slate-100 py-0.5 dark:divide-slate-800 dark:border-slate-800"
          >
            {entry.roles.map((roleName) => {
              const roleTarget: NavTarget = { section, accountId, roleName };
              return (
                <RoleRow
                  key={roleName}
                  section={section}
                  accountId={accountId}
                  accountName={accountName}
                  roleName={roleName}
                  tokens={tokens}
                  starred={starredRoles.has(roleKey(accountId, roleName))}
                  isTabStop={tabStop === navKey(roleTarget)}
                  actions={actions}
                />
              );
            })}
          </ul>
        )
      ) : null}
    </div>
  );
});

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
  const target: NavTarget = { section, accountId, roleName };
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
      <RoleActions accountId={accountId} accountName={accountName} roleName={roleName} tabIndex={tabIndex} />
      <StarButton
        starred={starred}
        label={`Star ${roleName} in ${accountName}`}
        tabIndex={tabIndex}
        onToggle={() => actions.star({ kind: 'role', accountId, roleName, starred: !starred }, `${roleName} in ${accountName}`)}
      />
    </li>
  );
});
