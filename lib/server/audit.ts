import 'server-only';

import type { ServerConfig } from '@/lib/server/core/config';
import { sha256Hex } from '@/lib/server/core/crypto';
import { logger } from '@/lib/server/core/log';
import type { KeyValueStore } from '@/lib/server/store/types';

/**
 * The audit trail: one JSON line on stdout per event (JSON encoding escapes any line break an
 * attacker put in a value), and the events kept in the store: all of them in one capped list, and
 * each person's own in theirs (the Activity page). Never a secret: access key ids are identifiers
 * (the join key to CloudTrail); secret keys, session tokens, SSO tokens and session ids never reach
 * this module.
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
  /** For a terminal's sign-in: what the terminal said it is, and the address it asked from. */
  client?: string;
  address?: string;
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
}

const KEEP_PER_PERSON = 200;
const KEEP_ALL = 10_000;
const KEEP_MS = 90 * 24 * 60 * 60 * 1000;
export const ALL_EVENTS_KEY = 'audit:all';

export function personAuditKey(instanceId: string, userName: string): string {
  return `audit:${sha256Hex(`${instanceId}\n${userName}`)}`;
}

/** A session's own events, kept until its user is known (and for a person Identity Center never names). */
export function sessionAuditKey(sessionRef: string): string {
  return `audit:session:${sessionRef}`;
}

function parseEvents(lines: string[]): StoredAuditEvent[] {
  return lines.flatMap((line) => {
    try {
      return [JSON.parse(line) as StoredAuditEvent];
    } catch {
      return [];
    }
  });
}

/** The trail of this process: written to stdout and to the store every portal process shares. */
export function createAuditTrail(deps: { store: KeyValueStore; config: Pick<ServerConfig, 'instances'> }) {
  const { store, config } = deps;

  async function record(event: AuditEvent): Promise<void> {
    // With one instance every event is its; with several, an event no instance was named for says so.
    const instance = event.instance ?? (config.instances.length === 1 ? config.instances[0].id : 'unknown');
    const stored: StoredAuditEvent = { ...event, time: new Date().toISOString(), instance };
    // Pino stamps the line with its own `time`: a second one would make two fields of one name.
    const fields: Partial<StoredAuditEvent> = { ...stored };
    delete fields.time;
    logger().info({ audit: true, ...fields });
    const line = JSON.stringify(stored);
    try {
      await store.pushToList(ALL_EVENTS_KEY, line, KEEP_ALL, KEEP_MS);
      if (event.user) {
        await store.pushToList(personAuditKey(instance, event.user), line, KEEP_PER_PERSON, KEEP_MS);
      } else if (event.session) {
        await store.pushToList(sessionAuditKey(event.session), line, KEEP_PER_PERSON, KEEP_MS);
      }
    } catch {
      // The stdout line is the audit record of record; the stored copy feeds the Activity page.
      logger().warn({ event: 'audit_store_unavailable', requestId: event.requestId });
    }
  }

  /** The person's recent events, newest first. */
  async function recentActivity(instanceId: string, userName: string, limit = 100): Promise<StoredAuditEvent[]> {
    return parseEvents(await store.readList(personAuditKey(instanceId, userName), limit));
  }

  /** The recent events of a session whose user Identity Center has not named, newest first. */
  async function recentSessionActivity(sessionRef: string, limit = 100): Promise<StoredAuditEvent[]> {
    return parseEvents(await store.readList(sessionAuditKey(sessionRef), limit));
  }

  /**
   * The session's user is now known: the events it caused before (the sign-in among them) join the
   * person's own, named, and one `session_identified` line ties the session to the user in the log.
   */
  async function identifySession(instanceId: string, sessionRef: string, userName: string, requestId: string): Promise<void> {
    try {
      const earlier = parseEvents(await store.readList(sessionAuditKey(sessionRef), KEEP_PER_PERSON));
      // Oldest first, so the person's list keeps its order (newest at the front).
      for (const event of earlier.reverse()) {
        await store.pushToList(personAuditKey(instanceId, userName), JSON.stringify({ ...event, user: userName }), KEEP_PER_PERSON, KEEP_MS);
      }
      await store.delete(sessionAuditKey(sessionRef));
    } catch {
      logger().warn({ event: 'audit_store_unavailable', requestId });
    }
    await record({ event: 'session_identified', user: userName, session: sessionRef, instance: instanceId, requestId });
  }

  return { record, recentActivity, recentSessionActivity, identifySession };
}

export type AuditTrail = ReturnType<typeof createAuditTrail>;
