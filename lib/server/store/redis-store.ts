import 'server-only';

import { Redis } from 'ioredis';

import { isAfterCursor, type KeyValueStore, storeUnavailable } from './types';

const PREFIX = 'gatehouse:';

// Release a lock only if it is still ours.
const DELETE_IF_EQUALS = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;
// Renew a lease only if it is still ours.
const EXPIRE_IF_EQUALS = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;
// INCR, and start the time to live with the first increment.
const INCREMENT = `local n = redis.call('INCR', KEYS[1]) if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end return n`;

// A log is a sorted set of ids scored by time and a hash of id → "<time> <value>". Put: drop what is
// older than the keep time (from both), then add or replace the entry; both keys live as long as the
// newest entry could.
const PUT_LOG_ENTRY = `
local old = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[4])
for _, id in ipairs(old) do redis.call('HDEL', KEYS[2], id) end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[4])
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2] .. ' ' .. ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
redis.call('PEXPIRE', KEYS[2], ARGV[5])
return 1`;

/** A log entry as the hash keeps it: its time, a space, its value. */
function logValue(id: string, stored: string | null): { id: string; at: number; value: string } | null {
  if (stored === null) return null;
  const space = stored.indexOf(' ');
  return { id, at: Number(stored.slice(0, space)), value: stored.slice(space + 1) };
}

/**
 * The shared store for several portal instances. While Redis is down, commands fail after one
 * reconnection attempt or two seconds, so a request gets a clear "unavailable" instead of hanging.
 */
export function createRedisStore(url: string): KeyValueStore {
  const redis = new Redis(url, {
    keyPrefix: PREFIX,
    maxRetriesPerRequest: 1,
    commandTimeout: 2000,
    connectTimeout: 2000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
  // Connection errors are reported per command; without a listener ioredis would log them unhandled.
  redis.on('error', () => {});

  const guard = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw storeUnavailable(error);
    }
  };

  return {
    kind: 'redis',
    get: (key) => guard(() => redis.get(key)),
    set: (key, value, ttlMs) => guard(async () => void (await redis.set(key, value, 'PX', Math.max(1, Math.ceil(ttlMs))))),
    setIfAbsent: (key, value, ttlMs) =>
      guard(async () => (await redis.set(key, value, 'PX', Math.max(1, Math.ceil(ttlMs)), 'NX')) === 'OK'),
    delete: (key) => guard(async () => void (await redis.del(key))),
    deleteIfEquals: (key, expected) => guard(async () => (await redis.eval(DELETE_IF_EQUALS, 1, key, expected)) === 1),
    expireIfEquals: (key, expected, ttlMs) =>
      guard(async () => (await redis.eval(EXPIRE_IF_EQUALS, 1, key, expected, String(Math.max(1, Math.ceil(ttlMs))))) === 1),
    increment: (key, ttlMs) =>
      guard(async () => Number(await redis.eval(INCREMENT, 1, key, String(Math.max(1, Math.ceil(ttlMs)))))),
    pushToList: (key, value, maxLength, ttlMs) =>
      guard(async () => {
        await redis
          .multi()
          .lpush(key, value)
          .ltrim(key, 0, maxLength - 1)
          .pexpire(key, Math.max(1, Math.ceil(ttlMs)))
          .exec();
      }),
    readList: (key, limit) => guard(() => redis.lrange(key, 0, Math.max(0, limit - 1))),
    putLogEntry: (key, entry, keepMs) =>
      guard(async () => {
        const keep = Math.max(1, Math.ceil(keepMs));
        await redis.eval(PUT_LOG_ENTRY, 2, key, `${key}:values`, entry.id, String(entry.at), entry.value, String(Date.now() - keep), String(keep));
      }),
    getLogEntry: (key, id) => guard(async () => logValue(id, await redis.hget(`${key}:values`, id))),
    readLog: (key, limit, before) =>
      guard(async () => {
        // From the cursor's time down, with room for the entries of that very time (the page before may
        // have ended among them); ties are ordered by id, as the sorted set orders its members.
        const ties = before ? await redis.zcount(key, before.at, before.at) : 0;
        const ids = await redis.zrevrangebyscore(key, before ? String(before.at) : '+inf', '-inf', 'LIMIT', 0, limit + ties);
        if (ids.length === 0) return [];
        const values = await redis.hmget(`${key}:values`, ...ids);
        return ids
          .map((id, index) => logValue(id, values[index] ?? null))
          .filter((entry): entry is { id: string; at: number; value: string } => entry !== null && isAfterCursor(entry, before))
          .sort((a, b) => b.at - a.at || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
          .slice(0, limit);
      }),
    deleteLog: (key) => guard(async () => void (await redis.del(key, `${key}:values`))),
    countPrefix: (prefix) =>
      guard(async () => {
        // SCAN walks the keyspace in small steps without blocking Redis; MATCH sees the full key name.
        let cursor = '0';
        let count = 0;
        do {
          const [next, keys] = await redis.scan(cursor, 'MATCH', `${PREFIX}${prefix}*`, 'COUNT', 1000);
          cursor = next;
          count += keys.length;
        } while (cursor !== '0');
        return count;
      }),
    ping: () => guard(async () => void (await redis.ping())),
    close: async () => {
      redis.disconnect();
    },
  };
}
