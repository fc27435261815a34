'use client';

import { lazy, Suspense } from 'react';

/**
 * An error boundary is part of every page's JavaScript: what it shows is loaded only when a page
 * has failed, so the page frame does not ship with every page.
 */
const FailedPage = lazy(() => import('@/components/failed-page').then((module) => ({ default: module.FailedPage })));

export default function PageError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <Suspense fallback={null}>
      <FailedPage digest={error.digest} reset={reset} message="This page could not be shown. Try again in a moment." />
    </Suspense>
  );
}
