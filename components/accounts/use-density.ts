'use client';

import { useCallback, useEffect, useRef, useState } from 'react';

import { apiRequest } from '@/components/api-client';
import { useInstanceKey } from '@/components/instance-context';
import type { ListDensity, ListPreferencesResponse } from '@/lib/shared/preferences';
import { withInstance } from '@/lib/shared/instances';

/**
 * The accounts list's density, as the person last chose it, remembered for them across browsers.
 * The page reads it on the server when it knows who the person is; a page that learns it later (the
 * first visit after signing in) asks once it does. Should remembering fail, the choice still holds
 * on this page.
 */
export function useDensity(
  initial: ListDensity,
  userName: string | null,
  knownAtRender: boolean,
): { density: ListDensity; choose: (density: ListDensity) => void } {
  const instanceKey = useInstanceKey();
  const [density, setDensity] = useState(initial);
  const chosenHere = useRef(false);
  const asked = useRef(knownAtRender);

  useEffect(() => {
    if (asked.current || userName === null) return;
    asked.current = true;
    apiRequest<ListPreferencesResponse>(withInstance('/api/preferences', instanceKey), { method: 'GET' }).then(
      (answer) => {
        if (!chosenHere.current && (answer.density === 'compact' || answer.density === 'comfortable')) setDensity(answer.density);
      },
      () => undefined,
    );
  }, [userName, instanceKey]);

  const choose = useCallback(
    (next: ListDensity) => {
      chosenHere.current = true;
      setDensity(next);
      apiRequest<ListPreferencesResponse>(withInstance('/api/preferences', instanceKey), { body: { density: next } }).catch(() => undefined);
    },
    [instanceKey],
  );
  return { density, choose };
}
