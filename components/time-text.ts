/**
 * Times and spans of time as the pages say them: every countdown, clock time and "ago" in the
 * portal comes from here, so the same span reads the same everywhere. Pure functions, no React.
 */

const MINUTE_MS = 60_000;

/** Whole seconds in `ms`, rounded up (a countdown says 1 s until the very end), never negative. */
export const wholeSeconds = (ms: number): number => Math.max(0, Math.ceil(ms / 1000));

/** "1 h 4 min 3 s", "59 min 12 s", "8 s": time left to the second (the access keys' expiry). */
export function timeLeftInSeconds(ms: number): string {
  const total = wholeSeconds(ms);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor(total / 60) % 60;
  const seconds = total % 60;
  if (hours > 0) return `${hours} h ${minutes} min ${seconds} s`;
  return minutes > 0 ? `${minutes} min ${seconds} s` : `${seconds} s`;
}

/** "1 h 4 min", "12 min", "less than a minute": time left in whole minutes (the session's end). */
export function timeLeftInMinutes(ms: number): string {
  if (ms < MINUTE_MS) return 'less than a minute';
  const minutes = Math.floor(ms / MINUTE_MS);
  return minutes >= 60 ? `${Math.floor(minutes / 60)} h ${minutes % 60} min` : `${minutes} min`;
}

/** "4:07": a few minutes left, as a clock shows them (the sign-in code's expiry). */
export function clockCountdown(ms: number): string {
  const total = wholeSeconds(ms);
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}

/** "14:03:12": a local clock time (the person's own time zone). */
export function clockTime(epochMs: number): string {
  return new Date(epochMs).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** "29 Nov 14:03:12": a local date and clock time, for lists that span days (the Activity page). */
export function localDateTime(epochMs: number): string {
  return `${new Date(epochMs).toLocaleDateString(undefined, { day: 'numeric', month: 'short' })} ${clockTime(epochMs)}`;
}

/** "2026-11-29 14:03:12 UTC": the same moment before the browser's time zone is known (the server's render). */
export function utcDateTime(epochMs: number): string {
  return `${new Date(epochMs).toISOString().replace('T', ' ').slice(0, 19)} UTC`;
}

const relativeTime = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

/** "just now", "5 minutes ago", "2 hours ago", "yesterday"; "" for a time that does not parse. */
export function timeAgo(isoTime: string, now: number): string {
  const then = Date.parse(isoTime);
  if (Number.isNaN(then)) return '';
  const seconds = Math.round((then - now) / 1000);
  if (seconds > -45) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes > -60) return relativeTime.format(minutes, 'minute');
  const hours = Math.round(minutes / 60);
  if (hours > -24) return relativeTime.format(hours, 'hour');
  return relativeTime.format(Math.round(hours / 24), 'day');
}
