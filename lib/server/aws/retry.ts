import 'server-only';

import { z } from 'zod';

import type { AwsCallScheduler, CallTicket } from './rate-limiter';

/**
 * Our own retries for calls to Identity Center (the SDK clients run with `maxAttempts: 1`), so that
 * every attempt goes through the instance's scheduler and retries spend the same rate budget as first
 * attempts. Throttling and transient failures are retried with jittered exponential backoff, never
 * sooner than a `Retry-After` asks, with a finite attempt count and an overall deadline (a web request
 * cannot wait forever, security bar §6.3). Answers that would be the same next time (401, 403, 404,
 * 400) are never retried.
 */

export type AwsErrorKind =
  | 'throttled'
  | 'transient'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'invalid'
  | 'other';

const RETRYABLE: ReadonlySet<AwsErrorKind> = new Set(['throttled', 'transient']);

// The SDK's own list (THROTTLING_ERROR_CODES) for the services we call, plus S3-style `SlowDown`.
// OIDC's `SlowDownException` is deliberately absent: it is a 400 telling a device-flow poller to
// lengthen its interval, which the polling schedule handles; retrying it here would poll faster.
const THROTTLING_NAMES = new Set([
  'TooManyRequestsException',
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'RequestThrottled',
  'RequestThrottledException',
  'RequestLimitExceeded',
  'SlowDown',
]);
const TRANSIENT_NAMES = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'AbortError', 'InternalServerException']);
// Node socket failures as the SDK's request handler reports them (`code`), timeouts and DNS hiccups.
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
]);
// Of those, the ones that mean nothing is there to answer: no connection could be made, or none in time.
// A reset or a hang-up mid-call is a flaky answer instead, retried as any transient failure.
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
const UNREACHABLE_NAMES = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException']);
const NAME_KINDS: ReadonlyMap<string, AwsErrorKind> = new Map([
  ['UnauthorizedException', 'unauthorized'],
  ['ForbiddenException', 'forbidden'],
  ['AccessDenied', 'forbidden'],
  ['AccessDeniedException', 'forbidden'],
  ['ResourceNotFoundException', 'not_found'],
  ['InvalidRequestException', 'invalid'],
  ['ValidationException', 'invalid'],
]);

// What we read off a thrown value. SDK errors carry `$metadata` (set by the client pipeline even when
// no answer came back) and a non-enumerable `$response`; network errors carry a Node `code`.
const errorShape = z.object({
  name: z.string().optional().catch(undefined),
  code: z.string().optional().catch(undefined),
  message: z.string().optional().catch(undefined),
  $metadata: z.object({ httpStatusCode: z.number().int().optional().catch(undefined) }).optional().catch(undefined),
  $response: z
    .object({
      statusCode: z.number().int().optional().catch(undefined),
      headers: z.record(z.string(), z.string()).optional().catch(undefined),
    })
    .optional()
    .catch(undefined),
  $retryable: z.object({ throttling: z.boolean().optional().catch(undefined) }).optional().catch(undefined),
  cause: z.unknown().optional(),
});
type ErrorShape = z.infer<typeof errorShape>;

function shapeOf(error: unknown): ErrorShape | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const parsed = errorShape.safeParse(error);
  return parsed.success ? parsed.data : undefined;
}

function looksLikeNetworkFailure(error: unknown, depth = 0): boolean {
  const shape = shapeOf(error);
  if (!shape || depth > 5) return false;
  if ((shape.code && NETWORK_CODES.has(shape.code)) || (shape.name && TRANSIENT_NAMES.has(shape.name))) return true;
  if (shape.message && /socket hang up/i.test(shape.message)) return true;
  return looksLikeNetworkFailure(shape.cause, depth + 1);
}

/** Sorts an error from the SSO portal, SSO OIDC or STS clients (or their request handler) by what to do about it. */
export function classifyAwsError(error: unknown): AwsErrorKind {
  const shape = shapeOf(error);
  if (!shape) return 'other';
  const status = shape.$metadata?.httpStatusCode ?? shape.$response?.statusCode;
  const name = shape.name ?? '';
  // Throttling first: STS throttles with a 400 and S3-style SlowDown comes as a 503.
  if (status === 429 || THROTTLING_NAMES.has(name) || shape.$retryable?.throttling === true) return 'throttled';
  switch (status) {
    case 400:
      return NAME_KINDS.get(name) === 'forbidden' ? 'forbidden' : 'invalid';
    case 401:
      return 'unauthorized';
    case 403:
      return 'forbidden';
    case 404:
      return 'not_found';
  }
  if (status !== undefined && status >= 500) return 'transient';
  const byName = NAME_KINDS.get(name);
  if (byName) return byName;
  if (looksLikeNetworkFailure(error)) return 'transient';
  // The SDK pipeline stamped it but no HTTP answer arrived: the request never completed.
  if (shape.$metadata && status === undefined) return 'transient';
  return 'other';
}

/** What went wrong with a call, whether it failed after our retries or before them. */
export function awsErrorKind(error: unknown): AwsErrorKind {
  return asAwsCallError(error)?.kind ?? classifyAwsError(error);
}

/**
 * The error as an AwsCallError, recognised by its name: the services are built by whichever bundle
 * of the server came first, so the class a caller imported may be another copy of it.
 */
function asAwsCallError(error: unknown): AwsCallError | undefined {
  return error instanceof Error && error.name === 'AwsCallError' ? (error as AwsCallError) : undefined;
}

function looksUnreachable(error: unknown, depth = 0): boolean {
  const shape = shapeOf(error);
  if (!shape || depth > 5) return false;
  if ((shape.$metadata?.httpStatusCode ?? shape.$response?.statusCode) !== undefined) return false;
  // The code decides when there is one: the SDK names a dropped connection TimeoutError, code ECONNRESET.
  if (shape.code) return UNREACHABLE_CODES.has(shape.code);
  if (shape.name && UNREACHABLE_NAMES.has(shape.name)) return true;
  return looksUnreachable(shape.cause, depth + 1);
}

/**
 * True when Identity Center could not be reached at all (connection refused, no route, timed out):
 * it is not answering, which is neither throttling nor a 5xx. Nothing about the session follows from it.
 */
export function answeredNothing(error: unknown): boolean {
  const call = asAwsCallError(error);
  if (call && (call.kind !== 'transient' || call.cause === undefined)) return false;
  return looksUnreachable(call ? call.cause : error);
}

/** How long AWS asked us to wait after a failed call, when it said. */
export function retryHintMs(error: unknown): number | undefined {
  return asAwsCallError(error)?.retryAfterMs;
}

export function isRetryable(kind: AwsErrorKind): boolean {
  return RETRYABLE.has(kind);
}

/**
 * How long the service asked us to wait, in milliseconds: `Retry-After` as seconds or an HTTP date
 * (RFC 9110 §10.2.3), or the AWS `x-amz-retry-after` in milliseconds. Header values are untrusted:
 * anything unparsable counts as no hint.
 */
export function retryAfterMs(error: unknown, now: number = Date.now()): number | undefined {
  const headers = shapeOf(error)?.$response?.headers;
  if (!headers) return undefined;
  for (const [name, raw] of Object.entries(headers)) {
    const header = name.toLowerCase();
    const value = raw.trim();
    if (header === 'retry-after') {
      if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
      const date = Date.parse(value);
      if (Number.isFinite(date) && /[a-z]/i.test(value)) return Math.max(0, date - now);
      return undefined;
    }
    if (header === 'x-amz-retry-after' && /^\d+$/.test(value)) return Number(value);
  }
  return undefined;
}

export type AwsCallFailureReason = 'not_retryable' | 'attempts_exhausted' | 'deadline';

/**
 * What a call through `callWithRetries` throws (except when the caller aborts it: then the signal's
 * reason). The message names only the kind; the SDK error is the `cause`, for logs, never for users.
 */
export class AwsCallError extends Error {
  constructor(
    readonly kind: AwsErrorKind,
    readonly reason: AwsCallFailureReason,
    readonly attempts: number,
    /** For retryable failures: how long to wait before trying again, for a "try again in N s" message. */
    readonly retryAfterMs: number | undefined,
    cause: unknown,
  ) {
    super(`The call to AWS failed (${kind}, ${reason}, ${attempts} attempt${attempts === 1 ? '' : 's'}).`, { cause });
    this.name = 'AwsCallError';
  }
}

export interface RetryOptions {
  /** Attempts in all, the first included. Default 5. */
  maxAttempts?: number;
  /** Budget for the whole call, waiting for slots and backoff included, in ms. Default 30 s. */
  deadlineMs?: number;
  /** Backoff before retry n is drawn from [ceiling / 2, ceiling], ceiling = min(maxDelayMs, baseDelayMs × 2^(n−1)). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  signal?: AbortSignal;
  /**
   * False: a call that finds Identity Center unreachable fails at once rather than retrying, for a
   * caller that waits out the outage itself (a listing in the background). Default true.
   */
  retryUnreachable?: boolean;
  /** Told about each retry before its backoff, for logs and metrics. */
  onRetry?: (event: { attempt: number; kind: AwsErrorKind; delayMs: number }) => void;
  /** Injected for tests: uniform in [0, 1). */
  random?: () => number;
  /** Injected for tests: epoch milliseconds (also used to read `Retry-After` dates). */
  now?: () => number;
  /** Injected for tests: resolves after `ms`, rejects with the signal's reason once it aborts. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

export const RETRY_DEFAULTS = { maxAttempts: 5, deadlineMs: 30_000, baseDelayMs: 200, maxDelayMs: 5_000 } as const;

const retrySchema = z.object({
  maxAttempts: z.number().int().min(1).default(RETRY_DEFAULTS.maxAttempts),
  // At most a day: longer does not fit a timer, and nothing should wait that long anyway.
  deadlineMs: z.number().positive().max(86_400_000).default(RETRY_DEFAULTS.deadlineMs),
  baseDelayMs: z.number().nonnegative().finite().default(RETRY_DEFAULTS.baseDelayMs),
  maxDelayMs: z.number().nonnegative().finite().default(RETRY_DEFAULTS.maxDelayMs),
});

/**
 * Delay before retry number `retry` (1 for the first retry). Half of the exponential ceiling is
 * fixed, so a retry never follows a throttle at once; half is random, so callers that failed together
 * do not come back together ("equal jitter"). A `Retry-After` is a floor, stretched by up to 20 % so
 * that everyone told the same second does not return in the same millisecond.
 */
export function backoffDelayMs(
  retry: number,
  options: { baseDelayMs: number; maxDelayMs: number; retryAfterMs?: number; random: () => number },
): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (retry - 1));
  const backoff = ceiling / 2 + (options.random() * ceiling) / 2;
  if (options.retryAfterMs === undefined) return backoff;
  return Math.max(backoff, options.retryAfterMs * (1 + 0.2 * options.random()));
}

function timerSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

class DeadlineReached extends Error {
  constructor() {
    super('The deadline for the AWS call passed.');
    this.name = 'DeadlineReached';
  }
}

/**
 * Runs `attempt` through the scheduler until it succeeds, fails for good, runs out of attempts or
 * out of time. `attempt` gets a signal that aborts at the deadline or when the caller's signal does;
 * pass it to the SDK (`client.send(command, { abortSignal })`).
 */
export async function callWithRetries<T>(
  scheduler: AwsCallScheduler,
  ticket: CallTicket,
  attempt: (context: { attempt: number; signal: AbortSignal }) => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const config = retrySchema.parse({
    maxAttempts: options.maxAttempts,
    deadlineMs: options.deadlineMs,
    baseDelayMs: options.baseDelayMs,
    maxDelayMs: options.maxDelayMs,
  });
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? timerSleep;
  const deadline = now() + config.deadlineMs;

  // `finished` cancels the deadline timer when we are done, so nothing outlives the call.
  const finished = new AbortController();
  const expiry = new AbortController();
  sleep(config.deadlineMs, finished.signal).then(
    () => expiry.abort(new DeadlineReached()),
    () => {},
  );
  const signal = options.signal ? AbortSignal.any([options.signal, expiry.signal]) : expiry.signal;

  let attempts = 0;
  let lastError: unknown;
  // Until an attempt fails, only our own limiter can hold the call back: to the caller, throttling.
  let lastKind: AwsErrorKind = 'throttled';
  const deadlineFailure = (retryAfter?: number) =>
    new AwsCallError(lastKind, 'deadline', attempts, retryAfter, lastError);
  try {
    for (;;) {
      try {
        return await scheduler.run(
          ticket,
          () => {
            attempts += 1;
            return attempt({ attempt: attempts, signal });
          },
          { signal },
        );
      } catch (error) {
        if (options.signal?.aborted) throw options.signal.reason;
        // DeadlineReached comes from the queue: the last attempt's error (if any) still says why we waited.
        if (!(error instanceof DeadlineReached)) {
          lastError = error;
          lastKind = classifyAwsError(error);
          if (!isRetryable(lastKind)) throw new AwsCallError(lastKind, 'not_retryable', attempts, undefined, error);
          if (options.retryUnreachable === false && looksUnreachable(error)) {
            throw new AwsCallError(lastKind, 'not_retryable', attempts, undefined, error);
          }
        }
        // Out of time: whether the attempt was cut off (an AbortError from the SDK) or never started.
        if (expiry.signal.aborted) throw deadlineFailure();
        const hint = retryAfterMs(error, now());
        const delayMs = backoffDelayMs(attempts, { ...config, retryAfterMs: hint, random });
        if (attempts >= config.maxAttempts) {
          throw new AwsCallError(lastKind, 'attempts_exhausted', attempts, delayMs, error);
        }
        // Sleeping past the deadline would only end in failure later: fail now, and say when to come back.
        if (now() + delayMs >= deadline) throw deadlineFailure(delayMs);
        options.onRetry?.({ attempt: attempts, kind: lastKind, delayMs });
        try {
          await sleep(delayMs, signal);
        } catch (sleepError) {
          if (options.signal?.aborted) throw options.signal.reason;
          if (expiry.signal.aborted) throw deadlineFailure();
          throw sleepError;
        }
      }
    }
  } finally {
    finished.abort();
  }
}
