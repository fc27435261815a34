'use client';

import { useCallback, useEffect, useRef, useState } from 'react';

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

/** How long the news of a command stays on screen. */
const SHOWN_MS = 5_000;

export interface RoleCommands {
  run: (command: RoleCommand, accountId: string, roleName: string, element: HTMLElement) => void;
  /** What the last command did, for the status line (read out by screen readers), or ''. */
  message: string;
}

/**
 * The keyboard's commands on a role: open its keys dialog, copy its shell variables (fresh access
 * keys, the `export AWS_…` text), open its console in a new tab, star or unstar it. Each says what it
 * did, on screen and to screen readers.
 */
export function useRoleCommands({
  entries,
  starredRoles,
  actions,
}: {
  entries: ReadonlyMap<string, AccountEntry>;
  starredRoles: ReadonlySet<string>;
  actions: Pick<RowActions, 'openKeys' | 'star'>;
}): RoleCommands {
  const instanceKey = useInstanceKey();
  const [message, setMessage] = useState('');
  const copying = useRef(false);

  useEffect(() => {
    if (!message) return;
    const timer = setTimeout(() => setMessage(''), SHOWN_MS);
    return () => clearTimeout(timer);
  }, [message]);

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
    [instanceKey],
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
    [entries, starredRoles, actions, copyShellVariables, instanceKey],
  );

  return { run, message };
}
