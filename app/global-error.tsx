'use client';

import './globals.css';

import { lazy, Suspense } from 'react';

/** Loaded only when it is needed (see app/error.tsx). */
const FailedPage = lazy(() => import('@/components/failed-page').then((module) => ({ default: module.FailedPage })));

/** When even the root layout failed: the same page, in a document of its own. */
export default function GlobalError({ error }: { error: Error & { digest?: string } }) {
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">
        <Suspense fallback={null}>
          <FailedPage digest={error.digest} message="Gatehouse could not show this page. Try again in a moment." />
        </Suspense>
      </body>
    </html>
  );
}
