import 'server-only';

import { answeredNothing } from '@/lib/server/aws/retry';
import { hasCode } from '@/lib/server/core/errors';

/**
 * Identity Center not answering during a listing (connection refused, timed out): the listing waits
 * instead of marking thousands of accounts failed, tries again with one call at growing intervals,
 * and goes on by itself once Identity Center answers. After `giveUpMs` of silence it stops waiting
 * and the accounts still missing are reported as failed, as any other failure.
 */

/** True when the failure says nothing but that Identity Center (or the way to it) is not answering. */
export function isNotAnswering(error: unknown): boolean {
  return answeredNothing(error) || hasCode(error, 'upstream_unavailable');
}

export type OutageChange = { down: true; retryAt: number } | { down: false };

const FIRST_DELAY_MS = 1_000;
const MAX_DELAY_MS = 15_000;

export class Outage {
  private downSince: number | null = null;
  private failures = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private waiters: (() => void)[] = [];
  /** The retry time came with nobody waiting: the next one to ask goes (as the probe). */
  private passFree = false;
  private gaveUp = false;

  constructor(
    private readonly now: () => number,
    private readonly onChange: (change: OutageChange) => void,
    private readonly giveUpMs = 10 * 60_000,
  ) {}

  /** Resolves at once while Identity Center answers; else when it is time to try again. */
  passage(): Promise<void> {
    if (this.downSince === null || this.gaveUp) return Promise.resolve();
    if (this.passFree) {
      this.passFree = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** A call got no answer. True: wait (`passage`) and try again; false: the outage lasted too long. */
  failed(): boolean {
    if (this.gaveUp) return false;
    const at = this.now();
    this.downSince ??= at;
    if (at - this.downSince >= this.giveUpMs) {
      this.gaveUp = true;
      this.clear();
      for (const wake of this.waiters.splice(0)) wake();
      return false;
    }
    if (this.timer === undefined) {
      this.failures += 1;
      const delay = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** (this.failures - 1));
      this.onChange({ down: true, retryAt: at + delay });
      this.timer = setTimeout(() => {
        this.timer = undefined;
        // One call probes; the rest follow once it got an answer.
        const probe = this.waiters.shift();
        if (probe) probe();
        else this.passFree = true;
      }, delay);
    }
    return true;
  }

  /** A call got an answer: everyone waiting goes on. */
  succeeded(): void {
    if (this.downSince === null) return;
    this.downSince = null;
    this.failures = 0;
    this.passFree = false;
    this.clear();
    this.onChange({ down: false });
    for (const wake of this.waiters.splice(0)) wake();
  }

  /** Retries `call` for as long as Identity Center is not answering (within the outage's budget). */
  async untilAnswered<T>(call: () => Promise<T>): Promise<T> {
    for (;;) {
      await this.passage();
      try {
        const value = await call();
        this.succeeded();
        return value;
      } catch (error) {
        if (!isNotAnswering(error)) {
          // Any answer, even a refusal, means Identity Center is back.
          this.succeeded();
          throw error;
        }
        if (this.failed()) continue;
        throw error;
      }
    }
  }

  /** The listing was replaced: nobody waits any longer. */
  abandon(): void {
    this.gaveUp = true;
    this.clear();
    for (const wake of this.waiters.splice(0)) wake();
  }

  clear(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
