import 'server-only';

import { sha256Hex } from '@/lib/server/core/crypto';
import type { SealedRecords } from '@/lib/server/store/sealed';

import { type Listing, listingSchema } from './types';

/** Finished listings, kept sealed in the store per person for ACCOUNTS_CACHE_MINUTES. */
export function createListingCache(deps: { sealed: SealedRecords; now: () => number; cacheMs: number }) {
  const keyOf = (personKey: string) => `listing:${sha256Hex(personKey)}`;
  return {
    read: (personKey: string): Promise<Listing | null> => deps.sealed.read(keyOf(personKey), listingSchema),
    async write(personKey: string, listing: Listing): Promise<void> {
      const ttl = listing.listedAt + deps.cacheMs - deps.now();
      if (ttl > 0) await deps.sealed.write(keyOf(personKey), listing, ttl);
    },
  };
}

export type ListingCache = ReturnType<typeof createListingCache>;
