import 'server-only';

import type { z } from 'zod';

import type { Sealer } from '@/lib/server/core/crypto';

import type { KeyValueStore } from './types';

/**
 * JSON records kept in the store sealed (AES-256-GCM, bound to their key): sessions, client
 * registrations, listings, favorites. A record that does not open, is not JSON or does not match
 * its schema reads as absent, never as an error.
 */
export interface SealedRecords {
  read<T>(key: string, schema: z.ZodType<T>): Promise<T | null>;
  write(key: string, value: unknown, ttlMs: number): Promise<void>;
  remove(key: string): Promise<void>;
}

export function createSealedRecords(store: KeyValueStore, sealer: Sealer): SealedRecords {
  return {
    async read(key, schema) {
      const sealed = await store.get(key);
      const text = sealed === null ? null : sealer.open(sealed, key);
      if (text === null) return null;
      try {
        const parsed = schema.safeParse(JSON.parse(text));
        return parsed.success ? parsed.data : null;
      } catch {
        return null;
      }
    },
    async write(key, value, ttlMs) {
      await store.set(key, sealer.seal(JSON.stringify(value), key), ttlMs);
    },
    remove: (key) => store.delete(key),
  };
}
