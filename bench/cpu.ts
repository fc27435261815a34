/**
 * CPU time of this process tree by program (Linux /proc; empty elsewhere), to see who used the machine's
 * cores during a measurement: Chromium, the portal (next-server), or this process (emulator and bench).
 */
import { readdirSync, readFileSync } from 'node:fs';

export type CpuSnapshot = Map<number, { comm: string; ppid: number; ticks: number }>;

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

export function cpuSnapshot(): CpuSnapshot {
  const out: CpuSnapshot = new Map();
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return out;
  }
  for (const name of entries) {
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // pid (comm) state ppid … utime(14) stime(15): comm may hold spaces, so split after the last ')'.
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const fields = stat.slice(close + 2).split(' ');
      const ppid = Number(fields[1]);
      const ticks = Number(fields[11]) + Number(fields[12]);
      out.set(Number(name), { comm, ppid, ticks });
    } catch {
      // the process ended meanwhile
    }
  }
  return out;
}

function descendants(snapshot: CpuSnapshot, root: number): Set<number> {
  const set = new Set([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, p] of snapshot) {
      if (!set.has(pid) && set.has(p.ppid)) {
        set.add(pid);
        grew = true;
      }
    }
  }
  return set;
}

function group(comm: string, pid: number): string {
  if (pid === process.pid) return 'bench + emulator (this process)';
  if (/chrom/i.test(comm)) return 'Chromium';
  if (/next/i.test(comm)) return 'portal (next-server)';
  return 'other';
}

/** CPU seconds used between two snapshots by this process and its descendants, by program. */
export function cpuUsedBetween(before: CpuSnapshot, after: CpuSnapshot): Record<string, number> {
  const out: Record<string, number> = {};
  for (const pid of descendants(after, process.pid)) {
    const now = after.get(pid);
    if (!now) continue;
    const used = (now.ticks - (before.get(pid)?.ticks ?? 0)) / TICKS_PER_SECOND;
    if (used <= 0) continue;
    const key = group(now.comm, pid);
    out[key] = Math.round(((out[key] ?? 0) + used) * 100) / 100;
  }
  return out;
}
