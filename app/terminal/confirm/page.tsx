import type { Metadata } from 'next';
import { z } from 'zod';

import { PageShell } from '@/components/page-shell';
import { ConfirmTerminal } from '@/components/terminal/confirm-terminal';
import { Alert } from '@/components/ui/alert';
import { portalSettings } from '@/lib/server/dal/portal';
import { requireSession } from '@/lib/server/dal/session';
import { terminalLoginForPage } from '@/lib/server/dal/terminal-confirm';
import { INSTANCE_KEY_PATTERN } from '@/lib/shared/instances';
import { CONFIRM_ID_PATTERN } from '@/lib/shared/terminal-login-api';

export const metadata: Metadata = { title: 'Confirm a terminal' };

const searchSchema = z.object({
  request: z.string().regex(CONFIRM_ID_PATTERN),
  instance: z.string().regex(INSTANCE_KEY_PATTERN).optional(),
});

type SearchParams = Record<string, string | string[] | undefined>;

/**
 * Where the person confirms a terminal's sign-in (`gatehouse login` prints this page's link): signed
 * in first if need be, they see what asks (its address, label, time and the words it shows) and
 * confirm or refuse it; then Identity Center approves it, as them.
 */
export default async function TerminalConfirmPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const portal = portalSettings();
  const parsed = searchSchema.safeParse(await searchParams);
  if (!parsed.success) {
    const session = await requireSession();
    return (
      <PageShell emulatorUrl={portal.emulatorUrl} session={session} current="terminal" mainClassName="mx-auto max-w-2xl px-4 py-10">
        <h1 className="text-2xl font-semibold tracking-tight">Confirm a terminal</h1>
        <Alert variant="error" role="alert" className="mt-6">
          This is not a link a terminal printed. Run <code className="font-mono">gatehouse login</code> and open the link it shows.
        </Alert>
      </PageShell>
    );
  }
  const { request, instance } = parsed.data;
  const here = `/terminal/confirm?request=${request}${instance ? `&instance=${instance}` : ''}`;
  const session = await requireSession({ next: here, instance });
  const view = await terminalLoginForPage(request, instance);
  return (
    <PageShell emulatorUrl={portal.emulatorUrl} session={session} current="terminal" mainClassName="mx-auto max-w-2xl px-4 py-10">
      <h1 className="text-2xl font-semibold tracking-tight">Confirm a terminal</h1>
      <ConfirmTerminal request={request} instanceKey={instance} userName={session.user} initial={view} />
    </PageShell>
  );
}
