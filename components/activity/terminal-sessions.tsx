'use client';

import { TerminalSquare } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { useState } from 'react';

import { ApiRequestError, portalFetch } from '@/components/api-client';
import { LocalTime } from '@/components/local-time';
import { localDateTime, timeAgo } from '@/components/time-text';
import { useNow } from '@/components/use-now';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { withInstance } from '@/lib/shared/instances';
import type { TerminalSessionView } from '@/lib/shared/terminal-sessions';

/**
 * The person's terminal sessions (the `gatehouse` command signed in through the portal): where
 * from, since when, last used, when they end, and Revoke for each. A revoked terminal's next
 * command is refused and says to sign in again.
 */
export function TerminalSessions({ sessions, several }: { sessions: TerminalSessionView[]; several: boolean }) {
  const router = useRouter();
  const now = useNow(true, 60_000);
  const [revoking, setRevoking] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const [confirmingAll, setConfirmingAll] = useState(false);

  const revoke = (row: TerminalSessionView) => {
    setRevoking(row.handle);
    setFailure(null);
    portalFetch(withInstance('/api/terminal-sessions/revoke', row.instanceKey), { body: { handle: row.handle } }).then(
      () => {
        setAnnouncement(`The terminal session from ${row.label} is revoked.`);
        setRevoking(null);
        router.refresh();
      },
      (error: unknown) => {
        setRevoking(null);
        setFailure(error instanceof ApiRequestError ? error.message : 'The session could not be revoked. Try again.');
      },
    );
  };

  const revokeAll = () => {
    setRevoking('all');
    setFailure(null);
    portalFetch('/api/terminal-sessions/revoke-all', { body: {} })
      .then((response) => response.json() as Promise<{ revoked: number }>)
      .then(
        ({ revoked }) => {
          setAnnouncement(`${revoked} terminal session${revoked === 1 ? '' : 's'} revoked.`);
          setRevoking(null);
          setConfirmingAll(false);
          router.refresh();
        },
        (error: unknown) => {
          setRevoking(null);
          setFailure(error instanceof ApiRequestError ? error.message : 'The sessions could not be revoked. Try again.');
        },
      );
  };

  return (
    <section aria-labelledby="terminal-sessions-heading" className="mt-10">
      <h2 id="terminal-sessions-heading" className="flex items-center gap-2 text-lg font-semibold">
        <TerminalSquare aria-hidden="true" className="size-5 text-slate-500" />
        Terminal sessions
      </h2>
      <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
        The <code className="font-mono">gatehouse</code> command, signed in through this portal. It holds a Gatehouse session, never
        an AWS token; revoke one you do not recognise, or that you no longer use.
      </p>
      <p role="status" className="sr-only">
        {announcement}
      </p>
      {failure ? (
        <Alert variant="error" role="alert" className="mt-3">
          {failure}
        </Alert>
      ) : null}
      {sessions.length > 0 ? (
        <div className="mt-3 flex flex-wrap items-center gap-3">
          {confirmingAll ? (
            <>
              <span className="text-sm">
                Revoke all {sessions.length} terminal session{sessions.length === 1 ? '' : 's'}? Each terminal must sign in again.
              </span>
              <Button variant="primary" className="px-3 py-1.5" onClick={revokeAll} disabled={revoking !== null}>
                {revoking === 'all' ? 'Revoking…' : 'Yes, revoke all'}
              </Button>
              <Button variant="secondary" className="px-3 py-1.5" onClick={() => setConfirmingAll(false)} disabled={revoking !== null}>
                Cancel
              </Button>
            </>
          ) : (
            <Button variant="secondary" className="px-3 py-1.5" onClick={() => setConfirmingAll(true)} disabled={revoking !== null}>
              Revoke all terminals
            </Button>
          )}
        </div>
      ) : null}
      {sessions.length === 0 ? (
        <Alert variant="info" className="mt-4">
          No terminal is signed in. <code className="font-mono">gatehouse login</code> signs one in; see Terminal in the menu.
        </Alert>
      ) : (
        <div className="mt-4 overflow-x-auto">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Your terminal sessions, newest first</caption>
            <thead className="border-b border-slate-200 text-slate-600 dark:border-slate-800 dark:text-slate-300">
              <tr>
                <th scope="col" className="py-2 pr-4 font-medium">From</th>
                {several ? <th scope="col" className="py-2 pr-4 font-medium">Instance</th> : null}
                <th scope="col" className="py-2 pr-4 font-medium">Signed in</th>
                <th scope="col" className="py-2 pr-4 font-medium">Last used</th>
                <th scope="col" className="py-2 pr-4 font-medium">Ends</th>
                <th scope="col" className="py-2 font-medium"><span className="sr-only">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {sessions.map((row) => (
                <tr key={row.handle} className="border-b border-slate-100 dark:border-slate-900">
                  <td className="py-2 pr-4">
                    <span className="font-mono">{row.label}</span>
                    {row.address ? <span className="text-slate-500"> · {row.address}</span> : null}
                  </td>
                  {several ? <td className="py-2 pr-4">{row.instanceName}</td> : null}
                  <td className="py-2 pr-4 whitespace-nowrap">
                    <LocalTime iso={new Date(row.createdAt).toISOString()} />
                  </td>
                  <td className="py-2 pr-4 whitespace-nowrap">{timeAgo(new Date(row.lastUsedAt).toISOString(), now)}</td>
                  <td className="py-2 pr-4 whitespace-nowrap">
                    <LocalTime iso={new Date(row.expiresAt).toISOString()} />
                  </td>
                  <td className="py-2 text-right">
                    <Button
                      variant="secondary"
                      className="px-3 py-1.5"
                      onClick={() => revoke(row)}
                      disabled={revoking !== null}
                      aria-label={`Revoke the terminal session from ${row.label}, signed in ${localDateTime(row.createdAt)}`}
                    >
                      {revoking === row.handle ? 'Revoking…' : 'Revoke'}
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
