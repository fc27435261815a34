import { ExternalLink, Key } from 'lucide-react';

import { consoleShortcutPath } from '@/components/credentials/links';
import { useAccountLooks, useInstanceKey } from '@/components/instance-context';

import type { RowActions } from './row-view';
import { StarButton } from './star-button';

/**
 * Per-role actions, in every place a role is listed (under an expanded account, in Favorites, in
 * Recent): "Access keys" (the role's keys dialog), "Console" (the console shortcut, in a new
 * tab) and the role's star. `tabIndex` is the row's roving tab index (0 on the row that holds the
 * list's tab stop, else -1); every control here gets it.
 *
 * The visible words come from CSS (`content: attr(data-label)`) and only from the `sm` breakpoint up;
 * phones get the icons. Generated content is not part of the row's text, so a role row still reads
 * (and matches) as its role name, and each link's accessible name says which role and account it is for.
 */
export interface RoleActionsProps {
  accountId: string;
  accountName: string;
  roleName: string;
  tabIndex: 0 | -1;
  starred: boolean;
  star: RowActions['star'];
  openKeys: RowActions['openKeys'];
}

const action =
  'inline-flex shrink-0 items-center gap-1.5 rounded-md p-2 text-sm font-medium text-brand-700 transition-colors hover:bg-brand-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600 sm:px-2.5 sm:py-1.5 sm:after:content-[attr(data-label)] dark:text-brand-100 dark:hover:bg-slate-800';

export function RoleActions({ accountId, accountName, roleName, tabIndex, starred, star, openKeys }: RoleActionsProps) {
  const where = `${roleName} in ${accountName}`;
  const keysLabel = `Access keys for ${where}`;
  const instanceKey = useInstanceKey();
  // The console link says when the account is labelled (production), so nobody opens it by mistake.
  const labels = useAccountLooks()({ accountId, accountName }).labels;
  const labelled = labels.length > 0 ? ` (${labels.map((label) => label.label).join(', ')})` : '';
  return (
    <>
      <button
        type="button"
        onClick={(event) => openKeys(accountId, roleName, event.currentTarget)}
        aria-haspopup="dialog"
        tabIndex={tabIndex}
        aria-label={keysLabel}
        title={keysLabel}
        data-label="Access keys"
        className={action}
      >
        <Key aria-hidden="true" className="size-4" />
      </button>
      <a
        href={consoleShortcutPath(accountId, roleName, { instanceKey })}
        target="_blank"
        rel="noopener noreferrer"
        tabIndex={tabIndex}
        aria-label={`Console for ${where}${labelled} (opens in a new tab)`}
        title={`Open the AWS console as ${where}${labelled} in a new tab`}
        data-label="Console"
        className={action}
      >
        <ExternalLink aria-hidden="true" className="size-4" />
      </a>
      <StarButton
        starred={starred}
        label={`Star ${where}`}
        tabIndex={tabIndex}
        onToggle={() => star({ kind: 'role', accountId, roleName, starred: !starred }, where)}
      />
    </>
  );
}
