import 'server-only';

import { z } from 'zod';

import { sha256Hex } from '@/lib/server/core/crypto';
import type { SealedRecords } from '@/lib/server/store/sealed';
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

export function createConsolePreferencesService(deps: { sealed: SealedRecords }) {
  const keyFor = (instanceId: string, userName: string) => `console-preferences:${sha256Hex(`${instanceId}\n${userName}`)}`;

  /** The person's preferences; none while their Identity Center user name is not known yet. */
  async function read(instanceId: string, userName: string | undefined): Promise<ConsolePreferences> {
    if (userName === undefined) return {};
    const parsed = await deps.sealed.read(keyFor(instanceId, userName), preferencesSchema);
    return parsed && isConsoleSessionHours(parsed.sessionHours) ? { sessionHours: parsed.sessionHours } : {};
  }

  async function remember(instanceId: string, userName: string, preferences: ConsolePreferences): Promise<void> {
    const next = { ...(await read(instanceId, userName)), ...preferences };
    await deps.sealed.write(keyFor(instanceId, userName), next, KEEP_MS);
  }

  return { read, remember };
}

export type ConsolePreferencesService = ReturnType<typeof createConsolePreferencesService>;
