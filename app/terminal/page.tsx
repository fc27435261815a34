import type { Metadata } from 'next';

import { PageShell } from '@/components/page-shell';
import { CommandLine } from '@/components/terminal/command-line';
import { portalSettings } from '@/lib/server/dal/portal';
import { firstLiveSession, sessionsByInstance } from '@/lib/server/dal/session';

export const metadata: Metadata = { title: 'Terminal' };

const COMMANDS: [string, string][] = [
  ['gatehouse login', 'Signs this terminal in through the portal: it shows a code and the Identity Center link to approve it on, from any device. The terminal keeps a Gatehouse session, never an AWS token.'],
  ['gatehouse config', 'Writes a profile per role into ~/.aws/config (a managed block; the rest of the file is kept, and backed up) that renews its credentials by itself: any AWS CLI or SDK then works with --profile.'],
  ['gatehouse credential-process --account ID --role NAME', 'Prints the credential_process JSON for a role: what those profiles run.'],
  ['gatehouse env --format bash', 'Prints shell variables for a role (bash, fish, powershell, cmd, dotenv, ini); without --account and --role it lets you pick.'],
  ['gatehouse exec --account ID --role NAME -- aws s3 ls', 'Runs one command with a role’s credentials and region in its environment.'],
  ['gatehouse serve --account ID --role NAME', 'Serves a role’s credentials to long-running processes on this machine (the SDKs’ container-credentials endpoint) and renews them before they expire.'],
  ['gatehouse console --account ID --role NAME', 'Opens the AWS console for a role.'],
  ['gatehouse accounts', 'Lists your accounts and roles (--json for scripts).'],
  ['gatehouse status', 'Says who the terminal is signed in as, and until when. gatehouse logout signs it out.'],
];

/**
 * The `gatehouse` command: how to install it from this very portal and sign it in, with the
 * portal's own URL filled in, and what each command does.
 */
export default async function TerminalPage() {
  const portal = portalSettings();
  const session = firstLiveSession(await sessionsByInstance());
  const instanceFlag = portal.several && session?.instanceKey ? ` --instance ${session.instanceKey}` : '';
  return (
    <PageShell emulatorUrl={portal.emulatorUrl} session={session} current="terminal" mainClassName="mx-auto max-w-3xl px-4 py-10">
      <h1 className="text-2xl font-semibold tracking-tight">From your terminal</h1>
      <p className="mt-2 text-slate-600 dark:text-slate-300">
        The <code className="font-mono">gatehouse</code> command gives every terminal credentials that renew themselves, with no AWS
        token on your machine: it signs in through this portal, which keeps the Identity Center token and hands out short-lived
        role credentials, audited. You can see and revoke each terminal on your Activity page.
      </p>

      <h2 className="mt-8 text-lg font-semibold">1. Install it (Node.js 20 or later)</h2>
      <CommandLine command={`npm install -g ${portal.publicUrl}/cli/gatehouse.tgz`} label="Copy the install command" />
      <p className="mt-2 text-sm text-slate-600 dark:text-slate-400">
        One file with no dependencies, the same version as this portal; it says when the portal has a newer one.
      </p>

      <h2 className="mt-8 text-lg font-semibold">2. Sign it in</h2>
      <CommandLine command={`gatehouse login --portal ${portal.publicUrl}${instanceFlag}`} label="Copy the sign-in command" />
      <p className="mt-2 text-sm text-slate-600 dark:text-slate-400">
        Over SSH or in a container it prints the code and the link to open elsewhere; on a desktop it opens the page too.
      </p>

      <h2 className="mt-8 text-lg font-semibold">3. Use it</h2>
      <dl className="mt-3 space-y-4">
        {COMMANDS.map(([command, description]) => (
          <div key={command}>
            <dt>
              <code className="font-mono text-sm font-medium">{command}</code>
            </dt>
            <dd className="mt-1 text-sm text-slate-600 dark:text-slate-400">{description}</dd>
          </div>
        ))}
      </dl>
    </PageShell>
  );
}
