'use client';

import { useCallback, useEffect, useRef, useState } from 'react';

import { apiRequest } from '@/components/api-client';
import { useInstanceKey } from '@/components/instance-context';
import { withInstance } from '@/lib/shared/instances';
import type { FavoriteChange, FavoritesResponse } from '@/lib/shared/accounts';

import { roleKey } from './listing-state';

export interface FavoritesState {
  accounts: ReadonlySet<string>;
  /** `accountId/roleName`. */
  roles: ReadonlySet<string>;
  /** Recently used roles, newest first. */
  recent: readonly string[];
  status: 'loading' | 'ready' | 'error';
}

export interface Favorites {
  favorites: FavoritesState;
  /** Stars or unstars at once; rolls back (and reports through onError) when the portal refuses. */
  toggle: (change: FavoriteChange, label: string) => void;
  reload: () => void;
}

const EMPTY: FavoritesState = { accounts: new Set(), roles: new Set(), recent: [], status: 'loading' };

function fromResponse(answer: FavoritesResponse): FavoritesState {
  return { accounts: new Set(answer.accounts), roles: new Set(answer.roles), recent: answer.recent, status: 'ready' };
}

function applyChange(state: FavoritesState, change: FavoriteChange): FavoritesState {
  if (change.kind === 'account') {
    const accounts = new Set(state.accounts);
    if (change.starred) accounts.add(change.accountId);
    else accounts.delete(change.accountId);
    return { ...state, accounts };
  }
  const roles = new Set(state.roles);
  const key = roleKey(change.accountId, change.roleName);
  if (change.starred) roles.add(key);
  else roles.delete(key);
  return { ...state, roles };
}

/**
 * The person's favorites, kept on the server by Identity Center user name. They are read again once
 * the listing learns that name (`identityKnown`), because before it the server cannot tell whose
 * favorites to give. Changes are optimistic; the server's answer becomes the truth once no other
 * change is in flight.
 */
export function useFavorites(identity: string | null, onError: (message: string) => void): Favorites {
  const instanceKey = useInstanceKey();
  const [favorites, setFavorites] = useState<FavoritesState>(EMPTY);
  const pending = useRef(0);
  /** A change was made: a read that started before it must not overwrite it. */
  const generation = useRef(0);
  const reportError = useRef(onError);
  useEffect(() => {
    reportError.current = onError;
  }, [onError]);

  const load = useCallback(() => {
    const started = generation.current;
    apiRequest<FavoritesResponse>(withInstance('/api/favorites', instanceKey), { method: 'GET' }).then(
      (answer) => {
        if (generation.current === started && pending.current === 0) setFavorites(fromResponse(answer));
      },
      () => {
        if (generation.current === started) setFavorites((current) => ({ ...current, status: current.status === 'ready' ? 'ready' : 'error' }));
      },
    );
  }, [instanceKey]);

  useEffect(() => {
    load();
  }, [load, identity]);

  const toggle = useCallback((change: FavoriteChange, label: string) => {
    generation.current += 1;
    pending.current += 1;
    setFavorites((current) => applyChange(current, change));
    apiRequest<FavoritesResponse>(withInstance('/api/favorites', instanceKey), { body: change }).then(
      (answer) => {
        pending.current -= 1;
        if (pending.current === 0) setFavorites(fromResponse(answer));
      },
      (error: unknown) => {
        pending.current -= 1;
        setFavorites((current) => applyChange(current, { ...change, starred: !change.starred }));
        const reason = error instanceof Error && error.message ? ` ${error.message}` : '';
        reportError.current(`${change.starred ? 'Starring' : 'Unstarring'} ${label} did not work.${reason}`);
      },
    );
  }, [instanceKey]);

  return { favorites, toggle, reload: load };
}
