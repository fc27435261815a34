import 'server-only';

import type { StoredAuditEvent } from '@/lib/server/audit';
import type { LogCursor } from '@/lib/server/store/types';
import { services } from '@/lib/server/services';
import { personKeyOf, type Viewer } from '@/lib/server/viewer';
import type { SavedListingView } from '@/lib/shared/saved-listing';
import type { ActivityRow } from '@/lib/shared/activity';
import type { SessionView } from '@/lib/shared/terminal-sessions';

import { type CurrentSession, sessionsByInstance } from './session';
import { liveSessions } from './terminal-sessions';

export type { StoredAuditEvent } from '@/lib/server/audit';

export interface Activity {
  /** A page of the person's events, newest first, across every instance they are signed in to. */
  events: ActivityRow[];
  /** Where the next (older) page starts, for its link; none when this is the last page. */
  older?: string;
  /** Identity Center has not named the person at some instance: only this session's events are known there. */
  unnamed: boolean;
}

/** An event as the page shows it: the account named from the person's listing, no field the page does not use. */
function rowOf(event: StoredAuditEvent, key: string, instanceNames: ReadonlyMap<string, string>, accountNames: ReadonlyMap<string, ReadonlyMap<string, string>>): ActivityRow {
  return {
    key,
    time: event.time,
    count: event.count,
    firstTime: event.firstTime,
    event: event.event,
    terminal: event.via === 'terminal',
    cached: event.cached,
    reason: event.reason,
    instanceName: instanceNames.get(event.instance),
    accountId: event.accountId,
    accountName: event.accountId === undefined ? undefined : accountNames.get(event.instance)?.get(event.accountId),
    roleName: event.roleName,
    accessKeyId: event.accessKeyId,
    expiration: event.expiration,
  };
}

/** A page's place in the trail, as the Activity page's "Older" link carries it: `<time>.<entry id>`. */
export const ACTIVITY_CURSOR_PATTERN = /^(\d{1,15})\.([A-Za-z0-9-]{1,100})$/;

function parseCursor(text: string | undefined): LogCursor | undefined {
  const match = text === undefined ? null : ACTIVITY_CURSOR_PATTERN.exec(text);
  return match ? { at: Number(match[1]), id: match[2] as string } : undefined;
}

const PAGE_SIZE = 50;

/**
 * The Activity page: a page of the person's own events (their session's, while Identity Center has
 * not named them), older than `before` when given, merged across the instances they are signed in to.
 */
export async function activity(session: CurrentSession, before?: string): Promise<Activity> {
  const { config, audit, of } = services();
  const several = config.instances.length > 1;
  const signedIn: { instance: CurrentSession['instance']; session: CurrentSession }[] = several
    ? (await sessionsByInstance()).flatMap(({ instance, session: at }) => (at ? [{ instance, session: at }] : []))
    : [{ instance: session.instance, session }];
  const cursor = parseCursor(before);
  const pages = await Promise.all(
    signedIn.map(({ instance, session: at }) =>
      at.user !== undefined ? audit.personActivity(instance.id, at.user, PAGE_SIZE, cursor) : audit.sessionActivity(at.sessionRef, PAGE_SIZE, cursor),
    ),
  );
  const merged = pages
    .flatMap((page) => page.entries)
    .sort((a, b) => b.cursor.at - a.cursor.at || (a.cursor.id < b.cursor.id ? 1 : a.cursor.id > b.cursor.id ? -1 : 0));
  const shown = merged.slice(0, PAGE_SIZE);
  const last = shown.at(-1);
  const more = merged.length > PAGE_SIZE || pages.some((page) => page.more);
  const accountNames = new Map<string, ReadonlyMap<string, string>>();
  for (const { instance, session: at } of signedIn) {
    if (at.user === undefined) continue;
    const known = await of(instance).listing.known(personKeyOf(instance, at.user)).catch(() => null);
    accountNames.set(
      instance.id,
      new Map((known?.accounts ?? []).map((account) => [account.accountId, instance.nicknames[account.accountId] ?? account.accountName])),
    );
  }
  const instanceNames = new Map(config.instances.map((instance) => [instance.id, instance.name]));
  return {
    events: shown.map((entry) => rowOf(entry.event, `${entry.cursor.at}.${entry.cursor.id}`, instanceNames, accountNames)),
    older: more && last ? `${last.cursor.at}.${last.cursor.id}` : undefined,
    unnamed: signedIn.some((each) => each.session.user === undefined),
  };
}

/**
 * Every session of the person that is still alive, browsers and terminals, across the instances
 * they are signed in to: newest first, the one this browser uses marked.
 */
export async function personSessions(session: CurrentSession): Promise<SessionView[]> {
  const { config } = services();
  const several = config.instances.length > 1;
  const signedIn = several ? (await sessionsByInstance()).flatMap(({ session: at }) => (at ? [at] : [])) : [session];
  const views = await Promise.all(
    signedIn.flatMap((at) =>
      (['browser', 'terminal'] as const).map(async (kind) => {
        if (at.user === undefined) return [];
        return (await liveSessions(at.instance, at.user, kind)).map(({ entry, record, lastUsedAt, expiresAt }) => ({
          handle: entry.handle,
          kind,
          current: entry.sessionRef === at.sessionRef,
          instanceKey: several ? at.instance.key : undefined,
          instanceName: at.instance.name,
          label: entry.client?.label ?? (kind === 'terminal' ? 'a terminal' : 'a browser'),
          address: entry.client?.address ?? '',
          createdAt: record.createdAt,
          lastUsedAt,
          expiresAt,
        }));
      }),
    ),
  );
  return views.flat().sort((a, b) => Number(b.current) - Number(a.current) || b.createdAt - a.createdAt);
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
