'use client';

import { Globe, TerminalSquare } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { useState } from 'react';

import { ApiRequestError, portalFetch } from '@/components/api-client';
import { LocalTime } from '@/components/local-time';
import { localDateTime, timeAgo } from '@/components/time-text';
import { useNow } from '@/components/use-now';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { withInstance } from '@/lib/shared/instances';
import type { SessionView } from '@/lib/shared/terminal-sessions';

/**
 * Every session of the person: their browsers and the terminals where the `gatehouse` command is
 * signed in, with where from, since when, last used, when they end, and Revoke for each (this
 * browser's own is marked; Sign out ends it). A revoked terminal's next command says when and by
 * whom; a revoked browser is signed out at its next request. As a table on a wide screen, as cards on
 * a phone, so every field stays readable.
 */
export function Sessions({ sessions, several }: { sessions: SessionView[]; several: boolean }) {
  const router = useRouter();
  const now = useNow(true, 60_000);
  const [revoking, setRevoking] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const [confirmingAll, setConfirmingAll] = useState(false);
  const terminals = sessions.filter((row) => row.kind === 'terminal');

  const what = (row: SessionView) => (row.kind === 'terminal' ? `the terminal session from ${row.label}` : `the browser session of ${row.label}`);

  const revoke = (row: SessionView) => {
    setRevoking(row.handle);
    setFailure(null);
    portalFetch(withInstance('/api/sessions/revoke', row.instanceKey), { body: { handle: row.handle } }).then(
      () => {
        setAnnouncement(`${what(row)} is revoked.`);
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

  const action = (row: SessionView) =>
    row.current ? (
      <span className="text-sm font-medium text-slate-700 dark:text-slate-200">This browser</span>
    ) : (
      <Button
        variant="secondary"
        className="px-3 py-1.5"
        onClick={() => revoke(row)}
        disabled={revoking !== null}
        aria-label={`Revoke ${what(row)}, signed in ${localDateTime(row.createdAt)}`}
      >
        {revoking === row.handle ? 'Revoking…' : 'Revoke'}
      </Button>
    );

  const from = (row: SessionView) => (
    <span className="inline-flex items-start gap-2">
      {row.kind === 'terminal' ? (
        <TerminalSquare aria-label="Terminal" className="mt-0.5 size-4 shrink-0 text-slate-600 dark:text-slate-300" />
      ) : (
        <Globe aria-label="Browser" className="mt-0.5 size-4 shrink-0 text-slate-600 dark:text-slate-300" />
      )}
      <span>
        <span className={row.kind === 'terminal' ? 'break-all font-mono' : ''}>{row.label}</span>
        {row.address ? <span className="text-slate-600 dark:text-slate-300"> · {row.address}</span> : null}
      </span>
    </span>
  );

  return (
    <section aria-labelledby="sessions-heading" className="mt-10">
      <h2 id="sessions-heading" className="text-lg font-semibold">
        Your sessions
      </h2>
      <p className="mt-1 text-sm text-slate-600 dark:text-slate-300">
        Where you are signed in: your browsers, and the terminals where the <code className="font-mono">gatehouse</code> command is (it
        holds a Gatehouse session, never an AWS token). Revoke one you do not recognise, or no longer use.
      </p>
      <p role="status" className="sr-only">
        {announcement}
      </p>
      {failure ? (
        <Alert variant="error" role="alert" className="mt-3">
          {failure}
        </Alert>
      ) : null}
      {terminals.length > 0 ? (
        <div className="mt-3 flex flex-wrap items-center gap-3">
          {confirmingAll ? (
            <>
              <span className="text-sm">
                Revoke all {terminals.length} terminal session{terminals.length === 1 ? '' : 's'}? Each terminal must sign in again.
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
      ) : (
        <p className="mt-3 text-sm text-slate-600 dark:text-slate-300">
          No terminal is signed in. <code className="font-mono">gatehouse login</code> signs one in; see Terminal in the menu.
        </p>
      )}

      <ul aria-label="Your sessions" className="mt-4 space-y-3 sm:hidden">
        {sessions.map((row) => (
          <li key={row.handle} className="rounded-lg border border-slate-200 p-3 text-sm dark:border-slate-800">
            <div className="flex items-start justify-between gap-3">
              {from(row)}
              {action(row)}
            </div>
            <dl className="mt-2 grid grid-cols-[max-content_1fr] gap-x-3 gap-y-1 text-slate-700 dark:text-slate-200">
              {several ? (
                <>
                  <dt>Instance</dt>
                  <dd>{row.instanceName}</dd>
                </>
              ) : null}
              <dt>Signed in</dt>
              <dd>
                <LocalTime iso={new Date(row.createdAt).toISOString()} />
              </dd>
              <dt>Last used</dt>
              <dd>{timeAgo(new Date(row.lastUsedAt).toISOString(), now)}</dd>
              <dt>Ends</dt>
              <dd>
                <LocalTime iso={new Date(row.expiresAt).toISOString()} />
              </dd>
            </dl>
          </li>
        ))}
      </ul>

      <div className="mt-4 hidden overflow-x-auto sm:block">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Your sessions, this browser first, then the newest</caption>
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
              <tr key={row.handle} className="border-b border-slate-100 dark:border-slate-800">
                <td className="py-2 pr-4">{from(row)}</td>
                {several ? <td className="py-2 pr-4">{row.instanceName}</td> : null}
                <td className="py-2 pr-4 whitespace-nowrap">
                  <LocalTime iso={new Date(row.createdAt).toISOString()} />
                </td>
                <td className="py-2 pr-4 whitespace-nowrap">{timeAgo(new Date(row.lastUsedAt).toISOString(), now)}</td>
                <td className="py-2 pr-4 whitespace-nowrap">
                  <LocalTime iso={new Date(row.expiresAt).toISOString()} />
                </td>
                <td className="py-2 text-right">{action(row)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
