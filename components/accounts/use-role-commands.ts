'use client';

import { useCallback, useRef } from 'react';

import { ApiRequestError } from '@/components/api-client';
import { consoleShortcutPath } from '@/components/credentials/links';
import { requestCredentials } from '@/components/credentials/request';
import { useInstanceKey } from '@/components/instance-context';
import { formatCredentials } from '@/lib/shared/credential-text';

import { type AccountEntry, roleKey } from './listing-state';
import type { RowActions } from './row-view';

/** What the keyboard can do to a focused role (Enter, and the one-letter keys of the help). */
export type RoleCommand = 'keys' | 'copy' | 'console' | 'star';

/** The one-letter keys on a focused role. */
export const ROLE_KEYS: Readonly<Record<string, RoleCommand>> = { c: 'copy', o: 'console', s: 'star' };

export interface RoleCommands {
  run: (command: RoleCommand, accountId: string, roleName: string, element: HTMLElement) => void;
}

/**
 * The keyboard's commands on a role: open its keys dialog, copy its shell variables (fresh access
 * keys, the `export AWS_…` text), open its console in a new tab, star or unstar it. Each says what it
 * did on the status line (`say`, see useCommandStatus), on screen and to screen readers.
 */
export function useRoleCommands({
  entries,
  starredRoles,
  actions,
  say: setMessage,
}: {
  entries: ReadonlyMap<string, AccountEntry>;
  starredRoles: ReadonlySet<string>;
  actions: Pick<RowActions, 'openKeys' | 'star'>;
  say: (message: string) => void;
}): RoleCommands {
  const instanceKey = useInstanceKey();
  const copying = useRef(false);

  const copyShellVariables = useCallback(
    async (accountId: string, roleName: string, where: string) => {
      if (copying.current) return;
      copying.current = true;
      setMessage(`Getting access keys for ${where}…`);
      try {
        const credentials = await requestCredentials(accountId, roleName, instanceKey);
        if (!navigator.clipboard?.writeText) throw new Error('The clipboard is not available here. Press Enter for the access keys.');
        await navigator.clipboard.writeText(formatCredentials(credentials, 'env'));
        setMessage(`Copied shell variables for ${where}`);
      } catch (error) {
        if (error instanceof ApiRequestError && error.status === 401) return; // on the way to sign in
        const reason = error instanceof Error ? error.message : 'Try again.';
        setMessage(`Could not copy shell variables for ${where}. ${reason}`);
      } finally {
        copying.current = false;
      }
    },
    [instanceKey, setMessage],
  );

  const run = useCallback(
    (command: RoleCommand, accountId: string, roleName: string, element: HTMLElement) => {
      const accountName = entries.get(accountId)?.account.accountName ?? accountId;
      const where = `${roleName} in ${accountName}`;
      switch (command) {
        case 'keys':
          actions.openKeys(accountId, roleName, element);
          return;
        case 'copy':
          void copyShellVariables(accountId, roleName, where);
          return;
        case 'console':
          window.open(consoleShortcutPath(accountId, roleName, { instanceKey }), '_blank', 'noopener,noreferrer');
          setMessage(`Opened the console for ${where} in a new tab`);
          return;
        case 'star': {
          const starred = starredRoles.has(roleKey(accountId, roleName));
          actions.star({ kind: 'role', accountId, roleName, starred: !starred }, where);
          setMessage(starred ? `Unstarred ${where}` : `Starred ${where}`);
          return;
        }
      }
    },
    [entries, starredRoles, actions, copyShellVariables, instanceKey, setMessage],
  );

  return { run };
}
