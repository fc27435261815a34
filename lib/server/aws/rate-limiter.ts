import 'server-only';

import { Redis } from 'ioredis';
import { z } from 'zod';

/**
 * One scheduler per Identity Center instance for every call to it, retries included (decision 5).
 * Two concerns, kept apart:
 * - a slot source decides *when* the next call may start, at the instance's rate: in-process (GCRA on
 *   an injectable clock) or shared by every portal instance through Redis;
 * - a dispatcher in this process decides *who* gets each slot: interactive before background, and
 *   round-robin between owners within a priority, so one person's listing of 5,000 accounts cannot
 *   starve another person's single request. It also bounds the calls in flight.
 * The dispatcher reserves a slot only when someone is waiting and a call may start, sleeps exactly
 * until the slot is due (no polling), and picks the waiter at that moment, so late arrivals with a
 * better claim are served first.
 */

export type CallPriority = 'interactive' | 'background';

export interface CallTicket {
  /** A hash of the person or session, never a raw id or token: it is only compared. */
  owner: string;
  priority: CallPriority;
  /** Aborts the call while it waits for a slot or between attempts (a listing that was replaced). */
  signal?: AbortSignal;
}

export interface SchedulerStats {
  /** Callers queued for a slot. */
  waiting: number;
  inFlight: number;
  /** Slots handed out since creation. */
  granted: number;
}

export interface AwsCallScheduler {
  /**
   * Runs `call` once a slot is free: within the rate, under the concurrency bound, in fair order.
   * Aborting `signal` while still queued rejects with the signal's reason and frees the place;
   * once the call has started, passing the signal on to it is the caller's business.
   */
  run<T>(ticket: CallTicket, call: () => Promise<T>, options?: { signal?: AbortSignal }): Promise<T>;
  stats(): SchedulerStats;
}

/** Where start times come from: reservation semantics, so callers never poll. */
export interface SlotSource {
  /** Takes the next free slot and resolves with how many milliseconds until it is due (0 = now). */
  reserve(): Promise<number>;
}

export interface RedisSlotSource extends SlotSource {
  close(): Promise<void>;
}

/** The Redis key (under the `gatehouse:` prefix) of one Identity Center instance's shared budget. */
export function rateLimitKey(instanceId: string): string {
  return `aws-rate:${instanceId}`;
}

/** A small burst: enough to absorb a page's first few calls, far below the 20 requests/s AWS shares. */
export const DEFAULT_BURST = 2;

const rateSchema = z.object({
  ratePerSecond: z.number().positive().finite(),
  burst: z.number().int().min(1).default(DEFAULT_BURST),
});

const schedulerSchema = rateSchema.extend({
  maxConcurrency: z.number().int().min(1),
});

type Clock = () => number;

// Monotonic, so a wall-clock step (NTP) cannot stall or unleash the limiter.
const monotonicNow: Clock = () => performance.now();
const timerSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * GCRA (the token bucket as arrival times): `tat` is when the bucket would be empty again. A
 * reservation moves it on by one interval and must wait until it lies within `burst` intervals of now.
 * Over any span t this admits at most rate × t + burst calls.
 */
export function createLocalSlotSource(options: { ratePerSecond: number; burst?: number; now?: Clock }): SlotSource {
  const { ratePerSecond, burst } = rateSchema.parse(options);
  const now = options.now ?? monotonicNow;
  const interval = 1000 / ratePerSecond;
  const tolerance = burst * interval;
  let tat = Number.NEGATIVE_INFINITY;
  return {
    reserve() {
      const at = now();
      tat = Math.max(tat, at) + interval;
      return Promise.resolve(Math.max(0, tat - tolerance - at));
    },
  };
}

// The same GCRA on Redis's clock (TIME, microseconds), so every portal instance shares one budget
// whatever its own clock says. Returns the wait in microseconds. The key expires once the bucket is
// full again. `replicate_commands` lets Redis < 5 accept writes after TIME (a no-op since then).
const RESERVE_SCRIPT = `
if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
tat = tat + interval
redis.call('SET', KEYS[1], string.format('%.0f', tat), 'PX', math.ceil((tat - now) / 1000) + 1000)
local wait = tat - tolerance - now
if wait < 0 then wait = 0 end
return wait
`;

/** After Redis fails, it is left alone this long, so an outage costs one timeout per second, not per call. */
const REDIS_COOL_DOWN_MS = 1000;

type RedisWithReserve = Redis & {
  gatehouseReserveSlot(key: string, intervalMicros: string, toleranceMicros: string): Promise<number>;
};

/**
 * The slot source for several portal instances: one GCRA in Redis per Identity Center instance
 * (`key`, stored under the `gatehouse:` prefix like every other key).
 *
 * If Redis fails, that call takes its slot from an in-process GCRA at the same rate instead of
 * failing the AWS call: the limiter exists to protect AWS's budget, and during an outage each portal
 * instance still holds itself to the rate (at worst the instances together exceed it for the length
 * of the outage, which AWS answers with 429s that we retry with backoff). Sessions live in the same
 * Redis, so an outage long enough to matter already stops signed-in traffic.
 */
export function createRedisSlotSource(
  redisUrl: string,
  key: string,
  ratePerSecond: number,
  burst: number = DEFAULT_BURST,
  options: { onError?: (error: unknown) => void; now?: Clock } = {},
): RedisSlotSource {
  const rate = rateSchema.parse({ ratePerSecond, burst });
  const intervalMicros = Math.max(1, Math.round(1_000_000 / rate.ratePerSecond));
  const toleranceMicros = intervalMicros * rate.burst;
  const now = options.now ?? monotonicNow;
  const fallback = createLocalSlotSource({ ...rate, now });
  const redis = new Redis(redisUrl, {
    keyPrefix: 'gatehouse:',
    maxRetriesPerRequest: 1,
    // A slot is worth at most a short wait for Redis; past that the fallback is the better answer.
    commandTimeout: 500,
    connectTimeout: 2000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  }) as RedisWithReserve;
  redis.defineCommand('gatehouseReserveSlot', { numberOfKeys: 1, lua: RESERVE_SCRIPT });
  // Failures are handled per reservation; without a listener ioredis would log them unhandled.
  redis.on('error', () => {});
  let skipRedisUntil = Number.NEGATIVE_INFINITY;

  return {
    async reserve() {
      if (now() >= skipRedisUntil) {
        try {
          const waitMicros = Number(await redis.gatehouseReserveSlot(key, String(intervalMicros), String(toleranceMicros)));
          if (Number.isFinite(waitMicros)) return Math.max(0, waitMicros / 1000);
          throw new Error('The rate limiter script returned no number.');
        } catch (error) {
          skipRedisUntil = now() + REDIS_COOL_DOWN_MS;
          options.onError?.(error);
        }
      }
      return fallback.reserve();
    },
    async close() {
      redis.disconnect();
    },
  };
}

interface Waiter {
  /** Set once the waiter has started, failed or given up; a settled waiter met in a queue is dropped. */
  settled: boolean;
  start(): void;
  fail(reason: unknown): void;
}

/** FIFO with O(1) push and shift, for queues of thousands. */
class Fifo<T> {
  private items: (T | undefined)[] = [];
  private head = 0;
  push(item: T) {
    this.items.push(item);
  }
  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined;
    this.head += 1;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
  get empty() {
    return this.head >= this.items.length;
  }
}

/** Per-owner FIFOs served round-robin: a Map keeps insertion order, and a served owner moves to the end. */
class RoundRobin {
  private owners = new Map<string, Fifo<Waiter>>();
  push(owner: string, waiter: Waiter) {
    let fifo = this.owners.get(owner);
    if (!fifo) {
      fifo = new Fifo();
      this.owners.set(owner, fifo);
    }
    fifo.push(waiter);
  }
  /** Drops everything; only called when every queued waiter has settled. */
  clear() {
    this.owners.clear();
  }
  next(): Waiter | undefined {
    for (const [owner, fifo] of this.owners) {
      let waiter = fifo.shift();
      while (waiter?.settled) waiter = fifo.shift();
      this.owners.delete(owner);
      if (!fifo.empty) this.owners.set(owner, fifo);
      if (waiter) return waiter;
    }
    return undefined;
  }
}

export function createAwsCallScheduler(options: {
  ratePerSecond: number;
  burst?: number;
  maxConcurrency: number;
  /** Defaults to an in-process GCRA at `ratePerSecond` and `burst`. */
  slots?: SlotSource;
  now?: Clock;
  sleep?: (ms: number) => Promise<void>;
}): AwsCallScheduler {
  const config = schedulerSchema.parse(options);
  const sleep = options.sleep ?? timerSleep;
  const slots = options.slots ?? createLocalSlotSource({ ...config, now: options.now });
  const queues: Record<CallPriority, RoundRobin> = { interactive: new RoundRobin(), background: new RoundRobin() };
  let waiting = 0;
  let inFlight = 0;
  let granted = 0;
  let dispatching = false;

  const nextWaiter = () => queues.interactive.next() ?? queues.background.next();

  // One dispatch loop at a time, holding at most one reservation: slots are never taken ahead of need.
  const dispatch = async () => {
    dispatching = true;
    try {
      while (waiting > 0 && inFlight < config.maxConcurrency) {
        let failure: { error: unknown } | undefined;
        try {
          const delay = await slots.reserve();
          if (delay > 0) await sleep(delay);
        } catch (error) {
          // A slot source is not supposed to fail (the Redis one falls back); if it does, say so to one caller.
          failure = { error };
        }
        const waiter = nextWaiter();
        // Everyone gave up while the slot came due: it goes unused, which only errs on the safe side.
        if (!waiter) continue;
        if (failure) {
          waiter.fail(failure.error);
        } else {
          waiter.start();
        }
      }
    } finally {
      dispatching = false;
    }
  };

  const pump = () => {
    if (!dispatching) void dispatch();
  };

  return {
    run<T>(ticket: CallTicket, call: () => Promise<T>, runOptions: { signal?: AbortSignal } = {}): Promise<T> {
      const { signal } = runOptions;
      if (signal?.aborted) return Promise.reject(signal.reason);
      return new Promise<T>((resolve, reject) => {
        const settle = () => {
          waiter.settled = true;
          waiting -= 1;
          signal?.removeEventListener('abort', onAbort);
          // Given-up waiters are skipped lazily; once nobody waits, let go of them all at once.
          if (waiting === 0) {
            queues.interactive.clear();
            queues.background.clear();
          }
        };
        const onAbort = () => {
          if (waiter.settled) return;
          settle();
          reject(signal?.reason);
        };
        const waiter: Waiter = {
          settled: false,
          start() {
            settle();
            inFlight += 1;
            granted += 1;
            let running: Promise<T>;
            try {
              running = call();
            } catch (error) {
              running = Promise.reject(error);
            }
            running.then(resolve, reject).finally(() => {
              inFlight -= 1;
              pump();
            });
          },
          fail(reason) {
            settle();
            reject(reason);
          },
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        queues[ticket.priority].push(ticket.owner, waiter);
        waiting += 1;
        pump();
      });
    },
    stats: () => ({ waiting, inFlight, granted }),
  };
}
