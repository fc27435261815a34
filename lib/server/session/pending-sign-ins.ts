import 'server-only';

import { isIP } from 'node:net';

import { sha256Hex } from '@/lib/server/core/crypto';
import { GatehouseError } from '@/lib/server/core/errors';
import type { KeyValueStore } from '@/lib/server/store/types';

/**
 * Sign-ins started and not yet finished (approved, denied or expired), counted per client address
 * and per Identity Center instance in the store, so every portal process shares the count. Each
 * pending sign-in holds a device code that someone may poll; without a cap, one address could keep
 * thousands of them alive and have the portal poll Identity Center for each. The counts live in
 * five-minute buckets that expire, so a sign-in nobody finishes stops counting once its code is dead.
 */

/** Pending sign-ins from one address (an IPv6 /64 counts as one address: one household or office). */
export const PENDING_PER_ADDRESS = 30;
/** Pending sign-ins at one Identity Center instance, from everyone together. */
export const PENDING_PER_INSTANCE = 300;

const BUCKET_MS = 5 * 60_000;
/** Three buckets: at least ten minutes, a device code's life at AWS. */
const WINDOW_BUCKETS = 3;

/** Where a pending sign-in is counted, so that finishing it takes it off the same counts. */
export interface PendingSlot {
  bucket: number;
  /** The hash of the address group it came from. */
  group: string;
}

/**
 * The group an address is counted in: an IPv4 address itself, an IPv6 address's /64 (a host can
 * take any of 2^64 addresses in its network), an IPv4-mapped IPv6 address as the IPv4 one.
 */
export function addressGroup(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped?.[1]) return mapped[1];
  if (isIP(address) !== 6) return address;
  const [head = '', tail = ''] = address.toLowerCase().split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === '' ? [] : tail.split(':');
  const groups = address.includes('::') ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups.slice(0, 4).map((group) => group.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

export function createPendingSignIns(deps: { store: KeyValueStore; now: () => number; instanceId: string }) {
  const { store, now } = deps;
  const key = (state: 'started' | 'finished', scope: string, bucket: number) => `pending-sign-ins:${state}:${deps.instanceId}:${scope}:${bucket}`;
  const keep = BUCKET_MS * (WINDOW_BUCKETS + 1);

  async function pending(scope: string, bucket: number): Promise<number> {
    let total = 0;
    for (let each = bucket - WINDOW_BUCKETS + 1; each <= bucket; each += 1) {
      const [started, finished] = await Promise.all([store.get(key('started', scope, each)), store.get(key('finished', scope, each))]);
      total += Math.max(0, Number(started ?? 0) - Number(finished ?? 0));
    }
    return total;
  }

  async function finish(slot: PendingSlot): Promise<void> {
    await Promise.all([store.increment(key('finished', slot.group, slot.bucket), keep), store.increment(key('finished', 'all', slot.bucket), keep)]);
  }

  /**
   * Counts a new pending sign-in from `address`; a `rate_limited` error (429, Retry-After) when the
   * address or the instance already has as many as it may. Counted first and taken back when over,
   * so two portals starting at once cannot both slip past the cap.
   */
  async function start(address: string): Promise<PendingSlot> {
    const at = now();
    const bucket = Math.floor(at / BUCKET_MS);
    const slot = { bucket, group: sha256Hex(addressGroup(address)) };
    await Promise.all([store.increment(key('started', slot.group, bucket), keep), store.increment(key('started', 'all', bucket), keep)]);
    const [fromAddress, atInstance] = await Promise.all([pending(slot.group, bucket), pending('all', bucket)]);
    if (fromAddress > PENDING_PER_ADDRESS || atInstance > PENDING_PER_INSTANCE) {
      await finish(slot);
      // The oldest bucket leaves the window first: its sign-ins have expired by then.
      const retryAfterSeconds = Math.max(1, Math.ceil(((bucket + 1) * BUCKET_MS - at) / 1000));
      throw new GatehouseError(
        'rate_limited',
        fromAddress > PENDING_PER_ADDRESS
          ? 'Too many sign-ins are waiting for approval from your address. Finish or let one expire, then try again.'
          : 'Too many sign-ins are waiting for approval at this Identity Center. Try again in a few minutes.',
        { retryAfterSeconds },
      );
    }
    return slot;
  }

  return { start, finish };
}

export type PendingSignIns = ReturnType<typeof createPendingSignIns>;
