import 'server-only';

import type { ServerConfig } from '@/lib/server/core/config';
import { sha256Hex } from '@/lib/server/core/crypto';
import { logger } from '@/lib/server/core/log';
import { randomUUID } from 'node:crypto';

import type { KeyValueStore, LogCursor } from '@/lib/server/store/types';

/**
 * The audit trail: one JSON line on stdout per event (JSON encoding escapes any line break an
 * attacker put in a value), and the events kept in the store: the newest of all in one capped list,
 * and each person's own in a log kept by time (AUDIT_RETENTION_DAYS, the Activity page, read in
 * pages). A terminal's repeated hand-outs of the same credentials are one entry there, with a count
 * and a time range, so a script's loop cannot push a person's history out; stdout still has every
 * one. Never a secret: access key ids are identifiers (the join key to CloudTrail); secret keys,
 * session tokens, SSO tokens and session ids never reach this module.
 */

export type AuditEventName =
  | 'authn_login_success'
  | 'authn_login_fail'
  | 'session_logout'
  | 'session_expired'
  | 'credentials_issued'
  | 'console_signin'
  | 'authz_fail'
  | 'input_validation_fail'
  | 'rate_limited'
  | 'identity_mismatch'
  /** The session's Identity Center user became known: its earlier events (the sign-in) are theirs. */
  | 'session_identified'
  /** A person confirmed a terminal's sign-in in the portal (the terminal is told once Identity Center approves too). */
  | 'terminal_login_confirmed'
  /** A terminal's sign-in was refused: declined in the portal, or approved at Identity Center by someone else than who confirmed it. */
  | 'terminal_login_refused'
  /** A person's oldest idle terminal session ended to make room for a new one (the per-person cap). */
  | 'terminal_session_evicted';

export interface AuditEvent {
  event: AuditEventName;
  /** Identity Center user name, when known. */
  user?: string;
  accountId?: string;
  roleName?: string;
  accessKeyId?: string;
  /** ISO 8601 expiry of what was handed out. */
  expiration?: string;
  /** Why: denied, expired, idle, absolute, … */
  reason?: string;
  /** The rate-limited action, or the route of a refused request. */
  action?: string;
  scope?: string;
  /** The Identity Center instance (its id) the event is about; `unknown` when several are configured and none was named. */
  instance?: string;
  /** What the session is held by, for a terminal's events (`terminal`); absent for a browser's. */
  via?: 'terminal';
  /** For a terminal's credentials: whether they came from the portal's cache (no call to Identity Center). */
  cached?: boolean;
  /** For a terminal's sign-in: who confirmed it in the portal (a refusal's `user` is who approved at Identity Center). */
  confirmedBy?: string;
  /** For a terminal's sign-in: what the terminal said it is. */
  client?: string;
  /** The client address and user agent of the request that caused the event. */
  address?: string;
  userAgent?: string;
  /**
   * The session that caused the event (a reference, never its id: see sessionAuditRef). It ties a
   * session's events together before its user is known; `session_identified` names the user.
   */
  session?: string;
  requestId: string;
}

export interface StoredAuditEvent extends AuditEvent {
  time: string;
  instance: string;
  /** An entry standing for repeated hand-outs of the same credentials: how many, and since when (ISO 8601). */
  count?: number;
  firstTime?: string;
}

/** One page of a person's trail, newest first: each event with where it stands in the trail. */
export interface AuditPage {
  entries: { event: StoredAuditEvent; cursor: LogCursor }[];
  /** True when older events follow the page. */
  more: boolean;
}

const KEEP_ALL = 10_000;
/** A session's events before its user is known: at most a day, the longest a session lasts. */
const SESSION_TRAIL_MS = 24 * 60 * 60 * 1000;
export const ALL_EVENTS_KEY = 'audit:all';

export function personAuditKey(instanceId: string, userName: string): string {
  return `audit:${sha256Hex(`${instanceId}\n${userName}`)}`;
}

/** A session's own events, kept until its user is known (and for a person Identity Center never names). */
export function sessionAuditKey(sessionRef: string): string {
  return `audit:session:${sessionRef}`;
}

function parseEvent(line: string): StoredAuditEvent | null {
  try {
    return JSON.parse(line) as StoredAuditEvent;
  } catch {
    return null;
  }
}

/** The trail of this process: written to stdout and to the store every portal process shares. */
export function createAuditTrail(deps: { store: KeyValueStore; config: Pick<ServerConfig, 'instances' | 'auditRetentionMs'>; now?: () => number }) {
  const { store, config } = deps;
  const now = deps.now ?? Date.now;

  /** Where the event is kept: its person's log, or its session's until the person is known. */
  function trailOf(event: StoredAuditEvent): { key: string; keepMs: number } | undefined {
    if (event.user) return { key: personAuditKey(event.instance, event.user), keepMs: config.auditRetentionMs };
    if (event.session) return { key: sessionAuditKey(event.session), keepMs: Math.min(SESSION_TRAIL_MS, config.auditRetentionMs) };
    return undefined;
  }

  let sequence = 0;
  /**
   * An entry's id: its time, then a count kept by this process, then a random part. Events of one
   * millisecond from one process keep the order they happened in (the trail reads newest first by
   * time, then id); the random part keeps ids from different processes apart.
   */
  const entryId = (at: number) => `${at}-${String((sequence = (sequence + 1) % 1e9)).padStart(9, '0')}-${randomUUID().slice(0, 8)}`;

  /**
   * Keeps the event in its trail. `repeatOf` names what repeats (a session's hand-outs of one access
   * key): the trail's entry for it is counted up and moved to now, rather than a new one added.
   */
  async function keep(event: StoredAuditEvent, repeatOf: string | undefined): Promise<void> {
    const trail = trailOf(event);
    // The link from a session to its person is for the log; the person's page shows the sign-in itself.
    if (!trail || event.event === 'session_identified') return;
    const at = Date.parse(event.time);
    if (repeatOf === undefined) {
      await store.putLogEntry(trail.key, { id: entryId(at), at, value: JSON.stringify(event) }, trail.keepMs);
      return;
    }
    const id = `repeat-${sha256Hex(repeatOf)}`;
    const count = await store.increment(`audit-count:${sha256Hex(`${trail.key}\n${id}`)}`, trail.keepMs);
    const first = count === 1 ? null : await store.getLogEntry(trail.key, id);
    const firstTime = (first && parseEvent(first.value)?.firstTime) ?? (first && parseEvent(first.value)?.time) ?? event.time;
    const entry: StoredAuditEvent = count === 1 ? event : { ...event, count, firstTime };
    await store.putLogEntry(trail.key, { id, at, value: JSON.stringify(entry) }, trail.keepMs);
  }

  async function record(event: AuditEvent, options: { repeatOf?: string } = {}): Promise<void> {
    // With one instance every event is its; with several, an event no instance was named for says so.
    const instance = event.instance ?? (config.instances.length === 1 ? config.instances[0].id : 'unknown');
    const stored: StoredAuditEvent = { ...event, time: new Date(now()).toISOString(), instance };
    // Pino stamps the line with its own `time`: a second one would make two fields of one name.
    const fields: Partial<StoredAuditEvent> = { ...stored };
    delete fields.time;
    logger().info({ audit: true, ...fields });
    try {
      await store.pushToList(ALL_EVENTS_KEY, JSON.stringify(stored), KEEP_ALL, config.auditRetentionMs);
      await keep(stored, options.repeatOf);
    } catch {
      // The stdout line is the audit record of record; the stored copy feeds the Activity page.
      logger().warn({ event: 'audit_store_unavailable', requestId: event.requestId });
    }
  }

  async function page(key: string, limit: number, before: LogCursor | undefined): Promise<AuditPage> {
    const entries = await store.readLog(key, limit + 1, before);
    return {
      entries: entries.slice(0, limit).flatMap((entry) => {
        const event = parseEvent(entry.value);
        return event ? [{ event, cursor: { at: entry.at, id: entry.id } }] : [];
      }),
      more: entries.length > limit,
    };
  }

  /** A page of the person's events, newest first (`before`: where the page before ended). */
  const personActivity = (instanceId: string, userName: string, limit = 50, before?: LogCursor) => page(personAuditKey(instanceId, userName), limit, before);

  /** A page of the events of a session whose user Identity Center has not named, newest first. */
  const sessionActivity = (sessionRef: string, limit = 50, before?: LogCursor) => page(sessionAuditKey(sessionRef), limit, before);

  /**
   * The session's user is now known: the events it caused before (the sign-in among them) join the
   * person's own, named, and one `session_identified` line ties the session to the user in the log.
   */
  async function identifySession(instanceId: string, sessionRef: string, userName: string, requestId: string): Promise<void> {
    try {
      const earlier = await store.readLog(sessionAuditKey(sessionRef), 1000);
      for (const entry of earlier) {
        const event = parseEvent(entry.value);
        if (event) await store.putLogEntry(personAuditKey(instanceId, userName), { ...entry, value: JSON.stringify({ ...event, user: userName }) }, config.auditRetentionMs);
      }
      await store.deleteLog(sessionAuditKey(sessionRef));
    } catch {
      logger().warn({ event: 'audit_store_unavailable', requestId });
    }
    await record({ event: 'session_identified', user: userName, session: sessionRef, instance: instanceId, requestId });
  }

  return { record, personActivity, sessionActivity, identifySession };
}

export type AuditTrail = ReturnType<typeof createAuditTrail>;
