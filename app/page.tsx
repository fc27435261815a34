import { KeyRound, LogIn, Server, ShieldCheck, TerminalSquare } from 'lucide-react';
import Link from 'next/link';
import { connection } from 'next/server';

import { PageShell } from '@/components/page-shell';
import { buttonClasses } from '@/components/ui/button';
import { portalSettings } from '@/lib/server/dal/portal';
import { firstLiveSession, sessionsByInstance } from '@/lib/server/dal/session';
import { DEMO_USERS } from '@/lib/shared/demo';
import { withInstance } from '@/lib/shared/instances';

const FEATURES = [
  {
    icon: ShieldCheck,
    title: 'Sign in with IAM Identity Center',
    text: 'The device authorization flow, run by the portal server. Your browser only ever holds an opaque session cookie.',
  },
  {
    icon: Server,
    title: 'Every account and role',
    text: 'Listed at any scale, within the Identity Center rate limit, searchable, with favorites.',
  },
  {
    icon: TerminalSquare,
    title: 'Credentials in your shape',
    text: 'Shell variables, credentials file, credential_process, the console, and a ready ~/.aws/config.',
  },
  {
    icon: KeyRound,
    title: 'Audited hand-outs',
    text: 'Every credential and console sign-in is recorded, with no secret in the record.',
  },
] as const;

export default async function HomePage() {
  // Configuration is read at request time, so one build serves every environment.
  await connection();
  const portal = portalSettings();
  const session = firstLiveSession(await sessionsByInstance());

  return (
    <PageShell chrome={portal.chrome} session={session} mainClassName="mx-auto max-w-5xl px-4 py-12">
        <h1 className="text-3xl font-semibold tracking-tight">AWS access for your team</h1>
        <p className="mt-3 max-w-2xl text-lg text-slate-600 dark:text-slate-300">
          Sign in once through IAM Identity Center, find any account and role, and take short-lived credentials in the
          form your tools want: in the browser or from your terminal.
        </p>
        <Link href={session ? withInstance('/accounts', session.instanceKey) : portal.several ? '/sign-in' : '/sign-in?start=1'} className={buttonClasses('primary', 'mt-6')}>
          <LogIn aria-hidden="true" className="size-4" />
          {session ? 'Open your accounts' : 'Sign in'}
        </Link>
        <dl className="mt-6 grid gap-1 text-sm text-slate-600 dark:text-slate-300">
          {portal.instances.map((instance) => (
            <div key={instance.key} className="flex flex-wrap gap-x-2">
              <dt className="font-medium">{portal.several ? `${instance.name}:` : 'Identity Center:'}</dt>
              <dd className="font-mono">
                {instance.startUrl} ({instance.ssoRegion})
              </dd>
            </div>
          ))}
          {portal.emulatorUrl ? (
            <div className="flex gap-2">
              <dt className="font-medium">Demo users:</dt>
              <dd>{DEMO_USERS.join(', ')}</dd>
            </div>
          ) : null}
        </dl>
        <section aria-labelledby="features" className="mt-10">
          <h2 id="features" className="text-lg font-semibold">
            What Gatehouse does
          </h2>
          <ul className="mt-4 grid gap-4 sm:grid-cols-2">
            {FEATURES.map(({ icon: Icon, title, text }) => (
              <li key={title} className="rounded-lg border border-slate-200 p-4 dark:border-slate-800">
                <Icon aria-hidden="true" className="size-5 text-brand-600" />
                <h3 className="mt-2 font-medium">{title}</h3>
                <p className="mt-1 text-sm text-slate-600 dark:text-slate-300">{text}</p>
              </li>
            ))}
          </ul>
        </section>
    </PageShell>
  );
}
