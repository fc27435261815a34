import 'server-only';

import { z } from 'zod';

import type { Sealer } from '@/lib/server/session/crypto';
import { sha256Hex } from '@/lib/server/session/crypto';
import type { KeyValueStore } from '@/lib/server/store/types';
import { type ConsoleSessionHours, isConsoleSessionHours } from '@/lib/shared/console-session';

/**
 * How a person likes their console sessions (for now, how long they last), per person (Identity
 * Center user name) and instance, kept like their favorites so it follows them across browsers.
 */

const KEEP_MS = 400 * 24 * 60 * 60 * 1000;

export interface ConsolePreferences {
  sessionHours?: ConsoleSessionHours;
}

const preferencesSchema = z.object({
  sessionHours: z.number().refine(isConsoleSessionHours).optional(),
});

export function createConsolePreferencesService(deps: { store: KeyValueStore; sealer: Sealer }) {
  const keyFor = (instanceId: string, userName: string) => `console-preferences:${sha256Hex(`${instanceId}\n${userName}`)}`;

  /** The person's preferences; none while their Identity Center user name is not known yet. */
  async function read(instanceId: string, userName: string | undefined): Promise<ConsolePreferences> {
    if (userName === undefined) return {};
    const key = keyFor(instanceId, userName);
    const sealed = await deps.store.get(key);
    const text = sealed === null ? null : deps.sealer.open(sealed, key);
    if (text === null) return {};
    try {
      const parsed = preferencesSchema.safeParse(JSON.parse(text));
      return parsed.success && isConsoleSessionHours(parsed.data.sessionHours) ? { sessionHours: parsed.data.sessionHours } : {};
    } catch {
      return {};
    }
  }

  async function remember(instanceId: string, userName: string, preferences: ConsolePreferences): Promise<void> {
    const key = keyFor(instanceId, userName);
    const next = { ...(await read(instanceId, userName)), ...preferences };
    await deps.store.set(key, deps.sealer.seal(JSON.stringify(next), key), KEEP_MS);
  }

  return { read, remember };
}

export type ConsolePreferencesService = ReturnType<typeof createConsolePreferencesService>;
