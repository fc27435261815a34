'use client';

import { ExternalLink, LoaderCircle, RotateCcw, ShieldAlert } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useRef, useState } from 'react';

import { ApiRequestError, apiRequest } from '@/components/api-client';
import { useInstancePath } from '@/components/instance-context';
import { clockCountdown } from '@/components/time-text';
import { Button, buttonClasses } from '@/components/ui/button';
import { CopyButton } from '@/components/ui/copy-button';
import { useNow } from '@/components/use-now';
import type { PollSignInResponse, StartSignInResponse } from '@/lib/shared/api';

type Phase =
  | { kind: 'idle' }
  | { kind: 'starting' }
  | { kind: 'waiting'; flow: StartSignInResponse }
  | { kind: 'approved' }
  | { kind: 'denied' }
  | { kind: 'expired' }
  | { kind: 'error'; message: string };

function Countdown({ until }: { until: string }) {
  const now = useNow(true);
  const remaining = new Date(until).getTime() - now;
  return (
    <span>
      The code expires in <time dateTime={until}>{clockCountdown(remaining)}</time>.
    </span>
  );
}

/**
 * The sign-in: start a device authorization, show the code, send the person to Identity Center,
 * and poll (as often as the server says) until it is approved, denied or expired.
 */
export function SignInPanel({
  notice,
  next,
  instanceName,
  startAtOnce = false,
}: {
  notice?: string;
  next?: string;
  instanceName?: string;
  /** The person already pressed Sign in (on the home page): ask for the code without a second click. */
  startAtOnce?: boolean;
}) {
  const router = useRouter();
  const instancePath = useInstancePath();
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const pollTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const stopPolling = () => {
    if (pollTimer.current) clearTimeout(pollTimer.current);
    pollTimer.current = undefined;
  };
  useEffect(() => stopPolling, []);

  // One poll, then the next at the pace the server asks for; kept in a ref so it can schedule itself.
  // It never rejects: every failure becomes a retry or the error phase.
  const pollOnce = useRef<() => Promise<void>>(async () => {});
  const schedulePoll = useCallback((delayMs: number) => {
    stopPolling();
    pollTimer.current = setTimeout(() => void pollOnce.current(), delayMs);
  }, []);
  useEffect(() => {
    pollOnce.current = async () => {
      try {
        const answer = await apiRequest<PollSignInResponse>(instancePath('/api/auth/device/poll'));
        if (answer.status === 'pending') {
          schedulePoll(Math.min(Math.max(answer.retryAfterMs ?? 1000, 500), 5000));
        } else if (answer.status === 'approved') {
          setPhase({ kind: 'approved' });
          if (next) {
            // A full load: `next` may be a route that redirects elsewhere (the console shortcut).
            window.location.assign(next);
          } else {
            router.replace(instancePath('/accounts'));
          }
        } else {
          setPhase({ kind: answer.status });
        }
      } catch (error) {
        // A passing failure (network, 503) is retried; the code's own expiry ends the wait.
        if (error instanceof ApiRequestError && (error.status === 0 || error.status >= 500)) schedulePoll(3000);
        else setPhase({ kind: 'error', message: error instanceof Error ? error.message : 'Sign-in failed.' });
      }
    };
  }, [router, schedulePoll, next, instancePath]);

  /** Never rejects: a failure becomes the error phase. */
  const start = async () => {
    stopPolling();
    setPhase({ kind: 'starting' });
    try {
      const flow = await apiRequest<StartSignInResponse>(instancePath('/api/auth/device'));
      setPhase({ kind: 'waiting', flow });
      schedulePoll(flow.intervalSeconds * 1000);
    } catch (error) {
      setPhase({ kind: 'error', message: error instanceof Error ? error.message : 'Sign-in could not start.' });
    }
  };

  const failure =
    phase.kind === 'denied'
      ? 'The sign-in was denied on the Identity Center page. You can start again with a new code.'
      : phase.kind === 'expired'
        ? 'The code expired before it was approved. Get a new code to try again.'
        : phase.kind === 'error'
          ? phase.message
          : null;

  const onStart = () => void start();

  // Once per page: a re-render (or React's development double run) must not ask for a second code.
  const startedAtOnce = useRef(false);
  useEffect(() => {
    if (!startAtOnce || startedAtOnce.current) return;
    startedAtOnce.current = true;
    void start();
    // `start` is recreated every render; this runs for the first one only.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [startAtOnce]);

  const again = (
    <Button onClick={onStart}>
      <RotateCcw aria-hidden="true" className="size-4" />
      Get a new code
    </Button>
  );

  return (
    <section aria-labelledby="sign-in-heading" className="rounded-xl border border-slate-200 p-6 shadow-sm dark:border-slate-800">
      <h1 id="sign-in-heading" className="text-2xl font-semibold tracking-tight">
        {instanceName ? `Sign in to ${instanceName}` : 'Sign in'}
      </h1>
      {notice && (phase.kind === 'idle' || phase.kind === 'waiting' || phase.kind === 'starting') ? (
        <p role="status" className="mt-3 rounded-md bg-slate-100 px-3 py-2 text-sm dark:bg-slate-800">
          {notice}
        </p>
      ) : null}

      {phase.kind === 'idle' || phase.kind === 'starting' ? (
        <>
          <p className="mt-3 text-slate-600 dark:text-slate-300">
            Gatehouse signs you in through IAM Identity Center. You will get a code to confirm on the Identity Center
            page.
          </p>
          <Button className="mt-6" onClick={onStart} disabled={phase.kind === 'starting'}>
            {phase.kind === 'starting' ? <LoaderCircle aria-hidden="true" className="size-4 animate-spin" /> : null}
            Sign in
          </Button>
        </>
      ) : null}

      {phase.kind === 'waiting' ? (
        <div className="mt-4">
          <p className="text-slate-600 dark:text-slate-300">Your code:</p>
          <p
            aria-label="Your sign-in code"
            data-testid="user-code"
            className="mt-2 select-all font-mono text-4xl font-semibold tracking-[0.2em] text-slate-900 dark:text-white"
          >
            {phase.flow.userCode}
          </p>
          <div className="mt-4 flex flex-wrap gap-3">
            <a
              href={phase.flow.verificationUriComplete}
              target="_blank"
              rel="noopener noreferrer"
              className={buttonClasses('primary')}
            >
              <ExternalLink aria-hidden="true" className="size-4" />
              Open the Identity Center page
            </a>
            <CopyButton text={phase.flow.userCode} label="Copy code" size="md">
              Copy code
            </CopyButton>
          </div>
          <p className="mt-4 flex items-start gap-2 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-950 dark:bg-amber-950 dark:text-amber-100">
            <ShieldAlert aria-hidden="true" className="mt-0.5 size-4 shrink-0" />
            <span>
              Check that the Identity Center page shows exactly this code before you approve. Never approve a code that
              someone sent you.
            </span>
          </p>
          <p className="mt-4 text-sm text-slate-600 dark:text-slate-300">
            <Countdown until={phase.flow.expiresAt} />
          </p>
          <p role="status" aria-live="polite" className="mt-2 flex items-center gap-2 text-sm">
            <LoaderCircle aria-hidden="true" className="size-4 animate-spin" />
            Waiting for you to approve on the Identity Center page…
          </p>
        </div>
      ) : null}

      {phase.kind === 'approved' ? (
        <p role="status" aria-live="polite" className="mt-4">
          Signed in. Opening your accounts…
        </p>
      ) : null}

      {failure ? (
        <div className="mt-4 space-y-4">
          <p role="alert">{failure}</p>
          {again}
        </div>
      ) : null}
    </section>
  );
}
