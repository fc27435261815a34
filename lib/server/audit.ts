import 'server-only';

import { logger } from '@/lib/server/log';
import { runtime } from '@/lib/server/runtime';
import { sha256Hex } from '@/lib/server/session/crypto';

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
  | 'identity_mismatch';

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

export async function audit(event: AuditEvent): Promise<void> {
  const { config, store } = runtime();
  // With one instance every event is its; with several, an event no instance was named for says so.
  const instance = event.instance ?? (config.instances.length === 1 ? config.instances[0].id : 'unknown');
  const record: StoredAuditEvent = { ...event, time: new Date().toISOString(), instance };
  // Pino stamps the line with its own `time`: a second one would make two fields of one name.
  const fields: Partial<StoredAuditEvent> = { ...record };
  delete fields.time;
  logger().info({ audit: true, ...fields });
  const line = JSON.stringify(record);
  try {
    await store.pushToList(ALL_EVENTS_KEY, line, KEEP_ALL, KEEP_MS);
    if (event.user) {
      await store.pushToList(personAuditKey(instance, event.user), line, KEEP_PER_PERSON, KEEP_MS);
    }
  } catch {
    // The stdout line is the audit record of record; the stored copy feeds the Activity page.
    logger().warn({ event: 'audit_store_unavailable', requestId: event.requestId });
  }
}

/** The person's recent events, newest first. */
export async function recentActivity(instanceId: string, userName: string, limit = 100): Promise<StoredAuditEvent[]> {
  const { store } = runtime();
  const lines = await store.readList(personAuditKey(instanceId, userName), limit);
  return lines.flatMap((line) => {
    try {
      return [JSON.parse(line) as StoredAuditEvent];
    } catch {
      return [];
    }
  });
}
