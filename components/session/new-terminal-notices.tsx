'use client';

import { TerminalSquare } from 'lucide-react';
import Link from 'next/link';
import { useState } from 'react';

import { portalFetch } from '@/components/api-client';
import { LocalTime } from '@/components/local-time';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { withInstance } from '@/lib/shared/instances';
import type { NewTerminalNotice } from '@/lib/shared/terminal-sessions';

/**
 * Says on the person's next page that a terminal signed in as them, with where from and when, and
 * the way to revoke it, until they dismiss it: a sign-in they did not make is seen at once.
 */
export function NewTerminalNotices({ notices }: { notices: NewTerminalNotice[] }) {
  const [dismissed, setDismissed] = useState(false);
  if (dismissed || notices.length === 0) return null;
  const instanceKey = notices[0]?.instanceKey;
  const dismiss = () => {
    setDismissed(true);
    void portalFetch(withInstance('/api/terminal-sessions/notices/dismiss', instanceKey), { body: {} }).catch(() => undefined);
  };
  return (
    <div className="mx-auto max-w-5xl px-4 pt-4">
      <Alert
        variant="warning"
        icon={TerminalSquare}
        role="status"
        action={
          <Button variant="secondary" className="px-3 py-1.5" onClick={dismiss}>
            Dismiss
          </Button>
        }
      >
        <p className="font-medium">{notices.length === 1 ? 'A terminal signed in as you' : `${notices.length} terminals signed in as you`}</p>
        <ul className="mt-1 space-y-0.5">
          {notices.map((notice) => (
            <li key={notice.handle}>
              <span className="font-mono">{notice.label}</span>
              {notice.address ? <> from {notice.address}</> : null}, <LocalTime iso={notice.createdAt} />
            </li>
          ))}
        </ul>
        <p className="mt-1">
          Not you?{' '}
          <Link href={withInstance('/activity', instanceKey)} className="font-medium underline">
            Revoke it on your Activity page
          </Link>
          .
        </p>
      </Alert>
    </div>
  );
}
