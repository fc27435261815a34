'use client';

import './globals.css';

import dynamic from 'next/dynamic';

/** Loaded only when it is needed (see app/error.tsx). */
const FailedPage = dynamic(() => import('@/components/failed-page').then((module) => module.FailedPage));

/** When even the root layout failed: the same page, in a document of its own. */
export default function GlobalError({ error }: { error: Error & { digest?: string } }) {
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">
        <FailedPage digest={error.digest} message="Gatehouse could not show this page. Try again in a moment." />
      </body>
    </html>
  );
}
