import 'server-only';

import { GatehouseError } from '@/lib/server/core/errors';

/**
 * The one storage interface behind sessions, client registrations, locks and (later) caches,
 * favorites and rate limits. Values are opaque strings; callers encrypt what is secret.
 * Every key has a time to live, so nothing outlives its purpose.
 */
export interface KeyValueStore {
  readonly kind: 'sqlite' | 'redis' | 'memory';
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** Sets only when the key is absent or expired; true when it did (locks, first writers). */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  delete(key: string): Promise<void>;
  /** Deletes only while the value still equals `expected` (releasing one's own lock). */
  deleteIfEquals(key: string, expected: string): Promise<boolean>;
  /** Restarts the time to live only while the value still equals `expected` (renewing one's own lease); false otherwise. */
  expireIfEquals(key: string, expected: string, ttlMs: number): Promise<boolean>;
  /** Adds 1 atomically and returns the new count; the time to live starts with the first increment. */
  increment(key: string, ttlMs: number): Promise<number>;
  /** Adds to the front of a list, keeping the newest `maxLength`; the list's time to live restarts. */
  pushToList(key: string, value: string, maxLength: number, ttlMs: number): Promise<void>;
  /** The newest `limit` entries of a list, newest first. */
  readList(key: string, limit: number): Promise<string[]>;
  /**
   * Puts an entry into a log ordered by time (the audit trail): a new id is added, an id already
   * there is replaced and moved to the entry's time. Entries older than `keepMs` are dropped: a log is
   * kept by age, not by count.
   */
  putLogEntry(key: string, entry: LogEntry, keepMs: number): Promise<void>;
  /** One entry of a log, by id; null when it is not there. */
  getLogEntry(key: string, id: string): Promise<LogEntry | null>;
  /** Up to `limit` entries of a log, newest first; after `before` (the last entry of the page before), when given. */
  readLog(key: string, limit: number, before?: LogCursor): Promise<LogEntry[]>;
  /** Removes a whole log. */
  deleteLog(key: string): Promise<void>;
  /** How many live keys start with `prefix` (metrics; not for hot paths). */
  countPrefix(prefix: string): Promise<number>;
  /** Resolves when the store answers; rejects otherwise (readiness checks). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** An entry of a time-ordered log: its id (unique in the log), its time (epoch ms) and its value. */
export interface LogEntry {
  id: string;
  at: number;
  value: string;
}

/** Where a page of a log ends: the time and id of its last (oldest) entry. */
export type LogCursor = Pick<LogEntry, 'at' | 'id'>;

/** True when `entry` comes after `cursor` in newest-first order (older, or as old with a smaller id). */
export function isAfterCursor(entry: LogCursor, cursor: LogCursor | undefined): boolean {
  return cursor === undefined || entry.at < cursor.at || (entry.at === cursor.at && entry.id < cursor.id);
}

/** The store did not answer: a 503 that tells the person to try again shortly. */
export function storeUnavailable(cause: unknown): GatehouseError {
  return new GatehouseError('store_unavailable', undefined, { cause });
}
