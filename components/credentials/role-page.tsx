'use client';

import { ChevronRight } from 'lucide-react';
import Link from 'next/link';
import { useEffect, useState } from 'react';

import { apiRequest } from '@/components/api-client';
import { useInstanceKey, useInstancePath } from '@/components/instance-context';
import { withInstance } from '@/lib/shared/instances';
import type { AccountsResponse } from '@/lib/shared/accounts';
import type { ConsoleSessionHours } from '@/lib/shared/console-session';
import { AccountLabels } from '@/components/ui/account-labels';
import { focusRing } from '@/components/ui/button';
import type { AccountLabel } from '@/lib/shared/account-labels';

import { ConsolePanel } from './console-panel';
import { CredentialsPanel } from './credentials-panel';

type AccountLookup = { status: 'loading' } | { status: 'found'; accountName: string } | { status: 'missing' } | { status: 'unknown' };

/**
 * The page of one role (`/accounts/{accountId}/{roleName}`): which role in which account, its access
 * keys, and the console. The account's name comes from the person's own listing; until it arrives
 * (or if it cannot), the page names the account by its id.
 */
export function RolePage({
  accountId,
  roleName,
  defaultRegion,
  labels = [],
  nickname,
  consoleSessionHours,
}: {
  accountId: string;
  roleName: string;
  /** The account's default region: the organisation's for this account, else the instance's. */
  defaultRegion: string;
  /** The organisation's labels on the account (`production`). */
  labels?: readonly AccountLabel[];
  /** The name the instance's configuration gives this account, if any. */
  nickname?: string;
  /** The console session length the person chose last time, if any. */
  consoleSessionHours?: ConsoleSessionHours;
}) {
  const instanceKey = useInstanceKey();
  const instancePath = useInstancePath();
  const accountsPath = instancePath('/accounts');
  const [lookup, setLookup] = useState<AccountLookup>({ status: 'loading' });

  useEffect(() => {
    let live = true;
    apiRequest<AccountsResponse>(withInstance('/api/accounts', instanceKey), { method: 'GET' })
      .then((answer) => {
        if (!live) return;
        const account = answer.accounts.find((candidate) => candidate.accountId === accountId);
        setLookup(account ? { status: 'found', accountName: account.accountName } : { status: 'missing' });
      })
      .catch(() => {
        if (live) setLookup({ status: 'unknown' });
      });
    return () => {
      live = false;
    };
  }, [accountId, instanceKey]);

  const found = lookup.status === 'found' ? lookup.accountName : null;
  // The nickname leads where there is one; Identity Center's own name follows it.
  const accountName = found && nickname ? `${nickname} (${found})` : found;

  return (
    <div className="space-y-6">
      <div>
        <nav aria-label="Breadcrumb" className="text-sm text-slate-600 dark:text-slate-400">
          <ol className="flex flex-wrap items-center gap-1">
            <li>
              <Link href={accountsPath} className={`rounded hover:text-slate-900 hover:underline dark:hover:text-white ${focusRing}`}>
                Accounts
              </Link>
            </li>
            <li aria-hidden="true">
              <ChevronRight className="size-3.5" />
            </li>
            <li>
              <Link href={instancePath(`/accounts/${accountId}`)} className={`rounded hover:text-slate-900 hover:underline dark:hover:text-white ${focusRing}`}>
                {accountName ?? accountId}
              </Link>
            </li>
            <li aria-hidden="true">
              <ChevronRight className="size-3.5" />
            </li>
            <li aria-current="page">{roleName}</li>
          </ol>
        </nav>
        <h1 className="mt-2 break-words text-2xl font-semibold tracking-tight">{roleName}</h1>
        <p className="mt-1 flex flex-wrap gap-x-2 text-slate-600 dark:text-slate-300">
          <span>
            in{accountName ? ' ' : ' account'}
            {accountName ? <strong className="font-semibold text-slate-900 dark:text-white">{accountName}</strong> : null}
          </span>
          <span className="select-all font-mono tabular-nums">{accountId}</span>
          <AccountLabels labels={labels} />
        </p>
        {lookup.status === 'missing' ? (
          <p className="mt-2 text-sm text-amber-800 dark:text-amber-200">This account is not among your accounts in Identity Center.</p>
        ) : null}
      </div>
      <CredentialsPanel accountId={accountId} roleName={roleName} accountName={accountName} defaultRegion={defaultRegion} />
      <ConsolePanel accountId={accountId} roleName={roleName} defaultRegion={defaultRegion} sessionHours={consoleSessionHours} labels={labels} />
    </div>
  );
}
