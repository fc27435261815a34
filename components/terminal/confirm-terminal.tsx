'use client';

import { CheckCircle2, ExternalLink, ShieldAlert, TerminalSquare } from 'lucide-react';
import Link from 'next/link';
import { useEffect, useState } from 'react';

import { ApiRequestError, portalFetch } from '@/components/api-client';
import { LocalTime } from '@/components/local-time';
import { Alert } from '@/components/ui/alert';
import { Button, buttonClasses } from '@/components/ui/button';
import { withInstance } from '@/lib/shared/instances';
import type { TerminalLoginRequestView } from '@/lib/shared/terminal-sessions';

/** How often the page asks where the sign-in stands once the person has confirmed it. */
const FOLLOW_MS = 2000;

/**
 * A terminal's sign-in as its person sees it: what asks (label, address, time, the words it
 * shows), Confirm or Not me; once confirmed, the Identity Center step, followed until the terminal
 * is signed in. Nothing here holds a token: the terminal gets its own from the portal.
 */
export function ConfirmTerminal({
  request,
  instanceKey,
  userName,
  initial,
}: {
  request: string;
  instanceKey?: string;
  userName?: string;
  initial: TerminalLoginRequestView | null;
}) {
  const [view, setView] = useState(initial);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const here = withInstance(`/terminal/confirm?request=${request}`, instanceKey);
  const state = view?.state;

  useEffect(() => {
    if (state !== 'awaiting-identity-center') return;
    const controller = new AbortController();
    const timer = setInterval(() => {
      portalFetch(withInstance(`/api/terminal/confirm?request=${request}`, instanceKey), { method: 'GET', signal: controller.signal, returnTo: here })
        .then((response) => response.json() as Promise<TerminalLoginRequestView>)
        .then(setView, () => undefined);
    }, FOLLOW_MS);
    return () => {
      clearInterval(timer);
      controller.abort();
    };
  }, [state, request, instanceKey, here]);

  const act = (path: '/api/terminal/confirm' | '/api/terminal/decline') => {
    setBusy(true);
    setFailure(null);
    portalFetch(withInstance(path, instanceKey), { body: { request }, returnTo: here })
      .then((response) => response.json() as Promise<TerminalLoginRequestView>)
      .then(
        (next) => {
          setView(next);
          setBusy(false);
        },
        (error: unknown) => {
          setBusy(false);
          setFailure(error instanceof ApiRequestError ? error.message : 'That did not work. Try again.');
        },
      );
  };

  if (view === null) {
    return (
      <Alert variant="info" className="mt-6">
        This terminal sign-in has expired or was already used. Run <code className="font-mono">gatehouse login</code> again in your
        terminal and open the link it prints.
      </Alert>
    );
  }

  return (
    <div className="mt-6 space-y-6">
      {failure ? (
        <Alert variant="error" role="alert">
          {failure}
        </Alert>
      ) : null}

      <section aria-labelledby="terminal-request-heading" className="rounded-lg border border-slate-200 p-5 dark:border-slate-800">
        <h2 id="terminal-request-heading" className="flex items-center gap-2 text-lg font-semibold">
          <TerminalSquare aria-hidden="true" className="size-5 text-slate-500" />A terminal asks to sign in as {userName ?? 'you'}
        </h2>
        <dl className="mt-4 grid grid-cols-[max-content_1fr] gap-x-4 gap-y-2 text-sm">
          <dt className="text-slate-600 dark:text-slate-300">Terminal</dt>
          <dd className="break-all font-mono">{view.label}</dd>
          <dt className="text-slate-600 dark:text-slate-300">Address</dt>
          <dd className="font-mono">{view.address || 'unknown'}</dd>
          <dt className="text-slate-600 dark:text-slate-300">Asked at</dt>
          <dd>
            <LocalTime iso={view.requestedAt} />
          </dd>
        </dl>
        <p className="mt-4 text-sm text-slate-700 dark:text-slate-200">Your terminal shows these words:</p>
        <p className="mt-1 font-mono text-2xl font-semibold tracking-wide" data-testid="confirmation-words">
          {view.words}
        </p>
      </section>

      {state === 'awaiting-confirmation' ? (
        userName === undefined ? (
          <Alert variant="warning">
            Gatehouse does not know your Identity Center user name yet (it learns it from a role assigned to you), so it cannot
            confirm a terminal for you.
          </Alert>
        ) : (
          <>
            <Alert variant="warning" icon={ShieldAlert}>
              Confirm only if you ran <code className="font-mono">gatehouse login</code> yourself just now and your terminal shows the
              same words. Someone who sent you this link would otherwise act in AWS as you.
            </Alert>
            <div className="flex flex-wrap gap-3">
              <Button onClick={() => act('/api/terminal/confirm')} disabled={busy}>
                Confirm: this is my terminal
              </Button>
              <Button variant="secondary" onClick={() => act('/api/terminal/decline')} disabled={busy}>
                Not me: refuse it
              </Button>
            </div>
          </>
        )
      ) : null}

      {state === 'awaiting-identity-center' && view.identityCenter ? (
        <section aria-labelledby="identity-center-heading" className="space-y-3">
          <h2 id="identity-center-heading" className="text-lg font-semibold">
            Now approve it at Identity Center
          </h2>
          <p className="text-sm text-slate-700 dark:text-slate-200">
            Identity Center asks you to approve <span className="font-medium">Gatehouse terminal</span>; check that its page shows the
            code <span className="font-mono font-semibold">{view.identityCenter.userCode}</span>. Your terminal signs in once you approve
            there, as the same person.
          </p>
          <a href={view.identityCenter.verificationUriComplete} target="_blank" rel="noopener noreferrer" className={buttonClasses('primary')}>
            <ExternalLink aria-hidden="true" className="size-4" />
            Open Identity Center
          </a>
          <p role="status" className="text-sm text-slate-600 dark:text-slate-300">
            Waiting for Identity Center…
          </p>
        </section>
      ) : null}

      {state === 'signed-in' ? (
        <Alert variant="info" icon={CheckCircle2} role="status">
          Your terminal is signed in. You can close this page; it is listed, with Revoke, on your{' '}
          <Link href="/activity" className="underline">
            Activity
          </Link>{' '}
          page.
        </Alert>
      ) : null}
      {state === 'refused' ? (
        <Alert variant="error" role="status">
          This terminal sign-in was refused, and the terminal was told. Nothing was signed in.
        </Alert>
      ) : null}
      {state === 'expired' ? (
        <Alert variant="info" role="status">
          This terminal sign-in has expired. Run <code className="font-mono">gatehouse login</code> again.
        </Alert>
      ) : null}
      {state === 'confirmed-by-someone-else' ? (
        <>
          <Alert variant="warning" icon={ShieldAlert}>
            Someone else has already confirmed this terminal sign-in. If it was sent to you, refuse it.
          </Alert>
          <Button variant="secondary" onClick={() => act('/api/terminal/decline')} disabled={busy}>
            Not me: refuse it
          </Button>
        </>
      ) : null}
    </div>
  );
}
