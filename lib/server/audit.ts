import 'server-only';

import { logger } from '@/lib/server/log';
import { runtime } from '@/lib/server/runtime';
import { sha256Hex } from '@/lib/server/session/crypto';

/**
 * The audit trail: one JSON line on stdout per event, and the person's recent events kept in the
 * store. Never a secret: access key ids are identifiers (the join key to CloudTrail), secret keys,
 * session tokens and SSO tokens never reach this module.
 */

export type AuditEventName = 'credentials_issued' | 'console_signin';

export interface AuditEvent {
  event: AuditEventName;
  /** Identity Center user name, when known. */
  user?: string;
  accountId?: string;
  roleName?: string;
  accessKeyId?: string;
  /** ISO 8601 expiry of what was handed out. */
  expiration?: string;
  requestId: string;
}

const KEEP_PER_PERSON = 200;
const KEEP_MS = 90 * 24 * 60 * 60 * 1000;

export function personAuditKey(instanceId: string, userName: string): string {
  return `audit:${sha256Hex(`${instanceId}\n${userName}`)}`;
}

export async function audit(event: AuditEvent): Promise<void> {
  const { config, store } = runtime();
  const record = { ...event, time: new Date().toISOString(), instance: config.identityCenter.id };
  logger().info({ audit: true, ...record });
  if (event.user) {
    try {
      await store.pushToList(personAuditKey(config.identityCenter.id, event.user), JSON.stringify(record), KEEP_PER_PERSON, KEEP_MS);
    } catch {
      // The stdout line is the audit record of record; the stored copy only feeds the Activity page.
      logger().warn({ event: 'audit_store_unavailable', requestId: event.requestId });
    }
  }
}
