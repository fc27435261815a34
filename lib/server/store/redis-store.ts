import 'server-only';

import { Redis } from 'ioredis';

import { type KeyValueStore, storeUnavailable } from './types';

const PREFIX = 'gatehouse:';

// Release a lock only if it is still ours.
const DELETE_IF_EQUALS = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;
// Renew a lease only if it is still ours.
const EXPIRE_IF_EQUALS = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;
// INCR, and start the time to live with the first increment.
const INCREMENT = `local n = redis.call('INCR', KEYS[1]) if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end return n`;

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
