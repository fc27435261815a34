import 'server-only';

import { z } from 'zod';

import { sha256Hex } from '@/lib/server/core/crypto';
import type { SealedRecords } from '@/lib/server/store/sealed';
import { type ListDensity, listDensitySchema } from '@/lib/shared/preferences';

/**
 * How a person likes the accounts list (comfortable or compact), per person (Identity Center user
 * name) and instance, kept like their favorites so it follows them across browsers.
 */

const KEEP_MS = 400 * 24 * 60 * 60 * 1000;

const preferencesSchema = z.object({ density: listDensitySchema });

export function createListPreferencesService(deps: { sealed: SealedRecords }) {
  const keyFor = (instanceId: string, userName: string) => `list-preferences:${sha256Hex(`${instanceId}\n${userName}`)}`;

  /** The person's density; comfortable until they choose, or while their user name is not known. */
  async function density(instanceId: string, userName: string | undefined): Promise<ListDensity> {
    if (userName === undefined) return 'comfortable';
    return (await deps.sealed.read(keyFor(instanceId, userName), preferencesSchema))?.density ?? 'comfortable';
  }

  async function remember(instanceId: string, userName: string, value: ListDensity): Promise<void> {
    await deps.sealed.write(keyFor(instanceId, userName), { density: value }, KEEP_MS);
  }

  return { density, remember };
}

export type ListPreferencesService = ReturnType<typeof createListPreferencesService>;
