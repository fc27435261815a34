import 'server-only';

import { randomUUID } from 'node:crypto';

import { z } from 'zod';

import type { RoleCredentials } from '@/lib/server/aws/portal';
import { sha256Hex } from '@/lib/server/core/crypto';
import { GatehouseError, hasCode } from '@/lib/server/core/errors';
import type { SealedRecords } from '@/lib/server/store/sealed';
import type { KeyValueStore } from '@/lib/server/store/types';

import { createSingleFlight, type FlightResult, type SingleFlightTiming } from './single-flight';

/**
 * Role credentials the portal keeps for a person's terminals: per person and role (every terminal
 * of the person, on every portal sharing the store, is handed the same ones), sealed, until ten
 * minutes before they expire. A burst of requests costs one GetRoleCredentials (see
 * single-flight.ts). Kept credentials are vouched for again now and then: one check per person and
 * account every CHECK_EVERY_MS, whoever asks (see `claimCheck`); when Identity Center ends the
 * person's session or removes a role, everything kept for the person is forgotten at once.
 */

/** Kept credentials are handed out until this long before they expire. */
export const CACHE_MARGIN_MS = 10 * 60 * 1000;

/** How long kept credentials are handed out on the strength of one check with Identity Center. */
export const CHECK_EVERY_MS = 45_000;

/** A check Identity Center did not answer is tried again this soon (the kept credentials go on meanwhile). */
const CHECK_AGAIN_MS = 10_000;

/**
 * How long a person's generation lives: longer than any credentials do (12 h at most), so that
 * none kept under an earlier generation can be read again once it is gone.
 */
const GENERATION_MS = 13 * 60 * 60 * 1000;

export const FETCH_TIMING: SingleFlightTiming = {
  leaseMs: 5_000,
  renewEveryMs: 1_500,
  firstPollMs: 25,
  maxPollMs: 200,
  // Longer than a GetRoleCredentials with all its retries (30 s) and a lease run out.
  waitMs: 40_000,
};

const keptSchema = z.object({ accessKeyId: z.string(), secretAccessKey: z.string(), sessionToken: z.string(), expiration: z.number() });

export interface RoleRef {
  accountId: string;
  roleName: string;
}

export interface KeptCredentialsDeps {
  store: KeyValueStore;
  sealed: SealedRecords;
  now?: () => number;
  timing?: SingleFlightTiming;
  pause?: (ms: number) => Promise<void>;
}

export function createKeptCredentials(deps: KeptCredentialsDeps) {
  const { store, sealed } = deps;
  const now = deps.now ?? Date.now;
  const flights = createSingleFlight({
    store,
    timing: deps.timing ?? FETCH_TIMING,
    now,
    pause: deps.pause,
    // A session that ended or a budget that is spent is its caller's; anything else (a role refused,
    // Identity Center not answering) is every waiting caller's answer too.
    shared: (error) => !hasCode(error, 'session_ended', 'rate_limited'),
    timedOut: () =>
      new GatehouseError('upstream_unavailable', 'Identity Center did not hand out credentials just now. Try again in a few seconds.', { retryAfterSeconds: 5 }),
  });

  const personHash = (personKey: string) => sha256Hex(personKey);
  const generationKey = (personKey: string) => `terminal-credentials:generation:${personHash(personKey)}`;
  const entryKey = (personKey: string, generation: string, role: RoleRef) =>
    `terminal-credentials:${sha256Hex(`${personKey}\n${generation}\n${role.accountId}/${role.roleName}`)}`;
  const checkKey = (personKey: string, accountId: string) => `terminal-credentials:checked:${sha256Hex(`${personKey}\n${accountId}`)}`;

  /** The person's generation: every credential kept for them is kept under it, and forgetting them starts a new one. */
  const generationOf = async (personKey: string) => (await store.get(generationKey(personKey))) ?? 'first';

  async function readUnder(personKey: string, generation: string, role: RoleRef): Promise<RoleCredentials | null> {
    const kept = await sealed.read(entryKey(personKey, generation, role), keptSchema);
    return kept && kept.expiration - now() > CACHE_MARGIN_MS ? kept : null;
  }

  return {
    /** The person's kept credentials for the role, while they have more than ten minutes left; else null. */
    async read(personKey: string, role: RoleRef): Promise<RoleCredentials | null> {
      return readUnder(personKey, await generationOf(personKey), role);
    },

    /**
     * The person's credentials for the role: kept ones, or those `fetch` gets, called by exactly one
     * caller across every portal while the others wait for them. What it fetches is kept unless the
     * person's credentials were forgotten meanwhile.
     */
    obtain(personKey: string, role: RoleRef, fetch: () => Promise<RoleCredentials>): Promise<FlightResult<RoleCredentials>> {
      let generation = 'first';
      return flights.run(`terminal-credentials:fetch:${sha256Hex(`${personKey}\n${role.accountId}/${role.roleName}`)}`, {
        read: async () => {
          generation = await generationOf(personKey);
          return readUnder(personKey, generation, role);
        },
        fetch: async () => {
          const keptUnder = generation;
          const credentials = await fetch();
          const keepFor = credentials.expiration - now() - CACHE_MARGIN_MS;
          // Credentials about to expire are handed out once and not kept; a store that fails to keep them costs a fetch later.
          if (keepFor > 0) await sealed.write(entryKey(personKey, keptUnder, role), credentials, keepFor).catch(() => undefined);
          return credentials;
        },
      });
    },

    /**
     * True for the one caller that should ask Identity Center whether the person's session and the
     * account's roles still stand: none asked in the last CHECK_EVERY_MS, on any portal.
     */
    claimCheck: (personKey: string, accountId: string): Promise<boolean> => store.setIfAbsent(checkKey(personKey, accountId), '1', CHECK_EVERY_MS),

    /** Identity Center vouched for the session and the account just now (it handed out credentials). */
    checked: (personKey: string, accountId: string): Promise<void> => store.set(checkKey(personKey, accountId), '1', CHECK_EVERY_MS),

    /** The check could not be made (Identity Center did not answer): it is made again soon. */
    checkSoon: (personKey: string, accountId: string): Promise<void> => store.set(checkKey(personKey, accountId), '1', CHECK_AGAIN_MS),

    /** Forgets every credential kept for the person: nothing kept before is handed out again. */
    forget: (personKey: string): Promise<void> => store.set(generationKey(personKey), randomUUID(), GENERATION_MS),
  };
}

export type KeptCredentials = ReturnType<typeof createKeptCredentials>;
