import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createMemoryStore } from '@/lib/server/store/memory-store';
import { createRedisStore } from '@/lib/server/store/redis-store';
import { createSqliteStore } from '@/lib/server/store/sqlite-store';
import type { KeyValueStore } from '@/lib/server/store/types';

import { type RunningRedis, startRedis } from '../../scripts/support/redis';

/** Waits until `probe` holds, or fails after `timeoutMs`: expiry is a condition, not a fixed sleep. */
async function eventually(probe: () => Promise<boolean>, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

let redis: RunningRedis;
const dataDir = mkdtempSync(path.join(tmpdir(), 'gatehouse-store-'));

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const factories: [string, () => KeyValueStore][] = [
  ['sqlite', () => createSqliteStore(dataDir)],
  ['redis', () => createRedisStore(redis.url)],
  ['memory', () => createMemoryStore()],
];

describe.each(factories)('the %s store', (_kind, create) => {
  let store: KeyValueStore;
  let n = 0;
  const key = () => `test:${_kind}:${++n}:${Math.random()}`;

  beforeAll(() => {
    store = create();
  });
  afterAll(async () => {
    await store.close();
  });

  it('answers a ping', async () => {
    await expect(store.ping()).resolves.toBeUndefined();
  });

  it('returns null for a key it never saw', async () => {
    expect(await store.get(key())).toBeNull();
  });

  it('keeps a value and overwrites it', async () => {
    const k = key();
    await store.set(k, 'one', 60_000);
    expect(await store.get(k)).toBe('one');
    await store.set(k, 'two', 60_000);
    expect(await store.get(k)).toBe('two');
  });

  it('keeps any text byte for byte', async () => {
    const k = key();
    const text = 'ünïcödé 🔑 "quotes" \n line \u0000 nul';
    await store.set(k, text, 60_000);
    expect(await store.get(k)).toBe(text);
  });

  it('forgets a value after its time to live', async () => {
    const k = key();
    await store.set(k, 'short', 150);
    expect(await store.get(k)).toBe('short');
    await eventually(async () => (await store.get(k)) === null);
  });

  it('deletes', async () => {
    const k = key();
    await store.set(k, 'v', 60_000);
    await store.delete(k);
    expect(await store.get(k)).toBeNull();
    await expect(store.delete(k)).resolves.toBeUndefined();
  });

  it('sets only when absent, and again once the holder expired', async () => {
    const k = key();
    expect(await store.setIfAbsent(k, 'first', 150)).toBe(true);
    expect(await store.setIfAbsent(k, 'second', 150)).toBe(false);
    expect(await store.get(k)).toBe('first');
    await eventually(async () => store.setIfAbsent(k, 'third', 60_000));
    expect(await store.get(k)).toBe('third');
  });

  it('lets exactly one of many concurrent callers take a lock', async () => {
    const k = key();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => store.setIfAbsent(k, `owner-${i}`, 60_000)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('deletes only while the value still matches', async () => {
    const k = key();
    await store.set(k, 'mine', 60_000);
    expect(await store.deleteIfEquals(k, 'yours')).toBe(false);
    expect(await store.get(k)).toBe('mine');
    expect(await store.deleteIfEquals(k, 'mine')).toBe(true);
    expect(await store.get(k)).toBeNull();
    expect(await store.deleteIfEquals(k, 'mine')).toBe(false);
  });

  it('renews a lease only while the value still matches, and not once it has run out', async () => {
    const k = key();
    const sameLease = key();
    expect(await store.setIfAbsent(k, 'mine', 150)).toBe(true);
    await store.set(sameLease, 'unrenewed', 150);
    expect(await store.expireIfEquals(k, 'yours', 60_000)).toBe(false);
    expect(await store.expireIfEquals(k, 'mine', 60_000)).toBe(true);
    // Once a key with the first lease is gone, the renewed one is still held.
    await eventually(async () => (await store.get(sameLease)) === null);
    expect(await store.get(k)).toBe('mine');
    expect(await store.setIfAbsent(k, 'theirs', 60_000)).toBe(false);

    const lapsed = key();
    await store.set(lapsed, 'mine', 100);
    await eventually(async () => (await store.get(lapsed)) === null);
    expect(await store.expireIfEquals(lapsed, 'mine', 60_000)).toBe(false);
    expect(await store.get(lapsed)).toBeNull();
  });

  it('keeps a list newest first, trimmed to its length', async () => {
    const k = key();
    for (let i = 1; i <= 7; i += 1) await store.pushToList(k, `entry-${i}`, 5, 60_000);
    expect(await store.readList(k, 10)).toEqual(['entry-7', 'entry-6', 'entry-5', 'entry-4', 'entry-3']);
    expect(await store.readList(k, 2)).toEqual(['entry-7', 'entry-6']);
    expect(await store.readList(key(), 10)).toEqual([]);
  });

  it('forgets a list after its time to live', async () => {
    const k = key();
    await store.pushToList(k, 'short', 5, 150);
    expect(await store.readList(k, 5)).toEqual(['short']);
    await eventually(async () => (await store.readList(k, 5)).length === 0);
  });

  it('keeps a log newest first, in pages, an entry replaced by its id moving to its new time', async () => {
    const k = key();
    const at = Date.now();
    for (let i = 1; i <= 7; i += 1) await store.putLogEntry(k, { id: `e${i}`, at: at + i * 10, value: `value ${i}\n"quoted"` }, 60_000);
    // Two entries of one time: ordered by id.
    await store.putLogEntry(k, { id: 'e8b', at: at + 80, value: 'b' }, 60_000);
    await store.putLogEntry(k, { id: 'e8a', at: at + 80, value: 'a' }, 60_000);
    const first = await store.readLog(k, 3);
    expect(first.map((entry) => entry.id)).toEqual(['e8b', 'e8a', 'e7']);
    expect(first[2]).toEqual({ id: 'e7', at: at + 70, value: 'value 7\n"quoted"' });
    const second = await store.readLog(k, 3, first.at(-1));
    expect(second.map((entry) => entry.id)).toEqual(['e6', 'e5', 'e4']);
    expect((await store.readLog(k, 10, { at: at + 80, id: 'e8b' })).map((entry) => entry.id)).toEqual(['e8a', 'e7', 'e6', 'e5', 'e4', 'e3', 'e2', 'e1']);
    // Replaced: the same id, a new time and value, read first now.
    await store.putLogEntry(k, { id: 'e2', at: at + 100, value: 'twice' }, 60_000);
    expect((await store.readLog(k, 2)).map((entry) => [entry.id, entry.value])).toEqual([['e2', 'twice'], ['e8b', 'b']]);
    expect(await store.getLogEntry(k, 'e2')).toEqual({ id: 'e2', at: at + 100, value: 'twice' });
    expect(await store.getLogEntry(k, 'nothing')).toBeNull();
    expect(await store.readLog(key(), 5)).toEqual([]);
    await store.deleteLog(k);
    expect(await store.readLog(k, 5)).toEqual([]);
  });

  it('drops log entries older than the keep time, not by count', async () => {
    const k = key();
    const at = Date.now();
    await store.putLogEntry(k, { id: 'old', at: at - 120_000, value: 'old' }, 3_600_000);
    for (let i = 0; i < 300; i += 1) await store.putLogEntry(k, { id: `n${String(i).padStart(3, '0')}`, at: at + i, value: 'new' }, 3_600_000);
    expect(await store.readLog(k, 400)).toHaveLength(301);
    // With a keep time of one minute, the entry of two minutes ago goes at the next put.
    await store.putLogEntry(k, { id: 'newest', at: at + 1000, value: 'newest' }, 60_000);
    const kept = await store.readLog(k, 400);
    expect(kept).toHaveLength(301);
    expect(kept.some((entry) => entry.id === 'old')).toBe(false);
    expect(await store.getLogEntry(k, 'old')).toBeNull();
  });

  it('counts the live keys under a prefix', async () => {
    const prefix = `count:${_kind}:${Math.random()}:`;
    await store.set(`${prefix}a`, '1', 60_000);
    await store.set(`${prefix}b`, '1', 60_000);
    await store.set(`${prefix}gone`, '1', 100);
    await store.set(`other:${prefix}`, '1', 60_000);
    await eventually(async () => (await store.countPrefix(prefix)) === 2);
  });

  it('counts atomically and restarts the count after the time to live', async () => {
    const k = key();
    const counts = await Promise.all(Array.from({ length: 10 }, () => store.increment(k, 200)));
    expect([...counts].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    await eventually(async () => (await store.get(k)) === null);
    expect(await store.increment(k, 60_000)).toBe(1);
  });
});

describe('the sqlite store', () => {
  it('keeps values across a restart of the process (a new handle on the same file)', async () => {
    const first = createSqliteStore(dataDir);
    await first.set('restart:probe', 'survives', 60_000);
    await first.close();
    const second = createSqliteStore(dataDir);
    expect(await second.get('restart:probe')).toBe('survives');
    await second.close();
  });
});

describe('the redis store', () => {
  it('keeps its keys under the gatehouse: prefix with a time to live', async () => {
    const store = createRedisStore(redis.url);
    await store.set('prefix:probe', 'v', 60_000);
    const client = redis.client();
    const ttl = await client.pttl('gatehouse:prefix:probe');
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
    await store.close();
  });

  it('says "unavailable" quickly while Redis is down, and recovers when it is back', async () => {
    const store = createRedisStore(redis.url);
    await store.set('outage:probe', 'v', 60_000);
    await redis.halt();
    // Down: every call fails with the store's own "unavailable" (a 503 to people), and within the
    // store's command and connection timeouts (2 s each), never hanging a request.
    for (const call of [() => store.get('outage:probe'), () => store.set('outage:probe', 'w', 1000), () => store.ping()]) {
      const started = performance.now();
      await expect(call()).rejects.toMatchObject({ name: 'GatehouseError', code: 'store_unavailable' });
      expect(performance.now() - started).toBeLessThan(5_000);
    }
    await redis.start(); // data is not kept across this stop
    await eventually(async () => {
      try {
        await store.ping();
        return true;
      } catch {
        return false;
      }
    }, 10_000);
    expect(await store.get('outage:probe')).toBeNull();
    await store.close();
  });
});
