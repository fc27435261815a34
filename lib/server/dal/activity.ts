import 'server-only';

import type { StoredAuditEvent } from '@/lib/server/audit';
import { services } from '@/lib/server/services';
import { personKeyOf, type Viewer } from '@/lib/server/viewer';
import type { SavedListingView } from '@/lib/shared/saved-listing';
import type { TerminalSessionView } from '@/lib/shared/terminal-sessions';

import { type CurrentSession, sessionsByInstance } from './session';
import { liveTerminals } from './terminal-sessions';

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


/** The person's terminal sessions that are still alive, across the instances they are signed in to (newest first). */
export async function terminalSessions(session: CurrentSession): Promise<TerminalSessionView[]> {
  const { config } = services();
  const several = config.instances.length > 1;
  const signedIn = several ? (await sessionsByInstance()).flatMap(({ session: at }) => (at ? [at] : [])) : [session];
  const views = await Promise.all(
    signedIn.map(async (at) => {
      if (at.user === undefined) return [];
      return (await liveTerminals(at.instance, at.user)).map(({ entry, record, lastUsedAt, expiresAt }) => ({
        handle: entry.handle,
        instanceKey: several ? at.instance.key : undefined,
        instanceName: at.instance.name,
        label: entry.client?.label ?? 'a terminal',
        address: entry.client?.address ?? '',
        createdAt: record.createdAt,
        lastUsedAt,
        expiresAt,
      }));
    }),
  );
  return views.flat().sort((a, b) => b.createdAt - a.createdAt);
}

/**
 * The person's kept listings (one per Identity Center they are signed in to, once their user name is
 * known): what the next visit shows at once, and when it was listed.
 */
export async function savedListings(session: CurrentSession): Promise<SavedListingView[]> {
  const { config, of } = services();
  const several = config.instances.length > 1;
  const signedIn = several ? (await sessionsByInstance()).flatMap(({ session: at }) => (at ? [at] : [])) : [session];
  const views = await Promise.all(
    signedIn.map(async (at): Promise<SavedListingView[]> => {
      if (at.user === undefined) return [];
      const kept = await of(at.instance).listing.kept(personKeyOf(at.instance, at.user));
      if (!kept) return [];
      return [
        {
          instanceKey: several ? at.instance.key : undefined,
          instanceName: at.instance.name,
          listedAt: new Date(kept.listing.listedAt).toISOString(),
          accounts: kept.listing.accounts.length,
          keptUntil: new Date(kept.listing.listedAt + Math.max(config.accountsCacheMs, config.listingMaxAgeMs)).toISOString(),
        },
      ];
    }),
  );
  return views.flat();
}

/** Forgets the person's kept listing at the viewer's Identity Center: their next visit lists from scratch. */
export async function forgetSavedListing(viewer: Viewer): Promise<void> {
  const person = await viewer.person();
  await services().of(viewer.instance).listing.forget(person.personKey);
}
