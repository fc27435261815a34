'use client';

import { useCallback, useEffect, useReducer, useRef, useState } from 'react';

import { apiRequest } from '@/components/api-client';
import { useInstanceKey } from '@/components/instance-context';
import type { RolesResponse } from '@/lib/shared/accounts';
import { withInstance } from '@/lib/shared/instances';

import { readListingStream } from './listing-stream';
import { initialListingState, listingReducer, type ListingState } from './listing-state';

export interface Listing {
  state: ListingState;
  /** Accounts whose roles are being fetched on demand (an expanded row, or Retry). */
  fetching: ReadonlySet<string>;
  /** Lists afresh (`POST /api/accounts/refresh`); the stream's `done` carries what changed. */
  refresh: () => void;
  /** Opens the listing again after it failed (the cached or running one, else a new one). */
  reload: () => void;
  /** Fetches one account's roles now, ahead of the background load (idempotent while one is in flight). */
  fetchRoles: (accountId: string) => void;
}

const errorMessage = (error: unknown, fallback: string) => (error instanceof Error && error.message ? error.message : fallback);

/** The person's listing, streamed into a reducer; the stream is aborted on unmount or when a new one starts. */
export function useListing(): Listing {
  const instanceKey = useInstanceKey();
  const [state, dispatch] = useReducer(listingReducer, initialListingState);
  const [fetching, setFetching] = useState<ReadonlySet<string>>(() => new Set());
  const stream = useRef<AbortController | null>(null);
  const inFlight = useRef(new Set<string>());

  const open = useCallback((refresh: boolean) => {
    stream.current?.abort();
    const controller = new AbortController();
    stream.current = controller;
    dispatch({ type: 'stream-open', refresh });
    readListingStream(refresh ? 'refresh' : 'stream', instanceKey, controller.signal, (events) => {
      if (!controller.signal.aborted) dispatch({ type: 'events', events });
    }).then(
      () => {
        if (!controller.signal.aborted) dispatch({ type: 'stream-closed' });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) dispatch({ type: 'stream-closed', error: errorMessage(error, 'The listing failed.') });
      },
    );
  }, [instanceKey]);

  useEffect(() => {
    open(false);
    return () => stream.current?.abort();
  }, [open]);

  const fetchRoles = useCallback((accountId: string) => {
    if (inFlight.current.has(accountId) || !/^\d{12}$/.test(accountId)) return;
    inFlight.current.add(accountId);
    setFetching(new Set(inFlight.current));
    apiRequest<RolesResponse>(withInstance(`/api/accounts/${accountId}/roles`, instanceKey), { method: 'GET' })
      .then(
        (answer) => dispatch({ type: 'roles-loaded', accountId, roles: answer.roles.map((role) => role.roleName) }),
        (error: unknown) => dispatch({ type: 'roles-failed', accountId, message: errorMessage(error, 'The roles could not be loaded.') }),
      )
      .finally(() => {
        inFlight.current.delete(accountId);
        setFetching(new Set(inFlight.current));
      });
  }, [instanceKey]);

  const refresh = useCallback(() => open(true), [open]);
  const reload = useCallback(() => open(false), [open]);

  return { state, fetching, refresh, reload, fetchRoles };
}
