'use client';

import './globals.css';

import { ErrorPage } from '@/components/error-page';
import { ERRORS } from '@/lib/shared/errors';

/** When even the root layout failed: the same page, in a document of its own. */
export default function GlobalError({ error }: { error: Error & { digest?: string } }) {
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">
        <ErrorPage title={ERRORS.internal.title} message="Gatehouse could not show this page. Try again in a moment." digest={error.digest} />
      </body>
    </html>
  );
}
