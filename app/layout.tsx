import type { Metadata } from 'next';
import type { ReactNode } from 'react';

import { currentRequestId } from '@/lib/server/dal/portal';

import './globals.css';

// Every page carries a per-request CSP nonce, so every page renders per request.
export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  return {
    title: { default: 'Gatehouse', template: '%s · Gatehouse' },
    description: 'AWS access for your team through IAM Identity Center.',
    referrer: 'no-referrer',
    icons: { icon: '/favicon.svg' },
    // The error page quotes it: a person's report then finds the request in the logs.
    other: { 'gatehouse-request-id': await currentRequestId() },
  };
}

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">{children}</body>
    </html>
  );
}
