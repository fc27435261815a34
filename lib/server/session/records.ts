import 'server-only';

import { randomBytes } from 'node:crypto';

import { z } from 'zod';

import { GatehouseError } from '@/lib/server/core/errors';
import { SESSION_ID_PATTERN, sessionAuditRef, sha256Hex } from '@/lib/server/core/crypto';
import type { SealedRecords } from '@/lib/server/store/sealed';
import type { KeyValueStore } from '@/lib/server/store/types';

import { isSignedIn, SESSION_KINDS, type SessionKind, type SessionRecord, sessionRecordSchema, type SignedInRecord } from './record';

/**
 * Session records in the store: sealed, keyed by a hash of the session id, with every timeout
 * enforced here on the server, and use recorded beside the record. Also the store lock every
 * session step that must not run twice at once takes.
 */

export interface SessionSettings {
  /** A browser's session unused this long ends (terminals have no idle end, as the AWS CLI's sessions). */
  idleTimeoutMs: number;
  /** A browser's session ends this long after sign-in. */
  absoluteTimeoutMs: number;
  /** A terminal's session ends this long after sign-in (TERMINAL_MAX_HOURS); unset: when Identity Center's does. */
  terminalMaxMs?: number;
  /** Refresh the SSO access token when less than this is left. */
  refreshWindowMs: number;
}

/**
 * A terminal's session without TERMINAL_MAX_HOURS lasts until Identity Center's session ends, which
 * a refresh reveals; this is only the store's bound, Identity Center's longest session.
 */
export const TERMINAL_STORE_BOUND_MS = 90 * 24 * 60 * 60 * 1000;

/** How long the portal remembers why a terminal's session ended, to tell the command. */
const TOMBSTONE_MS = 30 * 24 * 60 * 60 * 1000;

/** A started but unfinished sign-in is kept this long past the code's expiry, to report "expired". */
export const PENDING_GRACE_MS = 10 * 60 * 1000;
/**
 * Records stay in the store this long past their expiry, so a late request learns why its session
 * ended (idle or absolute) before the store's own time to live removes the record.
 */
const ENDED_GRACE_MS = 60 * 60 * 1000;
/** Use is recorded to this resolution: the idle window slides with every request, to the second. */
const SEEN_RESOLUTION_MS = 1_000;
/** How long a lock may be held before it is considered abandoned. */
const LOCK_TTL_MS = 15_000;
/** How long a step waits for a lock another request or instance holds. */
export const LOCK_WAIT_MS = 5_000;

export type EndReason =
  | 'idle'
  | 'absolute'
  | 'refresh_rejected'
  | 'token_expired'
  | 'unauthorized'
  | 'signed_out'
  | 'revoked'
  /** A terminal's session pushed out by a newer one of the same person (the per-person cap). */
  | 'evicted'
  /** The record is there but does not open: the portal's session key changed. */
  | 'key_changed';

/** Why and when a session ended, and who ended it (a revocation names the person who clicked). */
export interface SessionEnd {
  reason: EndReason;
  /** Epoch ms; known for terminals' sessions, whose end is remembered. */
  at?: number;
  /** Who ended it, for a revocation: the person's user name. */
  by?: string;
}

export type SessionLookup =
  | { kind: 'none' }
  | ({ kind: 'ended' } & SessionEnd)
  | { kind: 'active'; id: string; record: SessionRecord };

const END_REASONS = ['idle', 'absolute', 'refresh_rejected', 'token_expired', 'unauthorized', 'signed_out', 'revoked', 'evicted', 'key_changed'] as const;
const tombstoneSchema = z.object({
  kind: z.enum(SESSION_KINDS),
  reason: z.enum(END_REASONS),
  at: z.number(),
  by: z.string().max(128).optional(),
});

/** What ends a session first. */
export type SessionEnding = 'idle' | 'absolute' | 'identity_center';

export interface RecordDeps {
  store: KeyValueStore;
  sealed: SealedRecords;
  now: () => number;
  settings: SessionSettings;
  instanceId: string;
  /** Waits between lock checks; injectable so unit tests run on a fake clock. */
  pause: (ms: number) => Promise<void>;
  /** Called once for each session that ends, with why and whose it was (the audit trail hooks in here). */
  onSessionEnded?: (reason: EndReason, userName: string | undefined, sessionRef: string) => void;
}

/** The session has ended (or never was): a 401 that sends the person to sign in. */
export function sessionEnded(reason: EndReason, end: Omit<SessionEnd, 'reason'> = {}): GatehouseError {
  return new GatehouseError('session_ended', undefined, { reason, endedAt: end.at, endedBy: end.by });
}

export const sessionKey = (id: string) => `session:${sha256Hex(id)}`;
/**
 * When the session was last used, kept beside the sealed record rather than in it: a request that
 * counts as use writes only this, so it can never overwrite a token another request just refreshed.
 */
const seenKey = (id: string) => `seen:${sha256Hex(id)}`;
/** Why a terminal's session ended, kept after its record is gone (by the hash of its id). */
const tombstoneKey = (idHash: string) => `ended:${idHash}`;

export function createSessionRecords(deps: RecordDeps) {
  const { store, sealed, now, settings } = deps;

  async function read(id: string): Promise<SessionRecord | null> {
    if (!SESSION_ID_PATTERN.test(id)) return null;
    const record = await sealed.read(sessionKey(id), sessionRecordSchema);
    return record && record.instanceId === deps.instanceId ? record : null;
  }

  /**
   * When the session ends if nothing else happens: the earliest of the idle end, the absolute end,
   * and the end of the Identity Center session once refresh has shown it cannot be extended.
   */
  function expiryOf(record: SessionRecord): number {
    if (isSignedIn(record)) {
      return Math.min(record.absoluteExpiresAt, idleEndOf(record), record.sso.sessionEndsAt ?? Infinity);
    }
    return Math.min(record.absoluteExpiresAt, (record.flow?.expiresAt ?? record.createdAt) + PENDING_GRACE_MS);
  }

  /** When an unused session ends: a browser's after the idle time; a terminal's never (its use is sporadic, as a profile's). */
  function idleEndOf(record: SignedInRecord): number {
    return record.kind === 'terminal' ? Infinity : record.lastSeenAt + settings.idleTimeoutMs;
  }

  /** Which bound ends the session first, for the page's warning. */
  function endingOf(record: SignedInRecord): SessionEnding {
    const idle = idleEndOf(record);
    const identityCenter = record.sso.sessionEndsAt ?? Infinity;
    if (identityCenter <= idle && identityCenter <= record.absoluteExpiresAt) return 'identity_center';
    return idle <= record.absoluteExpiresAt ? 'idle' : 'absolute';
  }

  /**
   * How long the browser keeps the cookie: until the absolute end for a signed-in session (the
   * server alone enforces idle, so a busy person is never dropped by the browser), until the flow
   * expires for a sign-in in progress.
   */
  function cookieExpiryOf(record: SessionRecord): number {
    return isSignedIn(record) ? record.absoluteExpiresAt : expiryOf(record);
  }

  async function write(id: string, record: SessionRecord): Promise<void> {
    // A signed-in record lives to its absolute end: use is recorded apart (seenKey), without rewriting it.
    const ttl = (isSignedIn(record) ? record.absoluteExpiresAt : expiryOf(record)) - now() + ENDED_GRACE_MS;
    if (ttl <= 0) {
      await store.delete(sessionKey(id));
      return;
    }
    await sealed.write(sessionKey(id), record, ttl);
  }

  async function remove(id: string): Promise<void> {
    await store.delete(sessionKey(id));
  }

  /** A terminal's session leaves a note of why it ended, so the command can say so; a browser's cookie just goes. */
  async function rememberEnd(idHash: string, record: SessionRecord | null, end: Omit<SessionEnd, 'at'>): Promise<void> {
    if (record?.kind !== 'terminal') return;
    await sealed.write(tombstoneKey(idHash), { kind: record.kind, reason: end.reason, at: now(), by: end.by }, TOMBSTONE_MS);
  }

  async function end(id: string, reason: EndReason, record: SessionRecord | null, by?: string): Promise<void> {
    await rememberEnd(sha256Hex(id), record, { reason, by });
    await store.delete(sessionKey(id));
    await store.delete(seenKey(id));
    deps.onSessionEnded?.(reason, record?.user?.userName, sessionAuditRef(id));
  }

  /**
   * A session known only by the hash of its id (a terminal's, listed on its person's Activity page:
   * the token itself is never kept), with its last use. Null when it has ended.
   */
  async function readByHash(idHash: string): Promise<SessionRecord | null> {
    if (!/^[0-9a-f]{64}$/.test(idHash)) return null;
    const record = await sealed.read(`session:${idHash}`, sessionRecordSchema);
    if (!record || record.instanceId !== deps.instanceId) return null;
    const seen = Number(await store.get(`seen:${idHash}`));
    return Number.isFinite(seen) && seen > record.lastSeenAt ? { ...record, lastSeenAt: seen } : record;
  }

  /** Ends a session known only by the hash of its id. */
  async function endByHash(idHash: string, reason: EndReason, sessionRef: string, by?: string): Promise<void> {
    const record = await readByHash(idHash);
    await rememberEnd(idHash, record, { reason, by });
    await store.delete(`session:${idHash}`);
    await store.delete(`seen:${idHash}`);
    deps.onSessionEnded?.(reason, record?.user?.userName, sessionRef);
  }

  /** The record with its last use filled in from the use marker, when that is later. */
  async function withLastUse(id: string, record: SessionRecord): Promise<SessionRecord> {
    if (!isSignedIn(record)) return record;
    const seen = Number(await store.get(seenKey(id)));
    return Number.isFinite(seen) && seen > record.lastSeenAt ? { ...record, lastSeenAt: seen } : record;
  }

  /**
   * Finds the session behind a cookie value or bearer token, enforcing every timeout on the server.
   * With `holder`, a session of the other kind reads as none: a terminal's token is not a cookie,
   * and a browser's cookie is not a bearer token.
   */
  async function lookup(id: string | undefined, holder?: SessionKind): Promise<SessionLookup> {
    if (id === undefined || !SESSION_ID_PATTERN.test(id)) return { kind: 'none' };
    const found = await sealed.inspect(sessionKey(id), sessionRecordSchema);
    // Sealed with a key this portal no longer has (a restart with a new SESSION_SECRET): it cannot be used again.
    if (found === 'unopenable') return { kind: 'ended', reason: 'key_changed' };
    if (found === 'absent') {
      const tombstone = await sealed.read(tombstoneKey(sha256Hex(id)), tombstoneSchema);
      if (tombstone && (holder === undefined || tombstone.kind === holder)) return { kind: 'ended', reason: tombstone.reason, at: tombstone.at, by: tombstone.by };
      return { kind: 'none' };
    }
    const stored = found.value;
    if (stored.instanceId !== deps.instanceId || (holder !== undefined && stored.kind !== holder)) return { kind: 'none' };
    const record = await withLastUse(id, stored);
    const at = now();
    if (isSignedIn(record)) {
      if (at >= record.absoluteExpiresAt) {
        await end(id, 'absolute', record);
        return { kind: 'ended', reason: 'absolute', at };
      }
      if (at >= idleEndOf(record)) {
        await end(id, 'idle', record);
        return { kind: 'ended', reason: 'idle', at };
      }
      if (record.sso.sessionEndsAt !== undefined && at >= record.sso.sessionEndsAt) {
        await end(id, 'token_expired', record);
        return { kind: 'ended', reason: 'token_expired', at };
      }
    }
    return { kind: 'active', id, record };
  }

  /** Marks the session used now: the idle window starts again from this request. */
  async function touch(id: string, record: SignedInRecord): Promise<SignedInRecord> {
    const at = now();
    if (at - record.lastSeenAt < SEEN_RESOLUTION_MS) return record;
    // Kept as long as the use can matter: the idle window, or a terminal's whole life (its last use is shown, and decides which goes first at the cap).
    const keep = record.kind === 'terminal' ? record.absoluteExpiresAt - at : settings.idleTimeoutMs;
    await store.set(seenKey(id), String(at), Math.max(1, keep) + ENDED_GRACE_MS);
    return { ...record, lastSeenAt: at };
  }

  /** Runs `work` under a lock in the store (every instance sees it); `acquired: false` when another holds it. */
  async function withLock<T>(name: string, work: () => Promise<T>): Promise<{ acquired: true; value: T } | { acquired: false }> {
    const key = `lock:${name}`;
    const owner = randomBytes(12).toString('base64url');
    if (!(await store.setIfAbsent(key, owner, LOCK_TTL_MS))) return { acquired: false };
    try {
      return { acquired: true, value: await work() };
    } finally {
      await store.deleteIfEquals(key, owner);
    }
  }

  /**
   * Changes a signed-in record under the session's refresh lock, so that a refresh running at the
   * same time (which rotates the refresh token) is never overwritten with the old token.
   */
  async function update(id: string, change: (record: SignedInRecord) => SignedInRecord): Promise<void> {
    const deadline = now() + LOCK_WAIT_MS;
    for (;;) {
      const result = await withLock(refreshLockName(id), async () => {
        const record = await read(id);
        if (record && isSignedIn(record)) await write(id, change(record));
      });
      if (result.acquired) return;
      if (now() >= deadline) throw new GatehouseError('upstream_unavailable', 'The session is busy. Try again in a moment.');
      await deps.pause(100);
    }
  }

  return { read, readByHash, write, remove, end, endByHash, lookup, touch, withLock, update, expiryOf, endingOf, cookieExpiryOf };
}

/** The lock a session's token refresh and record updates share. */
export const refreshLockName = (id: string) => `refresh:${sha256Hex(id)}`;

export type SessionRecords = ReturnType<typeof createSessionRecords>;
