'use client';

import * as Dialog from '@radix-ui/react-dialog';
import { ExternalLink, X } from 'lucide-react';
import Link from 'next/link';

import { useAccountLooks, useInstanceKey } from '@/components/instance-context';
import { AccountLabels } from '@/components/ui/account-labels';
import { focusRing } from '@/components/ui/button';

import { CredentialsBody } from './credentials-panel';
import { accessKeysPath } from './links';

/** The role whose access keys the dialog shows. */
export interface KeysTarget {
  accountId: string;
  /** As the list shows it (with the nickname, if any). */
  accountName: string;
  roleName: string;
}

/**
 * A role's access keys in a modal dialog over the accounts list: fetched as it opens, every format
 * with Copy, and a link to the role's own page (the bookmarkable form). Focus moves into the dialog
 * and stays there; Escape or Close ends it, and `returnFocus` puts focus back where it was.
 */
export function KeysDialog({
  target,
  defaultRegion,
  onClose,
  returnFocus,
}: {
  target: KeysTarget | null;
  defaultRegion: string;
  onClose: () => void;
  returnFocus: () => void;
}) {
  const instanceKey = useInstanceKey();
  const looksOf = useAccountLooks();
  const looks = target ? looksOf({ accountId: target.accountId, accountName: target.accountName }) : null;
  return (
    <Dialog.Root open={target !== null} onOpenChange={(open) => (open ? undefined : onClose())}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-slate-950/60" />
        <Dialog.Content
          onCloseAutoFocus={(event) => {
            event.preventDefault();
            returnFocus();
          }}
          className="fixed inset-x-0 bottom-0 z-50 max-h-[92dvh] overflow-y-auto rounded-t-xl border border-slate-200 bg-white p-4 text-slate-900 shadow-xl focus:outline-none sm:inset-x-auto sm:bottom-auto sm:left-1/2 sm:top-[8vh] sm:max-h-[84vh] sm:w-[min(56rem,calc(100vw-2rem))] sm:-translate-x-1/2 sm:rounded-xl sm:p-6 dark:border-slate-700 dark:bg-slate-950 dark:text-slate-100"
        >
          {target ? (
            <>
              <div className="flex items-start gap-3">
                <div className="min-w-0 flex-1">
                  <Dialog.Title className="break-words text-lg font-semibold">Access keys for {target.roleName}</Dialog.Title>
                  <Dialog.Description className="mt-0.5 break-words text-sm text-slate-600 dark:text-slate-400">
                    in {target.accountName} <span className="font-mono tabular-nums">{target.accountId}</span>{' '}
                    <AccountLabels labels={looks?.labels ?? []} />
                  </Dialog.Description>
                </div>
                <Dialog.Close
                  aria-label="Close"
                  className={`shrink-0 rounded-md p-2 text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800 ${focusRing}`}
                >
                  <X aria-hidden="true" className="size-5" />
                </Dialog.Close>
              </div>
              <div className="mt-4">
                <CredentialsBody
                  key={`${target.accountId}/${target.roleName}`}
                  accountId={target.accountId}
                  roleName={target.roleName}
                  accountName={target.accountName}
                  defaultRegion={looks?.region ?? defaultRegion}
                  fetchAtOnce
                />
              </div>
              <p className="mt-6 border-t border-slate-200 pt-4 text-sm dark:border-slate-800">
                <Link
                  href={accessKeysPath(target.accountId, target.roleName, instanceKey)}
                  prefetch={false}
                  className={`inline-flex items-center gap-1.5 rounded font-medium text-brand-700 hover:underline dark:text-brand-100 ${focusRing}`}
                >
                  <ExternalLink aria-hidden="true" className="size-4" />
                  Open the role’s page
                </Link>
                <span className="text-slate-600 dark:text-slate-400"> for the console and a link to bookmark.</span>
              </p>
            </>
          ) : null}
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
