'use client';

import { ApiRequestError } from '@/components/api-client';

/** How long a person waits, at most, while Identity Center is busy before being told so. */
const BUSY_BUDGET_MS = 20_000;
/** When a busy answer says nothing about waiting. */
const DEFAULT_WAIT_MS = 2_000;

const busy = (error: unknown): error is ApiRequestError => error instanceof ApiRequestError && (error.status === 429 || error.status === 503);

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `call`, and again after the wait the portal asks for (Retry-After) while it answers that
 * Identity Center is busy (429, 503), until `budgetMs` would be passed: throttling is waited out
 * without the person pressing again. What still fails after that goes to the caller.
 */
export async function withBusyRetries<T>(call: () => Promise<T>, budgetMs = BUSY_BUDGET_MS): Promise<T> {
  const deadline = Date.now() + budgetMs;
  for (;;) {
    try {
      return await call();
    } catch (error) {
      if (!busy(error)) throw error;
      const wait = error.retryAfterSeconds === null ? DEFAULT_WAIT_MS : Math.max(250, error.retryAfterSeconds * 1000);
      if (Date.now() + wait > deadline) throw error;
      await pause(wait);
    }
  }
}
