import { LogIn } from 'lucide-react';
import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { z } from 'zod';

import { InstanceProvider } from '@/components/instance-context';
import { InstanceSignOutButton } from '@/components/instances/instance-sign-out-button';
import { PageShell } from '@/components/page-shell';
import { Alert } from '@/components/ui/alert';
import { SignInPanel } from '@/components/sign-in/sign-in-panel';
import { buttonClasses } from '@/components/ui/button';
import { portalSettings } from '@/lib/server/dal/portal';
import { currentSession, firstLiveSession, pageInstance, sessionAt, sessionsByInstance } from '@/lib/server/dal/session';
import { withInstance } from '@/lib/shared/instances';

export const metadata: Metadata = { title: 'Sign in' };

const NOTICES = {
  'session-ended': 'Your session has ended. Sign in again to continue.',
  'signed-out': 'You are signed out. Credentials you already took stay valid until they expire.',
} as const;

// Where to go after signing in: only a path on this portal (never another site).
const nextPathSchema = z
  .string()
  .max(2048)
  .regex(/^\/(?![\/\\])[A-Za-z0-9\-._~!$&'()*+,;=:@%/?]*$/);

const searchSchema = z.object({
  reason: z.enum(['session-ended', 'signed-out']).optional().catch(undefined),
  next: nextPathSchema.optional().catch(undefined),
  /** Set by the home page's Sign in: the code is asked for at once, without a second click. */
  start: z.literal('1').optional().catch(undefined),
});

/** What a signed-out person's bookmark opens after sign-in, said on the sign-in page: the console for a role. */
function afterSignIn(next: string | undefined): string | undefined {
  const console = next ? /^\/console\/(\d{12})\/([\w+=,.@-]{1,64})(?:\?|$)/.exec(next) : null;
  if (!console) return undefined;
  return `After you sign in, the AWS console opens as ${decodeURIComponent(console[2]!)} in account ${console[1]}.`;
}

type SearchParams = Record<string, string | string[] | undefined>;

export default async function SignInPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const params = await searchParams;
  const { reason, next, start } = searchSchema.parse(params);
  const portal = portalSettings();
  const notice = [reason ? NOTICES[reason] : undefined, afterSignIn(next)].filter(Boolean).join(' ') || undefined;

  if (!portal.several) {
    const session = await currentSession();
    if (session) redirect(next ?? '/accounts');
    return (
      <PageShell chrome={portal.chrome} session={null} mainClassName="mx-auto max-w-xl px-4 py-12">
        <SignInPanel notice={notice} next={next} startAtOnce={start === '1'} />
        <p className="mt-6 text-sm text-slate-600 dark:text-slate-300">
          Identity Center: <span className="font-mono">{portal.instances[0]?.startUrl}</span>
        </p>
      </PageShell>
    );
  }

  const all = await sessionsByInstance();
  const headerSession = firstLiveSession(all);

  // One instance chosen: its device flow.
  if (typeof params.instance === 'string') {
    const instance = await pageInstance(params.instance);
    if (await sessionAt(instance)) redirect(next ?? withInstance('/accounts', instance.key));
    return (
      <PageShell chrome={portal.chrome} session={headerSession} current="instances" mainClassName="mx-auto max-w-xl px-4 py-12">
        <InstanceProvider instanceKey={instance.key}>
          <SignInPanel key={instance.key} notice={notice} next={next} instanceName={instance.name} startAtOnce={start === '1'} />
        </InstanceProvider>
        <p className="mt-6 text-sm text-slate-600 dark:text-slate-300">
          Identity Center: <span className="font-mono">{instance.startUrl}</span> ({instance.ssoRegion})
        </p>
        <p className="mt-2 text-sm">
          <Link href="/sign-in" className="rounded font-medium text-brand-700 underline dark:text-brand-100">
            Choose another Identity Center instance
          </Link>
        </p>
      </PageShell>
    );
  }

  // Several instances: choose one, and see where this browser is signed in already.
  return (
    <PageShell chrome={portal.chrome} session={headerSession} current="instances" mainClassName="mx-auto max-w-3xl px-4 py-12">
      <h1 className="text-2xl font-semibold tracking-tight">Sign in</h1>
      <p className="mt-3 text-slate-600 dark:text-slate-300">
        This portal serves several IAM Identity Center instances. Sign in to each one you need; you can be signed in to
        all of them at once.
      </p>
      {notice ? (
        <Alert variant="info" role="status" className="mt-3">
          {notice}
        </Alert>
      ) : null}
      <ul aria-label="Identity Center instances" className="mt-6 grid gap-4 sm:grid-cols-2">
        {all.map(({ instance, session }) => (
          <li key={instance.key} className="flex flex-col rounded-xl border border-slate-200 p-5 shadow-sm dark:border-slate-800">
            <h2 className="text-lg font-semibold">{instance.name}</h2>
            <p className="mt-1 break-all font-mono text-sm text-slate-600 dark:text-slate-300">{instance.startUrl}</p>
            <p className="text-sm text-slate-600 dark:text-slate-300">Region {instance.ssoRegion}</p>
            {session ? (
              <>
                <p className="mt-3 text-sm">
                  Signed in{session.user ? ' as ' : ''}
                  {session.user ? <strong>{session.user}</strong> : null}
                </p>
                <div className="mt-4 flex flex-wrap items-center gap-3">
                  <Link href={withInstance('/accounts', instance.key)} className={buttonClasses('primary')}>
                    Open {instance.name} accounts
                  </Link>
                  <InstanceSignOutButton instanceKey={instance.key} instanceName={instance.name} />
                </div>
              </>
            ) : (
              <div className="mt-4">
                <Link
                  href={withInstance(next ? `/sign-in?next=${encodeURIComponent(next)}` : '/sign-in', instance.key)}
                  className={buttonClasses('primary')}
                >
                  <LogIn aria-hidden="true" className="size-4" />
                  Sign in to {instance.name}
                </Link>
              </div>
            )}
          </li>
        ))}
      </ul>
    </PageShell>
  );
}
