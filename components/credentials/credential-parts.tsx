'use client';

import { ShieldAlert, Timer, TriangleAlert } from 'lucide-react';
import Link from 'next/link';

import { useInstancePath } from '@/components/instance-context';
import { wholeSeconds } from '@/components/time-text';
import { Alert } from '@/components/ui/alert';
import { focusRing } from '@/components/ui/button';
import { CopyButton } from '@/components/ui/copy-button';
import type { CredentialsDTO } from '@/lib/shared/credential-text';

import { Mask, withoutMasks } from './masked-text';
import type { CredentialsFailure } from './use-credentials';

/** Parts of the access keys panel: why no keys came, and the three values on their own. */

export function FailureMessage({ failure, now, roleName, accountLabel }: { failure: CredentialsFailure; now: number; roleName: string; accountLabel: string }) {
  const instancePath = useInstancePath();
  if (failure.kind === 'forbidden') {
    return (
      <Alert variant="error" size="md" icon={ShieldAlert} role="alert" className="mt-4">
        <p className="font-medium">You do not have this role.</p>
        <p className="mt-1">
          {roleName} in {accountLabel} is not assigned to you in IAM Identity Center, so Gatehouse cannot hand out access keys
          for it. If you need it, ask your administrator to assign it to you.
        </p>
        <p className="mt-2">
          <Link href={instancePath('/accounts')} className={`rounded font-medium underline ${focusRing}`}>
            Back to your accounts
          </Link>
        </p>
      </Alert>
    );
  }
  if (failure.kind === 'busy') {
    const seconds = wholeSeconds(failure.retryAt - now);
    return (
      <Alert variant="warning" size="md" icon={Timer} role="alert" className="mt-4">
        {/* The seconds count down without being read out every second. */}
        <p aria-live="off">
          {seconds > 0 ? `Identity Center is busy, try again in ${seconds} s.` : 'Identity Center was busy. You can try again now.'}
        </p>
      </Alert>
    );
  }
  return (
    <Alert variant="error" size="md" icon={TriangleAlert} role="alert" className="mt-4">
      <p>{failure.message}</p>
    </Alert>
  );
}

/** Access key id, secret and token on their own, each with its own Copy button, as the AWS access portal shows them. */
export function IndividualValues({ credentials, revealed }: { credentials: CredentialsDTO; revealed: boolean }) {
  const values = [
    { label: 'AWS access key ID', value: credentials.accessKeyId, secret: false },
    { label: 'AWS secret access key', value: credentials.secretAccessKey, secret: true },
    { label: 'AWS session token', value: credentials.sessionToken, secret: true },
  ];
  return (
    <dl className="space-y-3">
      {values.map(({ label, value, secret }) => (
        <div key={label} className="rounded-md border border-slate-200 p-3 dark:border-slate-800">
          <dt className="flex flex-wrap items-center justify-between gap-2 text-sm font-medium">
            <span>{label}</span>
            <CopyButton text={value} label={`Copy ${label}`} />
          </dt>
          <dd onCopy={withoutMasks} className="mt-1.5 max-h-24 overflow-auto break-all font-mono text-xs text-slate-700 dark:text-slate-300">
            {secret && !revealed ? (
              <>
                <span aria-hidden="true">
                  <Mask />
                </span>
                <span className="sr-only">Hidden. Press Show secrets to see it.</span>
              </>
            ) : (
              value
            )}
          </dd>
        </div>
      ))}
    </dl>
  );
}
