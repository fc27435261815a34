/** The tests' one hand-driven clock: time moves only when a test moves it, so schedules are exact and nothing waits on a real timer. */

interface Timer {
  at: number;
  seq: number;
  fire: () => void;
}

/**
 * `now` is an arrow property: `clock.now` can be handed to anything that takes a `now: () => number`
 * (lib/server) and the clock itself to the emulator (its `Clock`). `sleep` is the clock's timer: its
 * sleeps end as `runFor` moves the time past them, in order, with pending promise chains run between
 * them. Code that only reads the clock is moved with `advance`.
 */
export class FakeClock {
  private time: number;
  private seq = 0;
  private timers: Timer[] = [];
  /** How many sleeps anyone started (a scheduler must not poll). */
  timersSet = 0;

  /** Starts at `start` (ms since the epoch); by default the real time, so epoch values look real. */
  constructor(start = Date.now()) {
    this.time = start;
  }

  now = (): number => this.time;

  /** Moves the time at once. Only for code that reads the clock: no sleep may fall due meanwhile (`runFor` lets those end). */
  advance(ms: number): void {
    const target = this.time + ms;
    if (this.timers.some((timer) => timer.at <= target)) throw new Error('a sleep falls due meanwhile: move the time with `await clock.runFor(ms)`');
    this.time = target;
  }

  advanceSeconds(seconds: number): void {
    this.advance(seconds * 1000);
  }

  /** A sleep on this clock: ends when `runFor` reaches its time; an abort ends it at once, rejected with the signal's reason. */
  sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      this.timersSet += 1;
      const timer = { at: this.time + Math.max(0, ms), seq: this.seq++, fire: resolve };
      this.timers.push(timer);
      signal?.addEventListener(
        'abort',
        () => {
          this.timers = this.timers.filter((other) => other !== timer);
          reject(signal.reason);
        },
        { once: true },
      );
    });

  /** Lets every pending promise chain run; the time does not move. */
  async settle(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
  }

  /** Lets `ms` pass: each sleep ends at its time, in order, after the pending promise chains have run. */
  async runFor(ms: number): Promise<void> {
    const target = this.time + ms;
    for (;;) {
      await this.settle();
      const due = this.timers.filter((timer) => timer.at <= target).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      this.timers.splice(this.timers.indexOf(due), 1);
      this.time = Math.max(this.time, due.at);
      due.fire();
    }
    this.time = target;
    await this.settle();
  }
}
