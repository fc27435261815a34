import 'server-only';

import { sha256Hex } from '@/lib/server/core/crypto';
import type { SealedRecords } from '@/lib/server/store/sealed';

import { type Listing, listingSchema } from './types';

/** A kept listing: `fresh` within ACCOUNTS_CACHE_MINUTES (shown as it is), else warm (shown, then checked). */
export interface KeptListing {
  listing: Listing;
  fresh: boolean;
}

/**
 * Finished listings, kept sealed in the store. A person known by name keeps theirs across sessions
 * and sign-outs for LISTING_MAX_AGE_HOURS (a warm listing for their next visit); a session whose
 * user is not known yet keeps its own for ACCOUNTS_CACHE_MINUTES only.
 */
export function createListingCache(deps: { sealed: SealedRecords; now: () => number; cacheMs: number; maxAgeMs: number }) {
  const keyOf = (personKey: string) => `listing:${sha256Hex(personKey)}`;
  // Person keys are `user:<instance>:<name>` once the user is known (see lib/server/viewer.ts).
  const keepMs = (personKey: string) => (personKey.startsWith('user:') ? Math.max(deps.cacheMs, deps.maxAgeMs) : deps.cacheMs);
  return {
    async read(personKey: string): Promise<KeptListing | null> {
      const listing = await deps.sealed.read(keyOf(personKey), listingSchema);
      if (!listing) return null;
      const age = deps.now() - listing.listedAt;
      if (age >= keepMs(personKey)) return null;
      return { listing, fresh: age < deps.cacheMs };
    },
    async write(personKey: string, listing: Listing): Promise<void> {
      const ttl = listing.listedAt + keepMs(personKey) - deps.now();
      if (ttl > 0) await deps.sealed.write(keyOf(personKey), listing, ttl);
    },
    forget: (personKey: string): Promise<void> => deps.sealed.remove(keyOf(personKey)),
  };
}

export type ListingCache = ReturnType<typeof createListingCache>;
