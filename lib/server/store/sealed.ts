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
  /**
   * Like read, but tells a record that is there and does not open (sealed with a key the portal no
   * longer has, as after a restart with a new SESSION_SECRET) from one that is not there.
   */
  inspect<T>(key: string, schema: z.ZodType<T>): Promise<{ value: T } | 'absent' | 'unopenable'>;
  write(key: string, value: unknown, ttlMs: number): Promise<void>;
  remove(key: string): Promise<void>;
}

export function createSealedRecords(store: KeyValueStore, sealer: Sealer): SealedRecords {
  async function inspect<T>(key: string, schema: z.ZodType<T>): Promise<{ value: T } | 'absent' | 'unopenable'> {
    const sealed = await store.get(key);
    if (sealed === null) return 'absent';
    const text = sealer.open(sealed, key);
    // Altered or moved under another key, it is simply not there; sealed with a key the portal no longer has, it is.
    if (text === null) return sealer.sealedWithUnknownKey(sealed) ? 'unopenable' : 'absent';
    try {
      const parsed = schema.safeParse(JSON.parse(text));
      return parsed.success ? { value: parsed.data } : 'absent';
    } catch {
      return 'absent';
    }
  }
  return {
    async read(key, schema) {
      const found = await inspect(key, schema);
      return typeof found === 'object' ? found.value : null;
    },
    inspect,
    async write(key, value, ttlMs) {
      await store.set(key, sealer.seal(JSON.stringify(value), key), ttlMs);
    },
    remove: (key) => store.delete(key),
  };
}
