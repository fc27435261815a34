import 'server-only';

import type { StoredAuditEvent } from '@/lib/server/audit';
import { services } from '@/lib/server/services';

import { type CurrentSession, sessionsByInstance } from './session';

export type { StoredAuditEvent } from '@/lib/server/audit';

export interface Activity {
  /** The person's events, newest first, across every instance they are signed in to. */
  events: StoredAuditEvent[];
  /** Identity Center has not named the person at some instance: only this session's events are known there. */
  unnamed: boolean;
  /** Instance id → name, for the Instance column. */
  instanceNames: ReadonlyMap<string, string>;
}

/** The Activity page: the person's own events (their session's, while Identity Center has not named them). */
export async function activity(session: CurrentSession): Promise<Activity> {
  const { config, audit } = services();
  const several = config.instances.length > 1;
  const signedIn: { instance: CurrentSession['instance']; session: CurrentSession }[] = several
    ? (await sessionsByInstance()).flatMap(({ instance, session: at }) => (at ? [{ instance, session: at }] : []))
    : [{ instance: session.instance, session }];
  const events = (
    await Promise.all(
      signedIn.map(({ instance, session: at }) =>
        at.user !== undefined ? audit.recentActivity(instance.id, at.user, 100) : audit.recentSessionActivity(at.sessionRef, 100),
      ),
    )
  )
    .flat()
    .filter((event) => event.event !== 'session_identified')
    .sort((a, b) => b.time.localeCompare(a.time))
    .slice(0, 100);
  return {
    events,
    unnamed: signedIn.some((each) => each.session.user === undefined),
    instanceNames: new Map(config.instances.map((instance) => [instance.id, instance.name])),
  };
}
