import 'server-only';

import { z } from 'zod';

import type { PortalGateway } from '@/lib/server/aws/portal';
import type { SealedRecords } from '@/lib/server/store/sealed';
import type { AccountDTO, ListingEvent, RejectedEntry } from '@/lib/shared/accounts';

/**
 * A person's accounts and roles, as the listing keeps them, and what a listing needs to know
 * about the person it lists for.
 */

export interface Listing {
  listedAt: number;
  accounts: AccountDTO[];
  /** Roles by account id; absent while loading or after a failure. */
  roles: Record<string, string[]>;
  /** Accounts whose roles could not be loaded, with a message for people. */
  failures: Record<string, string>;
  /** Accounts and roles Identity Center listed in a shape AWS does not document: shown as invalid, used for nothing. */
  rejected: RejectedEntry[];
  /**
   * Accounts whose roles failed to load this time and whose roles are the last good ones, kept from
   * an earlier listing: when that listing was made (epoch ms).
   */
  keptFrom?: Record<string, number>;
}

export type AccessTokenSource = () => Promise<string>;

export interface ListingDeps {
  sealed: SealedRecords;
  portal: PortalGateway;
  now: () => number;
  cacheMs: number;
  /** How long a person's kept listing may be shown at once (and checked) on a later visit. */
  maxAgeMs: number;
  /** The region to sign the STS call with that learns the user name. */
  stsRegion: string;
}

export interface ListingRequest {
  /** Cache and job key of the person: their user name when known, else their session. */
  personKey: string;
  /** The Identity Center user name, when the session knows it (learned at sign-in, or by a listing). */
  userName?: string;
  /**
   * When the session signed in (epoch ms). A kept listing made before it is checked before it is
   * trusted: a new sign-in is when people expect to see what changed.
   */
  sessionStartedAt: number;
  /** Fairness key for the rate limiter. */
  owner: string;
  /** Which session asks (its reference in the audit trail): a listing it joins calls with one token per session. */
  sessionRef?: string;
  accessToken: AccessTokenSource;
  /** Called once the user name is learned from STS; returns the person's key under that name. */
  onIdentity: (userName: string) => Promise<string>;
  /** Called when Identity Center no longer accepts the session's token. */
  onUnauthorized: () => Promise<void>;
  /**
   * Behind an authenticating proxy, until the Identity Center user is known to be the person the
   * proxy names: nothing of the listing goes out before that is confirmed (someone else may have
   * approved the sign-in).
   */
  confirmIdentity?: boolean;
}

export const listingSchema = z.object({
  listedAt: z.number(),
  accounts: z.array(z.object({ accountId: z.string(), accountName: z.string(), emailAddress: z.string() })),
  roles: z.record(z.string(), z.array(z.string())),
  failures: z.record(z.string(), z.string()),
  rejected: z
    .array(z.object({ kind: z.enum(['account', 'role']), accountId: z.string().optional(), shown: z.string(), reason: z.string() }))
    .default([]),
  keptFrom: z.record(z.string(), z.number()).optional(),
});

export type Listener = (event: ListingEvent) => void;
