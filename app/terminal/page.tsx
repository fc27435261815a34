import type { Metadata } from 'next';

import { PageShell } from '@/components/page-shell';
import { CommandLine } from '@/components/terminal/command-line';
import { COMPLETION_LINES, npmInstall, PATH_LINES, singleFileInstall } from '@/components/terminal/install-commands';
import { portalSettings } from '@/lib/server/dal/portal';
import { firstLiveSession, sessionsByInstance } from '@/lib/server/dal/session';

export const metadata: Metadata = { title: 'Terminal' };

const COMMANDS: [string, string][] = [
  ['gatehouse login', 'Signs this terminal in: it prints a link to this portal’s confirmation page and three words. Open it in a browser signed in as yourself, check the words, and confirm; Identity Center then approves it. The terminal keeps a Gatehouse session, never an AWS token.'],
  ['gatehouse config', 'Writes a profile per role into ~/.aws/config (a managed block; the rest of the file is kept, and backed up) that renews its credentials by itself: any AWS CLI or SDK then works with --profile.'],
  ['gatehouse credential-process --account ID --role NAME', 'Prints the credential_process JSON for a role: what those profiles run.'],
  ['gatehouse env --format bash', 'Prints shell variables for a role (bash, fish, powershell, cmd, dotenv, ini); without --account and --role it lets you pick.'],
  ['gatehouse exec --account ID --role NAME -- aws s3 ls', 'Runs one command with a role’s credentials and region in its environment.'],
  ['gatehouse serve --account ID --role NAME', 'Serves a role’s credentials to long-running processes on this machine (the SDKs’ container-credentials endpoint) and renews them before they expire.'],
  ['gatehouse console --account ID --role NAME', 'Opens the AWS console for a role.'],
  ['gatehouse accounts', 'Lists your accounts and roles (--json for scripts); without --account and --role, the other commands let you pick one as you type, searching as this portal’s accounts page does.'],
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
    <PageShell chrome={portal.chrome} session={session} current="terminal" mainClassName="mx-auto max-w-3xl px-4 py-10">
      <h1 className="text-2xl font-semibold tracking-tight">From your terminal</h1>
      <p className="mt-2 text-slate-600 dark:text-slate-300">
        The <code className="font-mono">gatehouse</code> command gives every terminal credentials that renew themselves, with no AWS
        token on your machine: it signs in through this portal, which keeps the Identity Center token and hands out short-lived
        role credentials, audited. You can see and revoke each terminal on your Activity page.
      </p>

      <h2 className="mt-8 text-lg font-semibold">1. Install it (Node.js 20.9 or later; no root needed)</h2>
      <CommandLine command={npmInstall(portal.publicUrl)} label="Copy the install command" name="install-npm" />
      <p className="mt-2 text-sm text-slate-600 dark:text-slate-400">
        One file with no dependencies, the same version as this portal, installed in your own <code className="font-mono">~/.local</code>{' '}
        (it says when the portal has a newer one, and how to update). If <code className="font-mono">gatehouse</code> is not found after
        it, put <code className="font-mono">~/.local/bin</code> on your PATH, then open a new terminal:
      </p>
      {PATH_LINES.map(({ shell, line }) => (
        <CommandLine key={shell} command={line} label={`Copy the PATH line for ${shell}`} name={`path-${shell}`} />
      ))}
      <p className="mt-3 text-sm text-slate-600 dark:text-slate-400">Without npm, the command is a single file to download:</p>
      <CommandLine command={singleFileInstall(portal.publicUrl)} label="Copy the single-file install" name="install-file" />

      <h2 className="mt-8 text-lg font-semibold">2. Sign it in</h2>
      <CommandLine command={`gatehouse login --portal ${portal.publicUrl}${instanceFlag}`} label="Copy the sign-in command" />
      <p className="mt-2 text-sm text-slate-600 dark:text-slate-400">
        Over SSH or in a container it prints the link to open elsewhere; on a desktop it opens the page too. Only confirm a terminal you
        just started yourself, and only when the words match.
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

      <h2 className="mt-8 text-lg font-semibold">Tab completion (optional)</h2>
      <p className="mt-2 text-sm text-slate-600 dark:text-slate-400">Commands and options complete with Tab once your shell loads the script:</p>
      {COMPLETION_LINES.map(({ shell, line }) => (
        <CommandLine key={shell} command={line} label={`Copy the completion line for ${shell}`} name={`completion-${shell}`} />
      ))}
    </PageShell>
  );
}
