import 'server-only';

import { mkdirSync } from 'node:fs';
import path from 'node:path';

import Database from 'better-sqlite3';

import { type KeyValueStore, storeUnavailable } from './types';

const PURGE_INTERVAL_MS = 10 * 60 * 1000;

/**
 * The default store: one SQLite file in DATA_DIR, so a restart signs nobody out.
 * better-sqlite3 is synchronous; each call is one short statement, so it never blocks for long.
 */
export function createSqliteStore(dataDir: string, now: () => number = Date.now): KeyValueStore {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const db = new Database(path.join(dataDir, 'gatehouse.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.exec(
    'CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL, expires_at INTEGER NOT NULL) WITHOUT ROWID',
  );

  db.exec(
    'CREATE TABLE IF NOT EXISTS kv_list (seq INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL, value TEXT NOT NULL, expires_at INTEGER NOT NULL)',
  );
  db.exec('CREATE INDEX IF NOT EXISTS kv_list_key ON kv_list (key, seq)');
  // Time-ordered logs (the audit trail): one row per entry, kept by age, read newest first through the index.
  db.exec('CREATE TABLE IF NOT EXISTS kv_log (key TEXT NOT NULL, id TEXT NOT NULL, at INTEGER NOT NULL, value TEXT NOT NULL, keep_until INTEGER NOT NULL, PRIMARY KEY (key, id)) WITHOUT ROWID');
  db.exec('CREATE INDEX IF NOT EXISTS kv_log_time ON kv_log (key, at, id)');

  const select = db.prepare<[string, number], { value: string }>('SELECT value FROM kv WHERE key = ? AND expires_at > ?');
  const upsert = db.prepare<[string, string, number]>(
    'INSERT INTO kv (key, value, expires_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at',
  );
  const removeExpired = db.prepare<[string, number]>('DELETE FROM kv WHERE key = ? AND expires_at <= ?');
  const insertIgnore = db.prepare<[string, string, number]>('INSERT OR IGNORE INTO kv (key, value, expires_at) VALUES (?, ?, ?)');
  const remove = db.prepare<[string]>('DELETE FROM kv WHERE key = ?');
  const removeIfEquals = db.prepare<[string, string, number]>('DELETE FROM kv WHERE key = ? AND value = ? AND expires_at > ?');
  const extendIfEquals = db.prepare<[number, string, string, number]>('UPDATE kv SET expires_at = ? WHERE key = ? AND value = ? AND expires_at > ?');
  const bump = db.prepare<[string, number]>('UPDATE kv SET value = CAST(value AS INTEGER) + 1 WHERE key = ? AND expires_at > ?');
  const purge = db.prepare<[number]>('DELETE FROM kv WHERE expires_at <= ?');
  // A range scan on the primary key: every key that starts with the prefix sorts between these two.
  const countRange = db.prepare<[string, string, number], { n: number }>(
    'SELECT count(*) AS n FROM kv WHERE key >= ? AND key < ? AND expires_at > ?',
  );
  // A list lives as long as its newest entry: each push restarts the list's time to live without
  // rewriting the entries before it, and trimming deletes only the excess, through the index. (Touching
  // every entry on every push cost a write of the whole list, 10,000 rows for the audit trail, per event.)
  const purgeLists = db.prepare<[number]>(
    'DELETE FROM kv_list WHERE key IN (SELECT newest.key FROM kv_list AS newest WHERE newest.seq = (SELECT MAX(seq) FROM kv_list WHERE key = newest.key) AND newest.expires_at <= ?)',
  );
  const listInsert = db.prepare<[string, string, number]>('INSERT INTO kv_list (key, value, expires_at) VALUES (?, ?, ?)');
  const listTrim = db.prepare<{ key: string; keep: number }>(
    'DELETE FROM kv_list WHERE key = @key AND seq <= (SELECT seq FROM kv_list WHERE key = @key ORDER BY seq DESC LIMIT 1 OFFSET @keep)',
  );
  const listRead = db.prepare<{ key: string; now: number; limit: number }, { value: string }>(
    'SELECT value FROM kv_list WHERE key = @key AND (SELECT expires_at FROM kv_list WHERE key = @key ORDER BY seq DESC LIMIT 1) > @now ORDER BY seq DESC LIMIT @limit',
  );
  const logUpsert = db.prepare<[string, string, number, string, number]>(
    'INSERT INTO kv_log (key, id, at, value, keep_until) VALUES (?, ?, ?, ?, ?) ON CONFLICT(key, id) DO UPDATE SET at = excluded.at, value = excluded.value, keep_until = excluded.keep_until',
  );
  const logTrim = db.prepare<[string, number]>('DELETE FROM kv_log WHERE key = ? AND at < ?');
  const logGet = db.prepare<[string, string], { id: string; at: number; value: string }>('SELECT id, at, value FROM kv_log WHERE key = ? AND id = ?');
  const logPage = db.prepare<{ key: string; at: number; id: string; limit: number }, { id: string; at: number; value: string }>(
    'SELECT id, at, value FROM kv_log WHERE key = @key AND (at < @at OR (at = @at AND id < @id)) ORDER BY at DESC, id DESC LIMIT @limit',
  );
  const logDelete = db.prepare<[string]>('DELETE FROM kv_log WHERE key = ?');
  const purgeLogs = db.prepare<[number]>('DELETE FROM kv_log WHERE keep_until <= ?');
  const putLogEntry = db.transaction((key: string, id: string, at: number, value: string, keepMs: number, time: number) => {
    logUpsert.run(key, id, at, value, at + keepMs);
    logTrim.run(key, time - keepMs);
  });

  const pushToList = db.transaction((key: string, value: string, maxLength: number, expiresAt: number) => {
    listInsert.run(key, value, expiresAt);
    listTrim.run({ key, keep: maxLength });
  });

  const setIfAbsent = db.transaction((key: string, value: string, expiresAt: number, at: number) => {
    removeExpired.run(key, at);
    return insertIgnore.run(key, value, expiresAt).changes === 1;
  });
  const increment = db.transaction((key: string, ttlMs: number, at: number) => {
    if (bump.run(key, at).changes === 0) {
      upsert.run(key, '1', at + ttlMs);
      return 1;
    }
    return Number(select.get(key, at)?.value ?? 1);
  });

  const purgeAll = () => {
    purge.run(now());
    purgeLists.run(now());
    purgeLogs.run(now());
  };
  const purgeTimer = setInterval(purgeAll, PURGE_INTERVAL_MS);
  purgeTimer.unref();
  purgeAll();

  // Errors from SQLite (disk full, file removed) surface as "store unavailable", never as raw text.
  const guard = <T>(work: () => T): Promise<T> => {
    try {
      return Promise.resolve(work());
    } catch (error) {
      return Promise.reject(storeUnavailable(error));
    }
  };

  return {
    kind: 'sqlite',
    get: (key) => guard(() => select.get(key, now())?.value ?? null),
    set: (key, value, ttlMs) => guard(() => void upsert.run(key, value, now() + ttlMs)),
    setIfAbsent: (key, value, ttlMs) => guard(() => setIfAbsent(key, value, now() + ttlMs, now())),
    delete: (key) => guard(() => void remove.run(key)),
    deleteIfEquals: (key, expected) => guard(() => removeIfEquals.run(key, expected, now()).changes === 1),
    expireIfEquals: (key, expected, ttlMs) => guard(() => extendIfEquals.run(now() + ttlMs, key, expected, now()).changes === 1),
    increment: (key, ttlMs) => guard(() => increment(key, ttlMs, now())),
    pushToList: (key, value, maxLength, ttlMs) => guard(() => void pushToList(key, value, maxLength, now() + ttlMs)),
    readList: (key, limit) => guard(() => listRead.all({ key, now: now(), limit }).map((row) => row.value)),
    putLogEntry: (key, entry, keepMs) => guard(() => void putLogEntry(key, entry.id, entry.at, entry.value, keepMs, now())),
    getLogEntry: (key, id) => guard(() => logGet.get(key, id) ?? null),
    // With no cursor, the page starts after everything: a time no entry has, and an id above every id.
    readLog: (key, limit, before) =>
      guard(() => logPage.all({ key, at: before?.at ?? Number.MAX_SAFE_INTEGER, id: before?.id ?? '\uffff', limit }).map((row) => ({ ...row }))),
    deleteLog: (key) => guard(() => void logDelete.run(key)),
    countPrefix: (prefix) => guard(() => countRange.get(prefix, `${prefix}\uffff`, now())?.n ?? 0),
    ping: () => guard(() => void db.prepare('SELECT 1').get()),
    close: async () => {
      clearInterval(purgeTimer);
      db.close();
    },
  };
}
