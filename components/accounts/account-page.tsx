'use client';

import { ChevronRight, KeyRound } from 'lucide-react';
import Link from 'next/link';

import { useInstancePath } from '@/components/instance-context';
import { focusRing } from '@/components/ui/button';
import { CopyButton } from '@/components/ui/copy-button';
import type { AccountDTO } from '@/lib/shared/accounts';

/**
 * The page of one account (`/accounts/{accountId}`): its name and nickname, the id with Copy, the
 * email, and its roles, each leading to the role's page (keys and console). `account` is null, or
 * `roles` null, when Identity Center could not be asked just now: the page says so.
 */
export function AccountPage({ accountId, account, roles }: { accountId: string; account: AccountDTO | null; roles: readonly string[] | null }) {
  const instancePath = useInstancePath();
  const title = account?.nickname ?? account?.accountName ?? accountId;
  const sorted = roles ? [...roles].sort((a, b) => a.localeCompare(b)) : null;
  return (
    <div className="space-y-6">
      <div>
        <nav aria-label="Breadcrumb" className="text-sm text-slate-600 dark:text-slate-400">
          <ol className="flex flex-wrap items-center gap-1">
            <li>
              <Link href={instancePath('/accounts')} className={`rounded hover:text-slate-900 hover:underline dark:hover:text-white ${focusRing}`}>
                Accounts
              </Link>
            </li>
            <li aria-hidden="true">
              <ChevronRight className="size-3.5" />
            </li>
            <li aria-current="page">{title}</li>
          </ol>
        </nav>
        <h1 className="mt-2 break-words text-2xl font-semibold tracking-tight">{title}</h1>
        {account?.nickname ? (
          <p className="mt-1 text-slate-600 dark:text-slate-300">
            Nickname of <strong className="font-semibold text-slate-900 dark:text-white">{account.accountName}</strong>
          </p>
        ) : null}
        <dl className="mt-3 grid grid-cols-[auto_1fr] items-center gap-x-4 gap-y-2 text-sm">
          <dt className="text-slate-600 dark:text-slate-400">Account id</dt>
          <dd className="flex flex-wrap items-center gap-2">
            <span className="select-all font-mono tabular-nums">{accountId}</span>
            <CopyButton text={accountId} label="Copy account id" />
          </dd>
          {account?.emailAddress ? (
            <>
              <dt className="text-slate-600 dark:text-slate-400">Email</dt>
              <dd className="min-w-0 break-all">{account.emailAddress}</dd>
            </>
          ) : null}
        </dl>
      </div>
      <section aria-labelledby="account-roles-heading">
        <h2 id="account-roles-heading" className="text-lg font-semibold">
          Your roles
        </h2>
        {sorted === null ? (
          <p className="mt-2 text-sm text-amber-800 dark:text-amber-200">Identity Center could not say just now which roles you have here. Reload the page to try again.</p>
        ) : sorted.length === 0 ? (
          <p className="mt-2 text-sm text-slate-600 dark:text-slate-400">You have no roles in this account.</p>
        ) : (
          <ul role="list" className="mt-2 divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white dark:divide-slate-800 dark:border-slate-800 dark:bg-slate-900">
            {sorted.map((roleName) => (
              <li key={roleName}>
                <Link
                  href={instancePath(`/accounts/${accountId}/${encodeURIComponent(roleName)}`)}
                  className={`flex items-center gap-2 px-4 py-3 font-medium hover:bg-slate-50 dark:hover:bg-slate-800 ${focusRing}`}
                >
                  <KeyRound aria-hidden="true" className="size-4 shrink-0 text-slate-500" />
                  <span className="min-w-0 flex-1 break-words">{roleName}</span>
                  <span className="text-sm font-normal text-slate-600 dark:text-slate-400">Keys and console</span>
                  <ChevronRight aria-hidden="true" className="size-4 text-slate-400" />
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
