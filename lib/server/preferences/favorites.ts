import 'server-only';

import { z } from 'zod';

import { sha256Hex } from '@/lib/server/core/crypto';
import type { SealedRecords } from '@/lib/server/store/sealed';
import type { FavoriteChange, FavoritesResponse } from '@/lib/shared/accounts';
import { roleKey } from '@/lib/shared/accounts';

/**
 * Favorites and recently used roles, per person (Identity Center user name) and instance, so they
 * follow the person across sessions and browsers.
 */

const KEEP_MS = 400 * 24 * 60 * 60 * 1000;
const MAX_FAVORITES = 500;
const MAX_RECENT = 10;

const favoritesSchema = z.object({
  accounts: z.array(z.string()).max(MAX_FAVORITES),
  roles: z.array(z.string()).max(MAX_FAVORITES),
  recent: z.array(z.string()).max(MAX_RECENT),
});

const EMPTY: FavoritesResponse = { accounts: [], roles: [], recent: [] };

export function createFavoritesService(deps: { sealed: SealedRecords }) {
  const keyFor = (instanceId: string, userName: string) => `favorites:${sha256Hex(`${instanceId}\n${userName}`)}`;

  /** The person's favorites; none while their Identity Center user name is not known yet. */
  async function read(instanceId: string, userName: string | undefined): Promise<FavoritesResponse> {
    if (userName === undefined) return { ...EMPTY };
    return (await deps.sealed.read(keyFor(instanceId, userName), favoritesSchema)) ?? { ...EMPTY };
  }

  async function write(instanceId: string, userName: string, value: FavoritesResponse): Promise<void> {
    await deps.sealed.write(keyFor(instanceId, userName), value, KEEP_MS);
  }

  async function change(instanceId: string, userName: string, update: FavoriteChange): Promise<FavoritesResponse> {
    const current = await read(instanceId, userName);
    const toggle = (list: string[], item: string, on: boolean) =>
      on ? [item, ...list.filter((entry) => entry !== item)].slice(0, MAX_FAVORITES) : list.filter((entry) => entry !== item);
    const next: FavoritesResponse =
      update.kind === 'account'
        ? { ...current, accounts: toggle(current.accounts, update.accountId, update.starred) }
        : { ...current, roles: toggle(current.roles, roleKey(update.accountId, update.roleName), update.starred) };
    await write(instanceId, userName, next);
    return next;
  }

  /** Puts a role at the front of the person's recently used roles. */
  async function used(instanceId: string, userName: string, accountId: string, roleName: string): Promise<void> {
    const current = await read(instanceId, userName);
    const key = roleKey(accountId, roleName);
    await write(instanceId, userName, { ...current, recent: [key, ...current.recent.filter((entry) => entry !== key)].slice(0, MAX_RECENT) });
  }

  return { read, change, used };
}

export type FavoritesService = ReturnType<typeof createFavoritesService>;
