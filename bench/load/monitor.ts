/**
 * What the load run watches besides the requests: each portal process's memory and CPU (Linux /proc),
 * and the emulator's calls per second to the portal API (the rate-limited one), attempted and throttled.
 */
import { readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

export interface ProcessPeak {
  peakRssMb: number;
  /** CPU seconds used during the set-up, and the busiest second's share of one core (1 = a whole core). */
  cpuSeconds: number;
  peakCpuCores: number;
}

function sample(pid: number): { rssKb: number; ticks: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rssKb = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? 0);
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { rssKb, ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return undefined;
  }
}

/** Samples a process every second until stopped. */
export function watchProcess(pid: number | undefined): () => ProcessPeak {
  let peakRssKb = 0;
  let peakTicksPerSecond = 0;
  const first = pid === undefined ? undefined : sample(pid);
  let last = first;
  const timer = setInterval(() => {
    if (pid === undefined) return;
    const now = sample(pid);
    if (!now) return;
    peakRssKb = Math.max(peakRssKb, now.rssKb);
    if (last) peakTicksPerSecond = Math.max(peakTicksPerSecond, now.ticks - last.ticks);
    last = now;
  }, 1000);
  timer.unref();
  return () => {
    clearInterval(timer);
    const end = pid === undefined ? undefined : sample(pid);
    if (end) peakRssKb = Math.max(peakRssKb, end.rssKb);
    return {
      peakRssMb: Math.round(peakRssKb / 1024),
      cpuSeconds: first && end ? (end.ticks - first.ticks) / TICKS_PER_SECOND : 0,
      peakCpuCores: peakTicksPerSecond / TICKS_PER_SECOND,
    };
  };
}

/** The portal API operations the emulator's token bucket limits (see emulator/server.ts). */
const LIMITED = new Set(['ListAccounts', 'ListAccountRoles', 'GetRoleCredentials', 'Logout']);

export class EmulatorSeconds {
  private attempted = new Map<number, number>();
  private throttledIn = new Map<number, number>();

  /** For the emulator's `log` option: one line per answered request, `METHOD path status ms operation`. */
  readonly log = (line: string): void => {
    const match = /^\S+ \S+ (\d{3}) (\d+)ms (\S+)$/.exec(line);
    if (!match || !LIMITED.has(match[3]!)) return;
    // The second the request arrived in (its answer came `ms` later).
    const second = Math.floor((Date.now() - Number(match[2])) / 1000);
    this.attempted.set(second, (this.attempted.get(second) ?? 0) + 1);
    if (match[1] === '429') this.throttledIn.set(second, (this.throttledIn.get(second) ?? 0) + 1);
  };

  /**
   * The busiest second's calls, and the seconds in which the emulator saw more than its limit: its
   * limit is a token bucket (as AWS's is), so those are the seconds in which it had to refuse a call.
   */
  summary(): { busiestSecond: number; overLimitSeconds: number; throttled: number } {
    const counts = [...this.attempted.values()];
    let throttled = 0;
    for (const count of this.throttledIn.values()) throttled += count;
    return { busiestSecond: counts.length ? Math.max(...counts) : 0, overLimitSeconds: this.throttledIn.size, throttled };
  }
}
