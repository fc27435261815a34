'use client';

import { useSyncExternalStore } from 'react';

import { localDateTime, utcDateTime } from '@/components/time-text';

const subscribe = () => () => {};

/**
 * A moment in the person's own time zone and format, as the access keys show their expiry. The
 * server does not know the time zone: its render says UTC, and the browser's first render replaces it.
 */
export function LocalTime({ iso }: { iso: string }) {
  const inBrowser = useSyncExternalStore(subscribe, () => true, () => false);
  const epochMs = Date.parse(iso);
  if (Number.isNaN(epochMs)) return null;
  return (
    <time dateTime={iso} title={utcDateTime(epochMs)}>
      {inBrowser ? localDateTime(epochMs) : utcDateTime(epochMs)}
    </time>
  );
}
