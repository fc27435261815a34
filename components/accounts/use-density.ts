'use client';

import { useCallback, useState } from 'react';

import { apiRequest } from '@/components/api-client';
import { useInstanceKey } from '@/components/instance-context';
import type { ListDensity, ListPreferencesResponse } from '@/lib/shared/preferences';
import { withInstance } from '@/lib/shared/instances';

/**
 * The accounts list's density, as the person last chose it (read by the page on the server, so the
 * first paint is right), remembered for them across browsers. Should remembering fail, the choice
 * still holds on this page.
 */
export function useDensity(initial: ListDensity): { density: ListDensity; choose: (density: ListDensity) => void } {
  const instanceKey = useInstanceKey();
  const [density, setDensity] = useState(initial);
  const choose = useCallback(
    (next: ListDensity) => {
      setDensity(next);
      apiRequest<ListPreferencesResponse>(withInstance('/api/preferences', instanceKey), { body: { density: next } }).catch(() => undefined);
    },
    [instanceKey],
  );
  return { density, choose };
}
