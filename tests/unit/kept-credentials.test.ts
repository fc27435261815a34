import { describe, expect, it } from 'vitest';

import type { RoleCredentials } from '@/lib/server/aws/portal';
import { createSealer } from '@/lib/server/core/crypto';
import { GatehouseError } from '@/lib/server/core/errors';
import { CHECK_EVERY_MS, createKeptCredentials } from '@/lib/server/credentials/kept-credentials';
import type { SingleFlightTiming } from '@/lib/server/credentials/single-flight';
import { createMemoryStore } from '@/lib/server/store/memory-store';
import { createSealedRecords } from '@/lib/server/store/sealed';
import type { KeyValueStore } from '@/lib/server/store/types';

import { until } from '../support/api-session';

/**
 * The credentials the portal keeps for a person's terminals: one fetch for a burst of callers in one
 * process and across processes sharing the store (two instances on one store stand for two
 * portals), a lease that a working holder renews and a dead one lets run out, failures shared or
 * not, and forgetting everything kept for a person.
 */

const TIMING: SingleFlightTiming = { leaseMs: 300, renewEveryMs: 80, firstPollMs: 5, maxPollMs: 20, waitMs: 10_000 };
const PERSON = 'user:instance:developer';
const ROLE = { accountId: '111122223333', roleName: 'DeveloperAccess' };

const STARTED = Date.now();

function credentials(n: number, lifetimeMs = 60 * 60 * 1000): RoleCredentials {
  return { accessKeyId: `ASIA${String(n).padStart(16, '0')}`, secretAccessKey: 'secret', sessionToken: 'token', expiration: STARTED + lifetimeMs };
}

/** A fetch the test finishes: counts its calls, and each call waits for `finish`. */
function controlledFetch() {
  let calls = 0;
  let finish: (value: RoleCredentials) => void = () => {};
  let fail: (error: unknown) => void = () => {};
  const fetch = () => {
    calls += 1;
    return new Promise<RoleCredentials>((resolve, reject) => {
      finish = resolve;
      fail = reject;
    });
  };
  return { fetch, calls: () => calls, finish: (value: RoleCredentials) => finish(value), fail: (error: unknown) => fail(error) };
}

function portals(count: number, store: KeyValueStore = createMemoryStore()) {
  const sealed = createSealedRecords(store, createSealer(['a-secret-for-the-kept-credentials-0123456789']));
  return { store, portals: Array.from({ length: count }, () => createKeptCredentials({ store, sealed, timing: TIMING })) };
}

describe('kept credentials', () => {
  it('twenty callers in each of two processes: one fetch, and every caller gets its credentials', async () => {
    const { portals: [first, second] } = portals(2);
    const fetch = controlledFetch();
    const callers = Array.from({ length: 40 }, (_, index) => (index % 2 ? second! : first!).obtain(PERSON, ROLE, fetch.fetch));
    await until('the one fetch to start', () => (fetch.calls() === 1 ? true : undefined));
    fetch.finish(credentials(1));
    const results = await Promise.all(callers);
    expect(fetch.calls()).toBe(1);
    expect(new Set(results.map((result) => result.value.accessKeyId))).toEqual(new Set([credentials(1).accessKeyId]));
    expect(results.filter((result) => result.fetched)).toHaveLength(1);
    // Kept for the person: the next caller reads them without a fetch.
    expect((await second!.read(PERSON, ROLE))?.accessKeyId).toBe(credentials(1).accessKeyId);
  });

  it('a holder that works longer than its lease keeps it: the other process waits and gets its credentials', async () => {
    const { store, portals: [first, second] } = portals(2);
    const holder = controlledFetch();
    const other = controlledFetch();
    const held = first!.obtain(PERSON, ROLE, holder.fetch);
    await until('the holder to fetch', () => (holder.calls() === 1 ? true : undefined));
    const waiting = second!.obtain(PERSON, ROLE, other.fetch);
    // Once a key with the same lease has run out, the holder's renewed lock still stands.
    await store.set('same-lease', 'x', TIMING.leaseMs);
    await until('a lease to run out', async () => ((await store.get('same-lease')) === null ? true : undefined));
    holder.finish(credentials(2));
    expect((await held).fetched).toBe(true);
    // (Had the other process fetched too, it is answered, so the test fails on what it got, not on a timeout.)
    if (other.calls() > 0) other.finish(credentials(99));
    expect(await waiting).toEqual({ value: credentials(2), fetched: false });
    expect(other.calls()).toBe(0);
  });

  it('a holder that died (its renewals stop) blocks the others only until its lease runs out', async () => {
    const store = createMemoryStore();
    // The dead process: its lock is taken, and its renewals never reach the store.
    const dead = portals(1, { ...store, expireIfEquals: async () => false }).portals[0]!;
    const alive = portals(1, store).portals[0]!;
    const stuck = controlledFetch();
    void dead.obtain(PERSON, ROLE, stuck.fetch);
    await until('the dead process to hold the fetch', () => (stuck.calls() === 1 ? true : undefined));
    const taker = controlledFetch();
    const waiting = alive.obtain(PERSON, ROLE, taker.fetch);
    await until('the waiting process to take over', () => (taker.calls() === 1 ? true : undefined));
    taker.finish(credentials(3));
    expect(await waiting).toEqual({ value: credentials(3), fetched: true });
  });

  it('a refusal is every waiting caller\'s answer; a failure of the fetching caller\'s own session is not', async () => {
    const { portals: [portal] } = portals(1);
    const refused = controlledFetch();
    const refusedCallers = Array.from({ length: 5 }, () => portal!.obtain(PERSON, ROLE, refused.fetch).then(() => 'handed out', (error: unknown) => error));
    await until('the fetch', () => (refused.calls() === 1 ? true : undefined));
    refused.fail(new GatehouseError('forbidden'));
    for (const outcome of await Promise.all(refusedCallers)) expect(outcome).toMatchObject({ code: 'forbidden' });
    expect(refused.calls()).toBe(1);

    const own = controlledFetch();
    const first = portal!.obtain(PERSON, ROLE, own.fetch);
    await until('the first fetch', () => (own.calls() === 1 ? true : undefined));
    const second = portal!.obtain(PERSON, ROLE, own.fetch);
    own.fail(new GatehouseError('session_ended'));
    await expect(first).rejects.toMatchObject({ code: 'session_ended' });
    await until('the second caller to fetch for itself', () => (own.calls() === 2 ? true : undefined));
    own.finish(credentials(4));
    expect(await second).toEqual({ value: credentials(4), fetched: true });
  });

  it('forgets everything kept for a person, and keeps nothing a fetch finished after it', async () => {
    const { portals: [portal] } = portals(1);
    const otherRole = { ...ROLE, roleName: 'ReadOnlyAccess' };
    await portal!.obtain(PERSON, ROLE, async () => credentials(5));
    const late = controlledFetch();
    const inFlight = portal!.obtain(PERSON, otherRole, late.fetch);
    await until('the fetch in flight', () => (late.calls() === 1 ? true : undefined));
    await portal!.forget(PERSON);
    late.finish(credentials(6));
    // The caller that asked is answered; nothing is kept for the next one.
    expect((await inFlight).value).toEqual(credentials(6));
    expect(await portal!.read(PERSON, ROLE)).toBeNull();
    expect(await portal!.read(PERSON, otherRole)).toBeNull();
    // Someone else's are untouched.
    await portal!.obtain('user:instance:operator', ROLE, async () => credentials(7));
    await portal!.forget(PERSON);
    expect(await portal!.read('user:instance:operator', ROLE)).toEqual(credentials(7));
  });

  it('hands out but never keeps credentials with ten minutes or less left', async () => {
    const { portals: [portal] } = portals(1);
    expect((await portal!.obtain(PERSON, ROLE, async () => credentials(8, 5 * 60 * 1000))).fetched).toBe(true);
    expect(await portal!.read(PERSON, ROLE)).toBeNull();
  });

  it('lets one caller a window check with Identity Center, per person and account, and sooner after a check that failed', async () => {
    let now = Date.UTC(2026, 11, 1);
    const store = createMemoryStore(() => now);
    const sealed = createSealedRecords(store, createSealer(['a-secret-for-the-kept-credentials-0123456789']));
    const kept = createKeptCredentials({ store, sealed, now: () => now });
    expect(await kept.claimCheck(PERSON, ROLE.accountId)).toBe(true);
    expect(await kept.claimCheck(PERSON, ROLE.accountId)).toBe(false);
    expect(await kept.claimCheck(PERSON, '444455556666')).toBe(true);
    expect(await kept.claimCheck('user:instance:operator', ROLE.accountId)).toBe(true);
    now += CHECK_EVERY_MS - 1;
    expect(await kept.claimCheck(PERSON, ROLE.accountId)).toBe(false);
    now += 1;
    expect(await kept.claimCheck(PERSON, ROLE.accountId)).toBe(true);
    await kept.checkSoon(PERSON, ROLE.accountId);
    now += 10_000;
    expect(await kept.claimCheck(PERSON, ROLE.accountId)).toBe(true);
    // A hand-out Identity Center just made vouches for the account for a whole window.
    now += CHECK_EVERY_MS;
    await kept.checked(PERSON, ROLE.accountId);
    now += CHECK_EVERY_MS - 1;
    expect(await kept.claimCheck(PERSON, ROLE.accountId)).toBe(false);
  });
});
