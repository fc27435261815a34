'use client';

import { useEffect, useState } from 'react';

import { plural } from '@/lib/shared/words';

/**
 * What a screen reader hears while the person searches: the number of matching accounts, once
 * typing pauses (not at every keystroke). The text of the page's polite live region.
 */
export function useResultAnnouncement(filtering: boolean, resultCount: number, tokens: readonly string[]): string {
  const [announcement, setAnnouncement] = useState('');
  useEffect(() => {
    if (!filtering) return;
    const timer = setTimeout(() => {
      setAnnouncement(resultCount === 0 ? 'No accounts match.' : `${plural(resultCount, 'account')} match.`);
    }, 500);
    return () => clearTimeout(timer);
  }, [filtering, resultCount, tokens]);
  return announcement;
}
