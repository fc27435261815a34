import {
  InvalidRequestException,
  ListAccountsCommand,
  ResourceNotFoundException,
  SSOClient,
  SSOServiceException,
  TooManyRequestsException,
  UnauthorizedException,
} from '@aws-sdk/client-sso';
import { SSOOIDCServiceException, SlowDownException } from '@aws-sdk/client-sso-oidc';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';

import { type CallTicket, createAwsCallScheduler } from '@/lib/server/aws/rate-limiter';
import {
  answeredNothing,
  AwsCallError,
  type AwsErrorKind,
  backoffDelayMs,
  callWithRetries,
  classifyAwsError,
  retryAfterMs,
} from '@/lib/server/aws/retry';

import { FakeClock } from '../support/clock';

/**
 * Our retries against scripted failures and a fake clock: which errors are retried, how long each
 * backoff is, how Retry-After, the attempt cap and the deadline bound them, and that every attempt
 * (retries too) is paced by the scheduler.
 */

const EPOCH = Date.UTC(2026, 0, 1, 12, 0, 0);

/** The tests' clock, shared by the scheduler and the retry loop, also recording every backoff the loop asks for. */
class RetryClock extends FakeClock {
  /** Every backoff the retry loop asked for, in order (the deadline timer and rate waits excluded). */
  readonly backoffs: number[] = [];

  /** For the retry loop: records backoffs (any sleep shorter than the deadline). */
  retrySleep = (ms: number, signal: AbortSignal) => {
    if (ms < DEADLINE_MS) this.backoffs.push(ms);
    return this.sleep(ms, signal);
  };
}

const DEADLINE_MS = 30_000;
const TICKET: CallTicket = { owner: 'owner-a', priority: 'interactive' };

const throttled = (headers?: Record<string, string>) => {
  const error = new TooManyRequestsException({ $metadata: { httpStatusCode: 429 }, message: 'HTTP 429 Unknown Code' });
  if (headers) error.$response = { statusCode: 429, headers };
  return error;
};
const serverError = () =>
  new SSOServiceException({ name: 'InternalFailure', $fault: 'server', $metadata: { httpStatusCode: 500 }, message: 'oops' });
const unauthorized = () =>
  new UnauthorizedException({ $metadata: { httpStatusCode: 401 }, message: 'Session token not found or invalid' });

/** A scheduler and a retry loop on one fake clock, and an attempt that plays `script` one entry per attempt. */
function harness(script: (Error | string)[], options: { ratePerSecond?: number; randoms?: number[] } = {}) {
  const clock = new RetryClock(EPOCH);
  const scheduler = createAwsCallScheduler({
    ratePerSecond: options.ratePerSecond ?? 100,
    burst: 1,
    maxConcurrency: 8,
    now: clock.now,
    sleep: clock.sleep,
  });
  const attempts: number[] = [];
  const randoms = [...(options.randoms ?? [])];
  const run = (overrides: Parameters<typeof callWithRetries>[3] = {}) =>
    callWithRetries(
      scheduler,
      TICKET,
      async ({ attempt }) => {
        attempts.push(clock.now());
        const next = script[attempt - 1] ?? script.at(-1);
        if (next instanceof Error) throw next;
        return next;
      },
      { now: clock.now, sleep: clock.retrySleep, random: () => randoms.shift() ?? 0.5, deadlineMs: DEADLINE_MS, ...overrides },
    );
  return { clock, scheduler, attempts, run };
}

/** Runs `promise` to completion on the fake clock and returns what it settled with. */
async function settleOn<T>(clock: FakeClock, promise: Promise<T>, maxMs = 120_000): Promise<{ value?: T; error?: unknown }> {
  let outcome: { value?: T; error?: unknown } | undefined;
  promise.then(
    (value) => (outcome = { value }),
    (error: unknown) => (outcome = { error }),
  );
  for (let waited = 0; outcome === undefined && waited < maxMs; waited += 50) await clock.runFor(50);
  if (!outcome) throw new Error('the call did not settle on the fake clock');
  return outcome;
}

describe('classifying AWS errors', () => {
  const networkReset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
  const forbidden = new SSOServiceException({
    name: 'ForbiddenException',
    $fault: 'client',
    $metadata: { httpStatusCode: 403 },
    message: 'No access',
  });
  const table: [string, unknown, AwsErrorKind][] = [
    ['TooManyRequestsException (429)', throttled(), 'throttled'],
    ['TooManyRequestsException without a status', new TooManyRequestsException({ $metadata: {}, message: 'x' }), 'throttled'],
    ['UnauthorizedException (401)', unauthorized(), 'unauthorized'],
    ['UnauthorizedException without a status', new UnauthorizedException({ $metadata: {}, message: 'x' }), 'unauthorized'],
    ['unmodeled ForbiddenException (403)', forbidden, 'forbidden'],
    ['ResourceNotFoundException (404)', new ResourceNotFoundException({ $metadata: { httpStatusCode: 404 }, message: 'x' }), 'not_found'],
    ['InvalidRequestException (400)', new InvalidRequestException({ $metadata: { httpStatusCode: 400 }, message: 'x' }), 'invalid'],
    ['a 500 SSOServiceException', serverError(), 'transient'],
    ['a 503 without a name', new SSOServiceException({ name: 'Unknown', $fault: 'server', $metadata: { httpStatusCode: 503 } }), 'transient'],
    ['a Node error with code ECONNRESET', networkReset, 'transient'],
    ['socket hang up', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), 'transient'],
    ['the request handler’s TimeoutError', Object.assign(new Error('timed out'), { name: 'TimeoutError' }), 'transient'],
    ['the request handler’s AbortError', Object.assign(new Error('aborted'), { name: 'AbortError' }), 'transient'],
    ['an SDK error with no HTTP answer', Object.assign(new Error('?'), { $metadata: { attempts: 1 } }), 'transient'],
    ['a network error wrapped as the cause', new Error('provider failed', { cause: networkReset }), 'transient'],
    ['STS throttling (400 Throttling)', Object.assign(new Error('Rate exceeded'), { name: 'Throttling', $metadata: { httpStatusCode: 400 } }), 'throttled'],
    ['S3-style SlowDown (503)', Object.assign(new Error('slow'), { name: 'SlowDown', $metadata: { httpStatusCode: 503 } }), 'throttled'],
    ['OIDC SlowDownException (400): the poller’s business', new SlowDownException({ $metadata: { httpStatusCode: 400 }, message: 'Unknown' }), 'invalid'],
    ['OIDC AccessDeniedException (400)', new SSOOIDCServiceException({ name: 'AccessDeniedException', $fault: 'client', $metadata: { httpStatusCode: 400 } }), 'forbidden'],
    ['a bug in our own code', new TypeError('x is undefined'), 'other'],
    ['not an error at all', 'boom', 'other'],
  ];
  it.each(table)('%s → %s', (_label, error, kind) => {
    expect(classifyAwsError(error)).toBe(kind);
  });
});

describe('reading Retry-After', () => {
  it('takes seconds, HTTP dates and x-amz-retry-after, and ignores what it cannot parse', () => {
    expect(retryAfterMs(throttled({ 'retry-after': '3' }), EPOCH)).toBe(3000);
    expect(retryAfterMs(throttled({ 'Retry-After': '1.5' }), EPOCH)).toBe(1500);
    expect(retryAfterMs(throttled({ 'retry-after': new Date(EPOCH + 7000).toUTCString() }), EPOCH)).toBe(7000);
    expect(retryAfterMs(throttled({ 'retry-after': new Date(EPOCH - 7000).toUTCString() }), EPOCH)).toBe(0);
    expect(retryAfterMs(throttled({ 'x-amz-retry-after': '250' }), EPOCH)).toBe(250);
    expect(retryAfterMs(throttled({ 'retry-after': 'soon' }), EPOCH)).toBeUndefined();
    expect(retryAfterMs(throttled({ 'retry-after': '-1' }), EPOCH)).toBeUndefined();
    expect(retryAfterMs(throttled({ 'content-type': 'application/json' }), EPOCH)).toBeUndefined();
    expect(retryAfterMs(throttled(), EPOCH)).toBeUndefined();
  });

  it('finds the header where the SDK puts it on a real SSO client’s error', async () => {
    const client = new SSOClient({
      region: 'us-east-1',
      maxAttempts: 1,
      credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' },
      requestHandler: {
        handle: async () => ({
          response: {
            statusCode: 429,
            headers: { 'retry-after': '2', 'x-amzn-errortype': 'TooManyRequestsException', 'content-type': 'application/json' },
            body: Readable.from([Buffer.from('{"message":"HTTP 429 Unknown Code"}')]),
          },
        }),
      },
    });
    const error: unknown = await client.send(new ListAccountsCommand({ accessToken: 'token' })).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TooManyRequestsException);
    expect(classifyAwsError(error)).toBe('throttled');
    expect(retryAfterMs(error)).toBe(2000);
  });
});

describe('backoff', () => {
  it('draws retry n from [ceiling / 2, ceiling] with the ceiling doubling from 200 ms up to 5 s', () => {
    const base = { baseDelayMs: 200, maxDelayMs: 5000 };
    const ceilings = [200, 400, 800, 1600, 3200, 5000, 5000];
    ceilings.forEach((ceiling, index) => {
      expect(backoffDelayMs(index + 1, { ...base, random: () => 0 })).toBe(ceiling / 2);
      expect(backoffDelayMs(index + 1, { ...base, random: () => 0.999999 })).toBeCloseTo(ceiling, 0);
    });
  });

  it('never goes below a Retry-After, and stretches it by at most a fifth', () => {
    const base = { baseDelayMs: 200, maxDelayMs: 5000, retryAfterMs: 3000 };
    expect(backoffDelayMs(1, { ...base, random: () => 0 })).toBe(3000);
    expect(backoffDelayMs(1, { ...base, random: () => 0.999999 })).toBeCloseTo(3600, 0);
    // When our own backoff is already longer, it stands.
    expect(backoffDelayMs(6, { ...base, retryAfterMs: 100, random: () => 0.5 })).toBe(3750);
  });
});

describe('callWithRetries', () => {
  it('gets through two throttles, waiting within the jitter range each time', async () => {
    const { clock, attempts, run } = harness([throttled(), throttled(), 'accounts'], { randoms: [0.1, 0.9] });
    const outcome = await settleOn(clock, run());
    expect(outcome.value).toBe('accounts');
    expect(attempts).toHaveLength(3);
    expect(clock.backoffs).toEqual([100 + 0.1 * 100, 200 + 0.9 * 200]);
    // The next attempt starts after its backoff, not before.
    expect((attempts[1] ?? 0) - (attempts[0] ?? 0)).toBeGreaterThanOrEqual(110);
    expect((attempts[2] ?? 0) - (attempts[1] ?? 0)).toBeGreaterThanOrEqual(380);
  });

  it('retries a 500 and a dropped connection', async () => {
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    const { clock, attempts, run } = harness([serverError(), reset, 'roles']);
    expect((await settleOn(clock, run())).value).toBe('roles');
    expect(attempts).toHaveLength(3);
  });

  it('for a caller that waits out outages itself, fails at once when Identity Center cannot be reached, and still retries a reset', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4599'), { code: 'ECONNREFUSED' });
    const once = harness([refused, 'roles']);
    const { error } = await settleOn(once.clock, once.run({ retryUnreachable: false }));
    expect(once.attempts).toHaveLength(1);
    expect(error).toMatchObject({ kind: 'transient', reason: 'not_retryable' });
    expect(answeredNothing(error)).toBe(true);

    // As the SDK reports a dropped connection: a TimeoutError whose code says it was reset.
    const reset = Object.assign(new Error('socket hang up'), { name: 'TimeoutError', code: 'ECONNRESET' });
    const flaky = harness([reset, 'roles']);
    expect((await settleOn(flaky.clock, flaky.run({ retryUnreachable: false }))).value).toBe('roles');
    expect(answeredNothing(reset)).toBe(false);
  });

  it('waits at least as long as Retry-After asks before the next attempt', async () => {
    const { clock, attempts, run } = harness([throttled({ 'retry-after': '2' }), 'credentials'], { randoms: [0.5, 0.5] });
    expect((await settleOn(clock, run())).value).toBe('credentials');
    expect(clock.backoffs).toEqual([2200]);
    expect((attempts[1] ?? 0) - (attempts[0] ?? 0)).toBeGreaterThanOrEqual(2000);
  });

  it('stops after the attempt cap when throttled forever, and says how long to wait', async () => {
    const { clock, attempts, run } = harness([throttled()]);
    const { error } = await settleOn(clock, run());
    expect(attempts).toHaveLength(5);
    expect(error).toBeInstanceOf(AwsCallError);
    expect(error).toMatchObject({ kind: 'throttled', reason: 'attempts_exhausted', attempts: 5 });
    expect((error as AwsCallError).retryAfterMs).toBeGreaterThan(0);
    expect((error as AwsCallError).cause).toBeInstanceOf(TooManyRequestsException);
    // No tight loop: four backoffs, each in its range.
    expect(clock.backoffs).toHaveLength(4);
    clock.backoffs.forEach((delay, index) => {
      const ceiling = Math.min(5000, 200 * 2 ** index);
      expect(delay).toBeGreaterThanOrEqual(ceiling / 2);
      expect(delay).toBeLessThanOrEqual(ceiling);
    });
  });

  it('takes a smaller attempt cap when given one', async () => {
    const { clock, attempts, run } = harness([serverError()]);
    const { error } = await settleOn(clock, run({ maxAttempts: 2 }));
    expect(attempts).toHaveLength(2);
    expect(error).toMatchObject({ kind: 'transient', reason: 'attempts_exhausted', attempts: 2 });
  });

  it.each([
    ['unauthorized', unauthorized()],
    ['forbidden', new SSOServiceException({ name: 'ForbiddenException', $fault: 'client', $metadata: { httpStatusCode: 403 } })],
    ['not_found', new ResourceNotFoundException({ $metadata: { httpStatusCode: 404 }, message: 'x' })],
    ['invalid', new InvalidRequestException({ $metadata: { httpStatusCode: 400 }, message: 'x' })],
    ['other', new TypeError('a bug of ours')],
  ] as const)('never retries %s', async (kind, failure) => {
    const { clock, attempts, run } = harness([failure, 'never reached']);
    const { error } = await settleOn(clock, run());
    expect(attempts).toHaveLength(1);
    expect(clock.backoffs).toEqual([]);
    expect(error).toMatchObject({ kind, reason: 'not_retryable', attempts: 1 });
    // The message names the kind only: nothing from AWS's answer reaches it.
    expect((error as Error).message).not.toContain('x');
  });

  it('gives up rather than sleep past the deadline', async () => {
    const { clock, attempts, run } = harness([serverError()], { randoms: [1, 1, 1, 1, 1] });
    const begun = clock.now();
    const { error } = await settleOn(clock, run({ deadlineMs: 1000, maxAttempts: 10 }));
    // Backoffs 200 + 400 take the call to 600 ms; the next (800 ms) would end past 1 s.
    expect(attempts).toHaveLength(3);
    expect(error).toMatchObject({ kind: 'transient', reason: 'deadline', attempts: 3 });
    expect(clock.now() - begun).toBeLessThan(1000);
  });

  it('gives up at the deadline while still queued behind a busy scheduler, without ever calling AWS', async () => {
    const clock = new FakeClock(EPOCH);
    const scheduler = createAwsCallScheduler({ ratePerSecond: 10, maxConcurrency: 1, now: clock.now, sleep: clock.sleep });
    const blocker = scheduler.run({ owner: 'someone-else', priority: 'interactive' }, () => clock.sleep(60_000));
    let called = false;
    const begun = clock.now();
    const { error } = await settleOn(
      clock,
      callWithRetries(
        scheduler,
        TICKET,
        async () => {
          called = true;
        },
        { now: clock.now, sleep: clock.sleep, deadlineMs: 2000 },
      ),
    );
    expect(called).toBe(false);
    expect(error).toMatchObject({ kind: 'throttled', reason: 'deadline', attempts: 0 });
    expect(clock.now() - begun).toBeLessThanOrEqual(2050);
    expect(scheduler.stats().waiting).toBe(0);
    await clock.runFor(60_000);
    await blocker;
  });

  it('aborts the attempt in flight at the deadline through the signal it was given', async () => {
    const clock = new FakeClock(EPOCH);
    const scheduler = createAwsCallScheduler({ ratePerSecond: 10, maxConcurrency: 8, now: clock.now, sleep: clock.sleep });
    let seen: AbortSignal | undefined;
    const { error } = await settleOn(
      clock,
      callWithRetries(
        scheduler,
        TICKET,
        ({ signal }) => {
          seen = signal;
          // Like the SDK: the request ends with an AbortError when its abortSignal fires.
          return new Promise((_resolve, reject) =>
            signal.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' }))),
          );
        },
        { now: clock.now, sleep: clock.sleep, deadlineMs: 1500 },
      ),
    );
    expect(seen?.aborted).toBe(true);
    expect(error).toMatchObject({ reason: 'deadline', attempts: 1 });
  });

  it('stops at once with the caller’s reason when the caller aborts during a backoff', async () => {
    const controller = new AbortController();
    const { clock, attempts, run } = harness([serverError()]);
    const outcome = settleOn(clock, run({ signal: controller.signal }));
    await clock.runFor(50);
    expect(attempts).toHaveLength(1);
    controller.abort(new Error('the browser went away'));
    const { error } = await outcome;
    expect(error).toEqual(new Error('the browser went away'));
    await clock.runFor(10_000);
    expect(attempts).toHaveLength(1);
  });

  it('reports each retry before its backoff', async () => {
    const events: unknown[] = [];
    const { clock, run } = harness([throttled(), 'ok'], { randoms: [0] });
    await settleOn(clock, run({ onRetry: (event) => events.push(event) }));
    expect(events).toEqual([{ attempt: 1, kind: 'throttled', delayMs: 100 }]);
  });

  it('paces retries with first attempts: 300 calls that each fail twice stay within the rate', async () => {
    const clock = new FakeClock(EPOCH);
    const scheduler = createAwsCallScheduler({ ratePerSecond: 10, burst: 2, maxConcurrency: 8, now: clock.now, sleep: clock.sleep });
    const starts: number[] = [];
    const calls = Array.from({ length: 300 }, (_, i) =>
      callWithRetries(
        scheduler,
        { owner: `owner-${i % 7}`, priority: i % 5 === 0 ? 'interactive' : 'background' },
        async ({ attempt }) => {
          starts.push(clock.now());
          if (attempt < 3) throw attempt === 1 ? throttled() : serverError();
          return attempt;
        },
        { now: clock.now, sleep: clock.sleep, deadlineMs: 200_000, random: () => 0.5 },
      ),
    );
    await clock.runFor(60_000);
    // In any minute at most 10 × 60 + 2 attempts start, retries included, and the limiter keeps it busy.
    expect(starts.length).toBeLessThanOrEqual(602);
    expect(starts.length).toBeGreaterThanOrEqual(595);
    const sorted = [...starts].sort((a, b) => a - b);
    for (let i = 2; i < sorted.length; i += 1) {
      expect((sorted[i] ?? 0) - (sorted[i - 2] ?? 0)).toBeGreaterThanOrEqual(100);
    }
    await clock.runFor(60_000);
    const results = await Promise.all(calls);
    expect(results.every((attempt) => attempt === 3)).toBe(true);
    expect(starts).toHaveLength(900);
  });
});
