import 'server-only';

import { randomUUID } from 'node:crypto';

import type { KeyValueStore } from '@/lib/server/store/types';

/**
 * One fetch for many callers, in one process and across every process sharing the store. Callers
 * of the same key in one process share one attempt; across processes, the attempt that takes the
 * key's lock in the store fetches, and the others read what it kept. The lock is a short lease the
 * holder renews while it works, so a holder that dies (its process killed mid-call) blocks the
 * others only until its lease runs out; then a waiter takes over.
 */

export interface SingleFlightTiming {
  /** How long a lock is held without renewal: the longest a dead holder blocks the others. */
  leaseMs: number;
  /** How often a working holder renews its lease (well within leaseMs). */
  renewEveryMs: number;
  /** The first wait between looks at what the holder kept; it doubles up to maxPollMs. */
  firstPollMs: number;
  maxPollMs: number;
  /** How long a caller waits for holders before it gives up. */
  waitMs: number;
}

export interface Flight<T> {
  /** What a holder kept (here or in another process), or null. */
  read(): Promise<T | null>;
  /** Fetches anew, and keeps what it fetched where `read` finds it; run only by the lock's holder. */
  fetch(): Promise<T>;
}

export interface SingleFlightDeps {
  store: KeyValueStore;
  timing: SingleFlightTiming;
  /** Whether a failure of the shared attempt is every caller's answer, or only its own (then each caller tries itself). */
  shared: (error: unknown) => boolean;
  /** What a caller that waited `waitMs` in vain is told. */
  timedOut: () => Error;
  now?: () => number;
  pause?: (ms: number) => Promise<void>;
}

export interface FlightResult<T> {
  value: T;
  /** True for the one caller whose fetch ran; false for those handed what it, or an earlier one, kept. */
  fetched: boolean;
}

export function createSingleFlight(deps: SingleFlightDeps) {
  const { store, timing } = deps;
  const now = deps.now ?? Date.now;
  const pause = deps.pause ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const attempts = new Map<string, Promise<FlightResult<unknown>>>();

  async function hold<T>(lockKey: string, owner: string, flight: Flight<T>): Promise<FlightResult<T>> {
    const renewal = setInterval(() => {
      // A renewal that fails (the store is slow) leaves the lease to run out: at worst a second fetch.
      store.expireIfEquals(lockKey, owner, timing.leaseMs).catch(() => false);
    }, timing.renewEveryMs);
    renewal.unref();
    try {
      // Another holder may have finished between this caller's look and its lock.
      const kept = await flight.read();
      if (kept !== null) return { value: kept, fetched: false };
      return { value: await flight.fetch(), fetched: true };
    } finally {
      clearInterval(renewal);
      await store.deleteIfEquals(lockKey, owner).catch(() => false);
    }
  }

  /** This process's attempt: what is kept, else the lock and the fetch, else waiting for the holder. */
  async function attempt<T>(key: string, flight: Flight<T>): Promise<FlightResult<T>> {
    const lockKey = `lock:${key}`;
    const deadline = now() + timing.waitMs;
    let wait = timing.firstPollMs;
    for (;;) {
      const kept = await flight.read();
      if (kept !== null) return { value: kept, fetched: false };
      const owner = randomUUID();
      if (await store.setIfAbsent(lockKey, owner, timing.leaseMs)) return hold(lockKey, owner, flight);
      const left = deadline - now();
      if (left <= 0) throw deps.timedOut();
      await pause(Math.min(wait, left));
      wait = Math.min(wait * 2, timing.maxPollMs);
    }
  }

  /** The value for `key`: kept, or fetched by exactly one caller while the others wait for it. */
  async function run<T>(key: string, flight: Flight<T>): Promise<FlightResult<T>> {
    for (;;) {
      const running = attempts.get(key) as Promise<FlightResult<T>> | undefined;
      if (running) {
        try {
          return { value: (await running).value, fetched: false };
        } catch (error) {
          if (deps.shared(error)) throw error;
          // The attempt failed for reasons of its own caller (its session, its budget): this caller tries itself.
          continue;
        }
      }
      // Gone from the map before anyone waiting on it wakes: a caller that tries again starts anew.
      const mine: Promise<FlightResult<T>> = attempt(key, flight).finally(() => {
        if (attempts.get(key) === mine) attempts.delete(key);
      });
      attempts.set(key, mine);
      return mine;
    }
  }

  return { run };
}

export type SingleFlight = ReturnType<typeof createSingleFlight>;
