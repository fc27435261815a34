import { describe, expect, it } from 'vitest';

import { clockCountdown, timeAgo, timeLeftInMinutes, timeLeftInSeconds, wholeSeconds } from '@/components/time-text';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

describe('the words for time left', () => {
  it('counts the access keys down to the second, rounding up', () => {
    expect(timeLeftInSeconds(HOUR + 4 * MINUTE + 3 * SECOND)).toBe('1 h 4 min 3 s');
    expect(timeLeftInSeconds(HOUR)).toBe('1 h 0 min 0 s');
    expect(timeLeftInSeconds(59 * MINUTE + 12 * SECOND)).toBe('59 min 12 s');
    expect(timeLeftInSeconds(59 * MINUTE + 11 * SECOND + 1)).toBe('59 min 12 s');
    expect(timeLeftInSeconds(8 * SECOND)).toBe('8 s');
    expect(timeLeftInSeconds(1)).toBe('1 s');
    expect(timeLeftInSeconds(0)).toBe('0 s');
    expect(timeLeftInSeconds(-5 * SECOND)).toBe('0 s');
  });

  it('counts the session down to the minute, rounding down, and says less than a minute at the end', () => {
    expect(timeLeftInMinutes(8 * HOUR - 1)).toBe('7 h 59 min');
    expect(timeLeftInMinutes(HOUR)).toBe('1 h 0 min');
    expect(timeLeftInMinutes(12 * MINUTE + 59 * SECOND)).toBe('12 min');
    expect(timeLeftInMinutes(MINUTE)).toBe('1 min');
    expect(timeLeftInMinutes(MINUTE - 1)).toBe('less than a minute');
    expect(timeLeftInMinutes(-MINUTE)).toBe('less than a minute');
  });

  it('counts the sign-in code down as a clock reads', () => {
    expect(clockCountdown(4 * MINUTE + 7 * SECOND)).toBe('4:07');
    expect(clockCountdown(10 * MINUTE)).toBe('10:00');
    expect(clockCountdown(500)).toBe('0:01');
    expect(clockCountdown(-1)).toBe('0:00');
  });

  it('rounds whole seconds up and never below zero', () => {
    expect(wholeSeconds(29_001)).toBe(30);
    expect(wholeSeconds(30_000)).toBe(30);
    expect(wholeSeconds(-1)).toBe(0);
  });
});

describe('the words for how long ago', () => {
  const now = Date.parse('2026-03-01T12:00:00Z');
  const ago = (ms: number) => timeAgo(new Date(now - ms).toISOString(), now);

  it('says just now, then minutes, hours and days', () => {
    expect(ago(0)).toBe('just now');
    expect(ago(44 * SECOND)).toBe('just now');
    expect(ago(5 * MINUTE)).toBe('5 minutes ago');
    expect(ago(MINUTE)).toBe('1 minute ago');
    expect(ago(2 * HOUR)).toBe('2 hours ago');
    expect(ago(30 * HOUR)).toBe('yesterday');
    expect(ago(3 * 24 * HOUR)).toBe('3 days ago');
  });

  it('says nothing for a time that does not parse', () => {
    expect(timeAgo('not a time', now)).toBe('');
  });
});
