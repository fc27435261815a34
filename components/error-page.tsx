import Link from 'next/link';

import { PageShell } from '@/components/page-shell';
import type { PortalChrome } from '@/lib/shared/portal-chrome';

/**
 * What a person sees when a page cannot be shown: the heading from the error table, what happened
 * in a sentence, the way back to their accounts, and a reference to quote to whoever runs the
 * portal (the request id, and for a server error the digest Next.js logged it under).
 */
export function ErrorPage({
  title,
  message,
  requestId,
  digest,
  chrome,
  children,
}: {
  title: string;
  message: string;
  requestId?: string;
  digest?: string;
  chrome?: PortalChrome;
  children?: React.ReactNode;
}) {
  return (
    <PageShell chrome={chrome} session={null} mainClassName="mx-auto max-w-xl px-4 py-12">
      <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
      <p className="mt-3 text-slate-700 dark:text-slate-300">{message}</p>
      <div className="mt-6 flex flex-wrap items-center gap-4">
        <Link href="/accounts" className="font-medium text-brand-700 underline-offset-2 hover:underline dark:text-brand-100">
          Back to your accounts
        </Link>
        {children}
      </div>
      {requestId || digest ? (
        <p className="mt-8 text-sm text-slate-600 dark:text-slate-400">
          {requestId ? (
            <>
              Request id: <code className="font-mono">{requestId}</code>
            </>
          ) : null}
          {requestId && digest ? ' · ' : null}
          {digest ? (
            <>
              Error reference: <code className="font-mono">{digest}</code>
            </>
          ) : null}
        </p>
      ) : null}
    </PageShell>
  );
}
