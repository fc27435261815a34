'use client';

import { useSyncExternalStore } from 'react';

import { ErrorPage } from '@/components/error-page';
import { Button } from '@/components/ui/button';
import { ERRORS } from '@/lib/shared/errors';

/** The request id does not change while the page is shown. */
const noChanges = () => () => {};

/**
 * A page that failed while rendering (app/error.tsx, app/global-error.tsx): the error table's words,
 * the way back, Try again, and a reference to quote. Loaded only when a page has failed.
 */
export function FailedPage({ digest, reset, message }: { digest?: string; reset?: () => void; message: string }) {
  // The layout writes the request id into the page; the response headers are out of the page's reach.
  const requestId = useSyncExternalStore(
    noChanges,
    () => document.querySelector<HTMLMetaElement>('meta[name="gatehouse-request-id"]')?.content,
    () => undefined,
  );
  return (
    <ErrorPage title={ERRORS.internal.title} message={message} requestId={requestId} digest={digest}>
      {reset ? (
        <Button variant="secondary" onClick={reset}>
          Try again
        </Button>
      ) : null}
    </ErrorPage>
  );
}
