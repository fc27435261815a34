import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  type AwsCallScheduler,
  type CallTicket,
  createAwsCallScheduler,
  createLocalSlotSource,
  createRedisSlotSource,
  rateLimitKey,
} from '@/lib/server/aws/rate-limiter';

import { freePort } from '../../scripts/support/processes';
import { FakeClock } from '../support/clock';
import { type RunningRedis, startRedis } from '../../scripts/support/redis';

/*
 * The scheduler on the tests' fake clock (tests/support/clock.ts): time only moves when a test says so,
 * timers fire in order, and each step lets pending promise chains finish first. So "at most N calls in
 * a minute" is exact and fast, and nothing waits on a real timer to stand in for a condition.
 */

interface Started {
  owner: string;
  priority: CallTicket['priority'];
  at: number;
}

/** A scheduler on the fake clock whose calls take `latencyMs` and log when they started. */
function harness(options: { ratePerSecond: number; burst?: number; maxConcurrency: number; latencyMs?: number }) {
  const clock = new FakeClock(0);
  const scheduler = createAwsCallScheduler({ ...options, now: clock.now, sleep: clock.sleep });
  const started: Started[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const submit = (ticket: CallTicket, latencyMs = options.latencyMs ?? 0, signal?: AbortSignal) =>
    scheduler.run(
      ticket,
      async () => {
        started.push({ ...ticket, at: clock.now() });
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        try {
          if (latencyMs > 0) await clock.sleep(latencyMs);
          return started.length;
        } finally {
          inFlight -= 1;
        }
      },
      { signal },
    );
  return { clock, scheduler, started, submit, maxInFlight: () => maxInFlight };
}

/** Largest number of starts found in any window of `windowMs` (closed at both ends). */
function busiestWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let from = 0;
  for (let to = 0; to < sorted.length; to += 1) {
    while ((sorted[to] ?? 0) - (sorted[from] ?? 0) > windowMs) from += 1;
    best = Math.max(best, to - from + 1);
  }
  return best;
}

const A: CallTicket = { owner: 'owner-a', priority: 'background' };
const B: CallTicket = { owner: 'owner-b', priority: 'background' };

describe('the in-process slot source', () => {
  it('grants the burst at once, then one slot per interval, and refills while idle', async () => {
    const clock = new FakeClock(0);
    const slots = createLocalSlotSource({ ratePerSecond: 10, burst: 3, now: clock.now });
    const first = await Promise.all(Array.from({ length: 6 }, () => slots.reserve()));
    expect(first).toEqual([0, 0, 0, 100, 200, 300]);
    // Reservations hold: the sixth slot is 300 ms out, so a seventh asked 300 ms later waits 100 ms.
    clock.advance(300);
    expect(await slots.reserve()).toBe(100);
    clock.advance(9_700); // 10 s in
    expect(await Promise.all([slots.reserve(), slots.reserve(), slots.reserve(), slots.reserve()])).toEqual([0, 0, 0, 100]);
  });

  it('rejects a rate or burst that makes no sense', () => {
    expect(() => createLocalSlotSource({ ratePerSecond: 0 })).toThrow();
    expect(() => createLocalSlotSource({ ratePerSecond: 10, burst: 0 })).toThrow();
    expect(() => createAwsCallScheduler({ ratePerSecond: 10, maxConcurrency: 0 })).toThrow();
  });
});

describe('the call scheduler', () => {
  it('holds the rate over a simulated minute while saturated: at most rate × t + burst, and not much less', async () => {
    const { clock, started, submit } = harness({ ratePerSecond: 10, burst: 2, maxConcurrency: 8, latencyMs: 40 });
    const calls = Array.from({ length: 1000 }, (_, i) => submit(i % 3 === 0 ? B : A));
    await clock.runFor(60_000);
    const times = started.map((call) => call.at);
    expect(times.length).toBeLessThanOrEqual(10 * 60 + 2);
    expect(times.length).toBeGreaterThanOrEqual(10 * 60 + 2 - 2);
    // Not only on average: no window of any length holds more than rate × window + burst.
    for (const windowMs of [0, 100, 250, 1000, 5000, 30_000]) {
      expect(busiestWindow(times, windowMs)).toBeLessThanOrEqual(Math.floor((10 * windowMs) / 1000) + 2);
    }
    await clock.runFor(60_000);
    await Promise.all(calls);
  });

  it('never has more calls in flight than the bound, and does use the bound', async () => {
    const { clock, scheduler, submit, maxInFlight } = harness({ ratePerSecond: 1000, burst: 10, maxConcurrency: 3 });
    const peaks: number[] = [];
    const calls = Array.from({ length: 40 }, (_, i) => submit(A, 100 + ((i * 37) % 400)));
    for (let step = 0; step < 100; step += 1) {
      await clock.runFor(50);
      peaks.push(scheduler.stats().inFlight);
    }
    await Promise.all(calls);
    expect(maxInFlight()).toBe(3);
    expect(Math.max(...peaks)).toBeLessThanOrEqual(3);
    expect(scheduler.stats()).toEqual({ waiting: 0, inFlight: 0, granted: 40 });
  });

  it('starts a call at once when idle and the next exactly when its slot is due, with one timer per wait', async () => {
    const { clock, started, submit } = harness({ ratePerSecond: 10, burst: 1, maxConcurrency: 8 });
    const calls = [submit(A), submit(A), submit(A)];
    await clock.settle();
    expect(started.map((call) => call.at)).toEqual([0]);
    await clock.runFor(1000);
    expect(started.map((call) => call.at)).toEqual([0, 100, 200]);
    expect(clock.timersSet).toBe(2);
    await Promise.all(calls);
  });

  it('serves a second person within the next few slots although the first queued 200 background calls', async () => {
    const { clock, started, submit } = harness({ ratePerSecond: 10, burst: 1, maxConcurrency: 8, latencyMs: 20 });
    const listing = Array.from({ length: 200 }, () => submit(A));
    await clock.runFor(1000);
    const before = started.length;
    const single = [submit(B), submit(B), submit(B)];
    await clock.runFor(700);
    const next = started.slice(before).map((call) => call.owner);
    expect(next.slice(0, 6).filter((owner) => owner === B.owner)).toHaveLength(3);
    await Promise.all(single);
    await clock.runFor(30_000);
    await Promise.all(listing);
  });

  it('gives an interactive call the very next slot ahead of any background call, its owner’s own included', async () => {
    const { clock, started, submit } = harness({ ratePerSecond: 10, burst: 1, maxConcurrency: 8, latencyMs: 20 });
    const background = [...Array.from({ length: 50 }, () => submit(A)), ...Array.from({ length: 50 }, () => submit(B))];
    await clock.runFor(450);
    const before = started.length;
    const interactive = [submit({ owner: 'owner-c', priority: 'interactive' }), submit({ owner: A.owner, priority: 'interactive' })];
    await clock.runFor(200);
    expect(started.slice(before, before + 2).map((call) => call.priority)).toEqual(['interactive', 'interactive']);
    // And it got the next slot, not a later one: 500 ms and 600 ms on the 100 ms grid.
    expect(started.slice(before, before + 2).map((call) => call.at)).toEqual([500, 600]);
    await Promise.all(interactive);
    await clock.runFor(20_000);
    await Promise.all(background);
  });

  it('lets a queued caller give up: it never runs, rejects with the abort reason, and its place goes to the next', async () => {
    const { clock, scheduler, started, submit } = harness({ ratePerSecond: 10, burst: 1, maxConcurrency: 8 });
    const controller = new AbortController();
    const first = submit(A);
    const gaveUp = submit(B, 0, controller.signal);
    const third = submit(A);
    await clock.settle();
    expect(scheduler.stats().waiting).toBe(2);
    controller.abort(new Error('navigated away'));
    await expect(gaveUp).rejects.toThrow('navigated away');
    expect(scheduler.stats().waiting).toBe(1);
    await clock.runFor(100);
    await Promise.all([first, third]);
    expect(started.map((call) => [call.owner, call.at])).toEqual([
      [A.owner, 0],
      [A.owner, 100],
    ]);
    await expect(submit(A, 0, AbortSignal.abort(new Error('already gone')))).rejects.toThrow('already gone');
  });

  it('still serves newcomers after everyone queued has given up', async () => {
    const { clock, scheduler, started, submit } = harness({ ratePerSecond: 10, burst: 1, maxConcurrency: 8 });
    const first = submit(A);
    const controller = new AbortController();
    const abandoned = Array.from({ length: 3 }, () =>
      expect(submit(B, 0, controller.signal)).rejects.toThrow('gone'),
    );
    await clock.runFor(50);
    controller.abort(new Error('gone'));
    await Promise.all(abandoned);
    expect(scheduler.stats().waiting).toBe(0);
    const late = submit(A);
    await clock.runFor(100);
    await Promise.all([first, late]);
    // The slot the abandoned callers were waiting for (due at 100 ms) went to the newcomer.
    expect(started.map((call) => [call.owner, call.at])).toEqual([
      [A.owner, 0],
      [A.owner, 100],
    ]);
  });

  it('passes a call’s result and failure through and frees the slot either way', async () => {
    const clock = new FakeClock(0);
    const scheduler: AwsCallScheduler = createAwsCallScheduler({
      ratePerSecond: 100,
      maxConcurrency: 1,
      now: clock.now,
      sleep: clock.sleep,
    });
    const outcomes = Promise.all([
      expect(scheduler.run(A, () => Promise.reject(new Error('AWS said no')))).rejects.toThrow('AWS said no'),
      expect(
        scheduler.run(A, () => {
          throw new Error('thrown before any await');
        }),
      ).rejects.toThrow('thrown before any await'),
      expect(scheduler.run(A, async () => 'accounts')).resolves.toBe('accounts'),
    ]);
    await clock.runFor(100);
    await outcomes;
    expect(scheduler.stats()).toEqual({ waiting: 0, inFlight: 0, granted: 3 });
  });

  it('adds next to nothing to the time the rate requires (real timers)', async () => {
    // The benchmark's question in small: 60 calls of 10 ms at 50/s take (60 − 1) × 20 ms + 10 ms at best.
    const scheduler = createAwsCallScheduler({ ratePerSecond: 50, burst: 1, maxConcurrency: 8 });
    const floorMs = 59 * 20 + 10;
    const begun = performance.now();
    await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        scheduler.run({ owner: `owner-${i % 4}`, priority: 'background' }, () => new Promise((resolve) => setTimeout(resolve, 10))),
      ),
    );
    const elapsed = performance.now() - begun;
    expect(elapsed).toBeGreaterThanOrEqual(floorMs - 5);
    expect(elapsed).toBeLessThan(floorMs * 1.15);
  });
});

describe('the Redis slot source', () => {
  let redis: RunningRedis;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis.stop();
  });

  it('makes two portal instances sharing one key take turns: 40 reservations at 10/s, burst 1, end 3.9 s out', async () => {
    const key = rateLimitKey('shared-instance');
    const first = createRedisSlotSource(redis.url, key, 10, 1);
    const second = createRedisSlotSource(redis.url, key, 10, 1);
    try {
      const dues: number[] = [];
      const begun = performance.now();
      for (let i = 0; i < 40; i += 1) {
        const delay = await (i % 2 === 0 ? first : second).reserve();
        dues.push(performance.now() + delay);
      }
      const elapsed = performance.now() - begun;
      const delays = dues.map((due) => due - begun);
      expect(delays[0]).toBeLessThan(elapsed + 5);
      expect(delays[39]).toBeGreaterThan(3900 - 20);
      expect(delays[39]).toBeLessThan(3900 + elapsed + 20);
      // Each slot 100 ms after the previous, whichever instance took it (Redis's clock, our reading lag).
      for (let i = 1; i < 40; i += 1) {
        expect((dues[i] ?? 0) - (dues[i - 1] ?? 0)).toBeGreaterThan(100 - 15);
        expect((dues[i] ?? 0) - (dues[i - 1] ?? 0)).toBeLessThan(100 + 15);
      }
      // The bucket lives under the gatehouse: prefix and expires once it would be full again.
      const ttl = await redis.client().pttl(`gatehouse:${key}`);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(3900 + 1000 + 100);
    } finally {
      await first.close();
      await second.close();
    }
  });

  it('holds the rate across two schedulers that share it, and keeps Identity Center instances apart', async () => {
    const shared = 'aws-rate:two-schedulers';
    const sources = [createRedisSlotSource(redis.url, shared, 20, 2), createRedisSlotSource(redis.url, shared, 20, 2)];
    const other = createRedisSlotSource(redis.url, 'aws-rate:another-instance', 20, 2);
    try {
      // Sleep records when each slot is due and returns at once: the schedule is Redis's, measured not waited for.
      const dues: number[] = [];
      const recordingSleep = async (ms: number) => {
        dues.push(performance.now() + ms);
      };
      const schedulers = sources.map((slots) =>
        createAwsCallScheduler({ ratePerSecond: 20, burst: 2, maxConcurrency: 8, slots, sleep: recordingSleep }),
      );
      const begun = performance.now();
      await Promise.all(
        Array.from({ length: 60 }, (_, i) => schedulers[i % 2]?.run(i % 3 === 0 ? A : B, async () => i)),
      );
      // 60 calls at 20/s with a burst of 2: 58 waits, the last about (60 − 2) × 50 ms out.
      expect(dues.length).toBeGreaterThanOrEqual(57);
      const last = Math.max(...dues) - begun;
      expect(last).toBeGreaterThan(58 * 50 - 30);
      expect(last).toBeLessThan(58 * 50 + 150);
      expect(busiestWindow(dues, 1000)).toBeLessThanOrEqual(20 + 2 + 1);
      // The other instance's bucket is untouched by all of that.
      expect(await other.reserve()).toBe(0);
    } finally {
      await Promise.all([...sources, other].map((source) => source.close()));
    }
  });

  it('falls back to the in-process rate, without failing the call, while Redis cannot be reached', async () => {
    const port = await freePort();
    const errors: unknown[] = [];
    const clock = new FakeClock(0);
    const slots = createRedisSlotSource(`redis://127.0.0.1:${port}`, 'aws-rate:down', 10, 1, {
      now: clock.now,
      onError: (error) => errors.push(error),
    });
    try {
      const delays = [await slots.reserve(), await slots.reserve(), await slots.reserve()];
      expect(delays).toEqual([0, 100, 200]);
      // One failed attempt, then Redis is left alone for a second rather than tried on every call.
      expect(errors).toHaveLength(1);
      // After that second it is asked again (and, still down, the call again gets a local slot).
      clock.advance(1000);
      expect(await slots.reserve()).toBe(0);
      expect(errors).toHaveLength(2);
    } finally {
      await slots.close();
    }
  });
});
