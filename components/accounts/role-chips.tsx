import { focusRing } from '@/components/ui/button';

import { Highlight } from './highlight';
import type { AccountEntry } from './listing-state';
import type { RowActions } from './row-view';
import { rolesMatchingFirst } from '@/lib/shared/search';

/** Role chips shown on a collapsed row before "+N more". */
const CHIP_LIMIT = 6;

/**
 * The roles of a collapsed account, matches first and marked: each chip opens that role's keys
 * dialog (the account's own toggle and row expand it). `tabIndex` is the row's roving tab index.
 */
export function RoleChips({
  entry,
  tokens,
  tabIndex,
  openKeys,
}: {
  entry: AccountEntry;
  tokens: readonly string[];
  tabIndex: 0 | -1;
  openKeys: RowActions['openKeys'];
}) {
  const { accountId, accountName } = entry.account;
  const roles = rolesMatchingFirst(entry, tokens);
  if (roles.length === 0) return <p className="mt-1.5 pl-6 text-xs text-slate-500 dark:text-slate-400">No roles in this account.</p>;
  const shown = roles.slice(0, CHIP_LIMIT);
  const more = roles.length - shown.length;
  return (
    <ul role="list" aria-label="Roles" className="mt-2 flex flex-wrap gap-1.5 pl-6">
      {shown.map(({ name, hit }) => (
        <li key={name}>
          <button
            type="button"
            tabIndex={tabIndex}
            aria-haspopup="dialog"
            aria-label={`Access keys for ${name} in ${accountName}`}
            title={`Access keys for ${name}`}
            onClick={(event) => openKeys(accountId, name, event.currentTarget)}
            className={`rounded-full px-2 py-0.5 text-xs transition-colors ${focusRing} ${
              hit
                ? 'bg-amber-50 text-amber-950 ring-1 ring-amber-300 hover:bg-amber-100 dark:bg-amber-950/60 dark:text-amber-100 dark:ring-amber-700 dark:hover:bg-amber-900/60'
                : 'bg-slate-100 text-slate-700 hover:bg-brand-50 hover:text-brand-900 dark:bg-slate-800 dark:text-slate-300 dark:hover:bg-slate-700 dark:hover:text-white'
            }`}
          >
            <Highlight text={name} tokens={tokens} />
          </button>
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
