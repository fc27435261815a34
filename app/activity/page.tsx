import type { Metadata } from 'next';

import { z } from 'zod';

import { ActivityEvents } from '@/components/activity/activity-events';
import { SavedListings } from '@/components/activity/saved-listing';
import { Sessions } from '@/components/activity/sessions';
import { PageShell } from '@/components/page-shell';
import { Alert } from '@/components/ui/alert';
import { ACTIVITY_CURSOR_PATTERN, activity, personSessions, savedListings } from '@/lib/server/dal/activity';
import { portalSettings } from '@/lib/server/dal/portal';
import { requireSession } from '@/lib/server/dal/session';

export const metadata: Metadata = { title: 'Activity' };

const searchSchema = z.object({ before: z.string().regex(ACTIVITY_CURSOR_PATTERN).optional().catch(undefined) });

type SearchParams = Record<string, string | string[] | undefined>;

export default async function ActivityPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const { before } = searchSchema.parse(await searchParams);
  const session = await requireSession(before ? { next: `/activity?before=${encodeURIComponent(before)}` } : {});
  const portal = portalSettings();
  const several = portal.several;
  const { events, older, unnamed } = await activity(session, before);
  const sessions = await personSessions(session);
  const saved = await savedListings(session);
  return (
    <PageShell chrome={portal.chrome} session={session} current="activity" mainClassName="mx-auto max-w-5xl px-4 py-10">
      <h1 className="text-2xl font-semibold tracking-tight">Your activity</h1>
      <p className="mt-2 text-slate-600 dark:text-slate-300">
        Credentials and console sign-ins you took through Gatehouse, and your sign-ins, kept for {portal.auditRetentionDays} days.
        Credentials stay valid until they expire, even after you sign out.
      </p>
      {unnamed ? (
        <Alert variant="info" className="mt-6">
          Gatehouse has not learned your Identity Center user name yet: it learns it from a role assigned to you, and none has been
          found so far. Until then, this page lists what happened in this browser&rsquo;s session only.
        </Alert>
      ) : null}
      {events.length === 0 ? (
        <Alert variant="info" className="mt-6">
          {before
            ? 'Nothing older.'
            : 'Nothing yet. Your sign-ins and sign-outs, the credentials and console sign-ins you take, and the refusals of requests made with your session will appear here, newest first.'}
        </Alert>
      ) : (
        <ActivityEvents rows={events} several={several} older={older} newest={before === undefined} />
      )}
      <Sessions sessions={sessions} several={several} />
      {saved.length > 0 || session.user !== undefined ? (
        <SavedListings listings={saved} several={several} maxAgeHours={portal.listingMaxAgeHours} />
      ) : null}
    </PageShell>
  );
}
