'use client';

import { useSyncExternalStore } from 'react';

import { ErrorPage } from '@/components/error-page';
import { Button } from '@/components/ui/button';
import { ERRORS } from '@/lib/shared/errors';

/** The request id does not change while the page is shown. */
const noChanges = () => () => {};

/** A page that failed while rendering: the error table's words, a way back, and a reference to quote. */
export default function PageError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  // The layout writes the request id into the page; the response headers are out of the page's reach.
  const requestId = useSyncExternalStore(
    noChanges,
    () => document.querySelector<HTMLMetaElement>('meta[name="gatehouse-request-id"]')?.content,
    () => undefined,
  );
  return (
    <ErrorPage title={ERRORS.internal.title} message="This page could not be shown. Try again in a moment." requestId={requestId} digest={error.digest}>
      <Button variant="secondary" onClick={reset}>
        Try again
      </Button>
    </ErrorPage>
  );
}
