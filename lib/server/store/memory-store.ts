import 'server-only';

import { isAfterCursor, type KeyValueStore, type LogEntry } from './types';

/** In-process store for unit tests only: it is not shared between instances and forgets on restart. */
export function createMemoryStore(now: () => number = Date.now): KeyValueStore {
  const entries = new Map<string, { value: string; expiresAt: number }>();
  const lists = new Map<string, { values: string[]; expiresAt: number }>();
  const logs = new Map<string, Map<string, LogEntry>>();
  const newestFirst = (a: LogEntry, b: LogEntry) => b.at - a.at || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
  const live = (key: string) => {
    const entry = entries.get(key);
    if (entry && entry.expiresAt <= now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };
  return {
    kind: 'memory',
    async get(key) {
      return live(key)?.value ?? null;
    },
    async set(key, value, ttlMs) {
      entries.set(key, { value, expiresAt: now() + ttlMs });
    },
    async setIfAbsent(key, value, ttlMs) {
      if (live(key)) return false;
      entries.set(key, { value, expiresAt: now() + ttlMs });
      return true;
    },
    async delete(key) {
      entries.delete(key);
    },
    async deleteIfEquals(key, expected) {
      if (live(key)?.value !== expected) return false;
      entries.delete(key);
      return true;
    },
    async expireIfEquals(key, expected, ttlMs) {
      const entry = live(key);
      if (entry?.value !== expected) return false;
      entry.expiresAt = now() + ttlMs;
      return true;
    },
    async increment(key, ttlMs) {
      const entry = live(key);
      const count = entry ? Number(entry.value) + 1 : 1;
      entries.set(key, { value: String(count), expiresAt: entry?.expiresAt ?? now() + ttlMs });
      return count;
    },
    async pushToList(key, value, maxLength, ttlMs) {
      const list = lists.get(key);
      const values = list && list.expiresAt > now() ? list.values : [];
      lists.set(key, { values: [value, ...values].slice(0, maxLength), expiresAt: now() + ttlMs });
    },
    async readList(key, limit) {
      const list = lists.get(key);
      return list && list.expiresAt > now() ? list.values.slice(0, limit) : [];
    },
    async putLogEntry(key, entry, keepMs) {
      const log = logs.get(key) ?? new Map<string, LogEntry>();
      log.set(entry.id, { ...entry });
      for (const [id, each] of log) if (each.at < now() - keepMs) log.delete(id);
      logs.set(key, log);
    },
    async getLogEntry(key, id) {
      const entry = logs.get(key)?.get(id);
      return entry ? { ...entry } : null;
    },
    async readLog(key, limit, before) {
      return [...(logs.get(key)?.values() ?? [])]
        .sort(newestFirst)
        .filter((entry) => isAfterCursor(entry, before))
        .slice(0, limit)
        .map((entry) => ({ ...entry }));
    },
    async deleteLog(key) {
      logs.delete(key);
    },
    async countPrefix(prefix) {
      return [...entries.keys()].filter((key) => key.startsWith(prefix) && live(key)).length;
    },
    async ping() {},
    async close() {
      entries.clear();
      lists.clear();
      logs.clear();
    },
  };
}
