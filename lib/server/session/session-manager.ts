import 'server-only';

import { randomBytes } from 'node:crypto';

import type { ClientRegistration, OidcGateway } from '@/lib/server/aws/oidc';
import { OidcError } from '@/lib/server/aws/oidc';
import type { PortalGateway } from '@/lib/server/aws/portal';
import { isNamedError } from '@/lib/server/errors';
import type { KeyValueStore } from '@/lib/server/store/types';

import { newSessionId, type Sealer, SESSION_ID_PATTERN, sessionAuditRef, sha256Hex } from './crypto';
import { scheduleNextPoll } from './device-flow';
import { isSignedIn, type SessionRecord, sessionRecordSchema, type SignedInRecord } from './record';

/**
 * Server-side sessions and the device authorization flow. The portal server is the OAuth device:
 * it holds the flow state and the SSO tokens in the store, sealed, keyed by a hash of the session
 * id. The browser holds only the id, in a cookie.
 */

export interface SessionSettings {
  idleTimeoutMs: number;
  absoluteTimeoutMs: number;
  /** Refresh the SSO access token when less than this is left. */
  refreshWindowMs: number;
}

export const DEFAULT_REFRESH_WINDOW_MS = 5 * 60 * 1000;
/** Renew the client registration when less than this is left. */
const REGISTRATION_RENEWAL_MS = 24 * 60 * 60 * 1000;
/** How long a lock may be held before it is considered abandoned. */
const LOCK_TTL_MS = 15_000;
/** How long a request waits for another instance's refresh before giving up. */
const LOCK_WAIT_MS = 5_000;
/**
 * A still-valid access token younger than this is not refreshed: a refresh could gain at most this
 * long, and the gap makes a refresh that extended nothing (the Identity Center session's end) certain.
 */
const MIN_REFRESH_AGE_MS = 5_000;
/** Use is recorded to this resolution: the idle window slides with every request, to the second. */
const SEEN_RESOLUTION_MS = 1_000;
/** A started but unfinished sign-in is kept this long past the code's expiry, to report "expired". */
const PENDING_GRACE_MS = 10 * 60 * 1000;
/**
 * Records stay in the store this long past their expiry, so a late request learns why its session
 * ended (idle or absolute) before the store's own time to live removes the record.
 */
const ENDED_GRACE_MS = 60 * 60 * 1000;

export type EndReason = 'idle' | 'absolute' | 'refresh_rejected' | 'token_expired' | 'unauthorized' | 'signed_out';

export type SessionLookup =
  | { kind: 'none' }
  | { kind: 'ended'; reason: EndReason }
  | { kind: 'active'; id: string; record: SessionRecord };

export type PollStatus = 'pending' | 'approved' | 'denied' | 'expired';

export interface PollResult {
  status: PollStatus;
  /** When approved, the new session id: the id changes when sign-in completes. */
  newSessionId?: string;
  /** When pending: how long the browser should wait before asking again. */
  retryAfterMs?: number;
  /** When pending: the code's expiry, so the page can count down. */
  expiresAt?: number;
  /** True on the one poll that saw the flow end (denied or expired), for a single audit record. */
  settledNow?: boolean;
}

export interface StartedFlow {
  sessionId: string;
  userCode: string;
  verificationUri: string;
  verificationUriComplete: string;
  expiresAt: number;
  intervalSeconds: number;
}

export class SessionEndedError extends Error {
  static override [Symbol.hasInstance](value: unknown): value is SessionEndedError {
    return isNamedError(value, 'SessionEndedError');
  }

  constructor(readonly reason: EndReason) {
    super(`The session has ended (${reason}).`);
    this.name = 'SessionEndedError';
  }
}

/** AWS could not be reached or throttled us; the session is kept, the request cannot be served now. */
export class UpstreamUnavailableError extends Error {
  static override [Symbol.hasInstance](value: unknown): value is UpstreamUnavailableError {
    return isNamedError(value, 'UpstreamUnavailableError');
  }

  constructor(readonly code: string) {
    super('IAM Identity Center did not answer; try again shortly.');
    this.name = 'UpstreamUnavailableError';
  }
}

export interface SessionManagerDeps {
  store: KeyValueStore;
  sealer: Sealer;
  now: () => number;
  settings: SessionSettings;
  instanceId: string;
  oidc: OidcGateway;
  portal: Pick<PortalGateway, 'logout'>;
  /** Waits between lock checks; injectable so unit tests run on a fake clock. */
  pause?: (ms: number) => Promise<void>;
  /** Called once for each session that ends, with why and whose it was (the audit log hooks in here). */
  onSessionEnded?: (reason: EndReason, userName: string | undefined, sessionRef: string) => void;
}

const sessionKey = (id: string) => `session:${sha256Hex(id)}`;
/**
 * When the session was last used, kept beside the sealed record rather than in it: a request that
 * counts as use writes only this, so it can never overwrite a token another request just refreshed.
 */
const seenKey = (id: string) => `seen:${sha256Hex(id)}`;

export function createSessionManager(deps: SessionManagerDeps) {
  const { store, sealer, now, settings } = deps;
  const pause = deps.pause ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const registrationKey = `oidc-client:${deps.instanceId}`;

  async function readRecord(id: string): Promise<SessionRecord | null> {
    if (!SESSION_ID_PATTERN.test(id)) return null;
    const key = sessionKey(id);
    const sealed = await store.get(key);
    if (sealed === null) return null;
    const plaintext = sealer.open(sealed, key);
    if (plaintext === null) return null;
    try {
      const parsed = sessionRecordSchema.safeParse(JSON.parse(plaintext));
      return parsed.success && parsed.data.instanceId === deps.instanceId ? parsed.data : null;
    } catch {
      return null;
    }
  }

  /**
   * When the session ends if nothing else happens: the earliest of the idle end, the absolute end,
   * and the end of the Identity Center session once refresh has shown it cannot be extended.
   */
  function expiryOf(record: SessionRecord): number {
    if (isSignedIn(record)) {
      return Math.min(record.absoluteExpiresAt, record.lastSeenAt + settings.idleTimeoutMs, record.sso.sessionEndsAt ?? Infinity);
    }
    return Math.min(record.absoluteExpiresAt, (record.flow?.expiresAt ?? record.createdAt) + PENDING_GRACE_MS);
  }

  /** Which bound ends the session first, for the page's warning. */
  function endingOf(record: SignedInRecord): 'idle' | 'absolute' | 'identity_center' {
    const idle = record.lastSeenAt + settings.idleTimeoutMs;
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

  async function writeRecord(id: string, record: SessionRecord): Promise<void> {
    const key = sessionKey(id);
    // A signed-in record lives to its absolute end: use is recorded apart (seenKey), without rewriting it.
    const ttl = (isSignedIn(record) ? record.absoluteExpiresAt : expiryOf(record)) - now() + ENDED_GRACE_MS;
    if (ttl <= 0) {
      await store.delete(key);
      return;
    }
    await store.set(key, sealer.seal(JSON.stringify(record), key), ttl);
  }

  async function end(id: string, reason: EndReason, record: SessionRecord | null): Promise<void> {
    await store.delete(sessionKey(id));
    await store.delete(seenKey(id));
    deps.onSessionEnded?.(reason, record?.user?.userName, sessionAuditRef(id));
  }

  /** The record with its last use filled in from the use marker, when that is later. */
  async function withLastUse(id: string, record: SessionRecord): Promise<SessionRecord> {
    if (!isSignedIn(record)) return record;
    const seen = Number(await store.get(seenKey(id)));
    return Number.isFinite(seen) && seen > record.lastSeenAt ? { ...record, lastSeenAt: seen } : record;
  }

  /** Finds the session behind a cookie value, enforcing every timeout on the server. */
  async function lookup(id: string | undefined): Promise<SessionLookup> {
    if (id === undefined) return { kind: 'none' };
    const stored = await readRecord(id);
    if (stored === null) return { kind: 'none' };
    const record = await withLastUse(id, stored);
    const at = now();
    if (isSignedIn(record)) {
      if (at >= record.absoluteExpiresAt) {
        await end(id, 'absolute', record);
        return { kind: 'ended', reason: 'absolute' };
      }
      if (at - record.lastSeenAt >= settings.idleTimeoutMs) {
        await end(id, 'idle', record);
        return { kind: 'ended', reason: 'idle' };
      }
      if (record.sso.sessionEndsAt !== undefined && at >= record.sso.sessionEndsAt) {
        await end(id, 'token_expired', record);
        return { kind: 'ended', reason: 'token_expired' };
      }
    }
    return { kind: 'active', id, record };
  }

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

  async function readRegistration(): Promise<ClientRegistration | null> {
    const sealed = await store.get(registrationKey);
    const plaintext = sealed === null ? null : sealer.open(sealed, registrationKey);
    if (plaintext === null) return null;
    try {
      const value = JSON.parse(plaintext) as Partial<ClientRegistration>;
      if (typeof value.clientId !== 'string' || typeof value.clientSecret !== 'string' || typeof value.expiresAt !== 'number') {
        return null;
      }
      return { clientId: value.clientId, clientSecret: value.clientSecret, expiresAt: value.expiresAt };
    } catch {
      return null;
    }
  }

  /** The portal's OIDC client for this instance: registered once, shared, renewed before it expires. */
  async function clientRegistration(clientName: string): Promise<ClientRegistration> {
    for (let attempt = 0; attempt < LOCK_WAIT_MS / 100; attempt += 1) {
      const existing = await readRegistration();
      if (existing && existing.expiresAt - now() > REGISTRATION_RENEWAL_MS) return existing;
      const result = await withLock(`registration:${deps.instanceId}`, async () => {
        const again = await readRegistration();
        if (again && again.expiresAt - now() > REGISTRATION_RENEWAL_MS) return again;
        let fresh: ClientRegistration;
        try {
          fresh = await deps.oidc.registerClient(clientName);
        } catch (error) {
          // Like a failed StartDeviceAuthorization: Identity Center cannot be used right now.
          throw error instanceof OidcError ? new UpstreamUnavailableError(error.failure.kind) : error;
        }
        await store.set(registrationKey, sealer.seal(JSON.stringify(fresh), registrationKey), Math.max(1, fresh.expiresAt - now()));
        return fresh;
      });
      if (result.acquired) return result.value;
      // Another instance is registering; an expiring registration still works meanwhile.
      if (existing && existing.expiresAt > now()) return existing;
      await pause(100);
    }
    throw new UpstreamUnavailableError('RegistrationBusy');
  }

  /**
   * Starts a device authorization for the session behind `currentId` (or a new one). One flow per
   * session: a new flow replaces the previous one.
   */
  async function startDeviceFlow(currentId: string | undefined, clientName: string, proxyUser?: string): Promise<StartedFlow> {
    let found = await lookup(currentId);
    // A session begun for one proxy-authenticated person is never continued by another.
    if (found.kind === 'active' && found.record.proxyUser !== proxyUser) found = { kind: 'none' };
    const at = now();
    const client = await clientRegistration(clientName);
    let authorization;
    try {
      authorization = await deps.oidc.startDeviceAuthorization(client);
    } catch (error) {
      if (error instanceof OidcError && error.failure.kind === 'rejected' && error.failure.code === 'InvalidClientException') {
        // The registration is no longer accepted: forget it so the next attempt registers anew.
        await store.delete(registrationKey);
      }
      throw error instanceof OidcError ? new UpstreamUnavailableError(error.failure.kind) : error;
    }
    const expiresAt = at + authorization.expiresInSeconds * 1000;
    const flow = {
      deviceCode: authorization.deviceCode,
      userCode: authorization.userCode,
      verificationUri: authorization.verificationUri,
      verificationUriComplete: authorization.verificationUriComplete,
      expiresAt,
      intervalSeconds: authorization.intervalSeconds,
      nextPollAt: at + authorization.intervalSeconds * 1000,
    };
    const sessionId = found.kind === 'active' ? found.id : newSessionId();
    const record: SessionRecord =
      found.kind === 'active'
        ? { ...found.record, flow }
        : {
            version: 1,
            instanceId: deps.instanceId,
            createdAt: at,
            lastSeenAt: at,
            absoluteExpiresAt: expiresAt + PENDING_GRACE_MS,
            flow,
            proxyUser,
          };
    await writeRecord(sessionId, record);
    return {
      sessionId,
      userCode: flow.userCode,
      verificationUri: flow.verificationUri,
      verificationUriComplete: flow.verificationUriComplete,
      expiresAt,
      intervalSeconds: flow.intervalSeconds,
    };
  }

  function signedInRecord(grant: { accessToken: string; expiresInSeconds: number; refreshToken?: string }, at: number, previous: SessionRecord): SignedInRecord {
    const accessTokenExpiresAt = at + grant.expiresInSeconds * 1000;
    // Without a refresh token the SSO session ends with the access token; never outlive it.
    const absoluteExpiresAt = grant.refreshToken
      ? at + settings.absoluteTimeoutMs
      : Math.min(at + settings.absoluteTimeoutMs, accessTokenExpiresAt);
    return {
      version: 1,
      instanceId: deps.instanceId,
      createdAt: at,
      lastSeenAt: at,
      absoluteExpiresAt,
      // The user name is learned afresh: a new sign-in may be someone else's.
      proxyUser: previous.proxyUser,
      sso: { accessToken: grant.accessToken, accessTokenExpiresAt, accessTokenIssuedAt: at, refreshToken: grant.refreshToken },
    };
  }

  /**
   * One poll from the browser. CreateToken is called only when the schedule allows and only by one
   * caller at a time per flow (a lock in the shared store), however often and wherever the browser asks.
   */
  async function pollDeviceFlow(id: string | undefined, clientName: string): Promise<PollResult> {
    const found = await lookup(id);
    if (found.kind !== 'active' || !found.record.flow) {
      return { status: found.kind === 'active' && isSignedIn(found.record) ? 'approved' : 'expired' };
    }
    const sessionId = found.id;
    const pending = (record: SessionRecord): PollResult => ({
      status: 'pending',
      retryAfterMs: Math.max(250, (record.flow?.nextPollAt ?? now()) - now()),
      expiresAt: record.flow?.expiresAt,
    });

    const flow = found.record.flow;
    if (flow.outcome) return { status: flow.outcome };
    if (now() >= flow.expiresAt) {
      await writeRecord(sessionId, { ...found.record, flow: { ...flow, outcome: 'expired' } });
      return { status: 'expired', settledNow: true };
    }
    if (now() < flow.nextPollAt) return pending(found.record);

    const result = await withLock(`flow:${sha256Hex(sessionId)}`, async (): Promise<PollResult> => {
      // Another instance may have polled while we waited for the lock: decide on fresh state.
      const current = await readRecord(sessionId);
      const currentFlow = current?.flow;
      if (!current || !currentFlow || currentFlow.deviceCode !== flow.deviceCode) return { status: 'expired' };
      if (currentFlow.outcome) return { status: currentFlow.outcome };
      if (now() < currentFlow.nextPollAt) return pending(current);

      const client = await clientRegistration(clientName);
      const answer = await deps.oidc.createToken(client, { deviceCode: currentFlow.deviceCode });
      const at = now();
      if (answer.ok) {
        const newId = newSessionId();
        await writeRecord(newId, signedInRecord(answer.grant, at, current));
        await store.delete(sessionKey(sessionId));
        return { status: 'approved', newSessionId: newId };
      }
      const { failure } = answer;
      switch (failure.kind) {
        case 'authorization_pending':
        case 'slow_down': {
          const next = { ...current, flow: scheduleNextPoll(currentFlow, failure.kind === 'slow_down' ? 'slow_down' : 'pending', at) };
          await writeRecord(sessionId, next);
          return pending(next);
        }
        case 'transient': {
          const next = { ...current, flow: scheduleNextPoll(currentFlow, 'pending', at) };
          await writeRecord(sessionId, next);
          return pending(next);
        }
        case 'access_denied':
          await writeRecord(sessionId, { ...current, flow: { ...currentFlow, outcome: 'denied' } });
          return { status: 'denied', settledNow: true };
        case 'expired_token':
        case 'rejected':
          if (failure.kind === 'rejected' && failure.code === 'InvalidClientException') await store.delete(registrationKey);
          await writeRecord(sessionId, { ...current, flow: { ...currentFlow, outcome: 'expired' } });
          return { status: 'expired', settledNow: true };
      }
    });
    return result.acquired ? result.value : pending(found.record);
  }

  /** Marks the session used now: the idle window starts again from this request. */
  async function touch(id: string, record: SessionRecord): Promise<SessionRecord> {
    const at = now();
    if (at - record.lastSeenAt < SEEN_RESOLUTION_MS) return record;
    await store.set(seenKey(id), String(at), settings.idleTimeoutMs + ENDED_GRACE_MS);
    return { ...record, lastSeenAt: at };
  }

  /** True when the token should be refreshed before use. */
  function refreshDue(sso: SignedInRecord['sso']): boolean {
    const at = now();
    if (sso.accessTokenExpiresAt - at > settings.refreshWindowMs) return false;
    if (at >= sso.accessTokenExpiresAt) return true;
    // The Identity Center session ends with this token: refreshing cannot extend it.
    if (sso.sessionEndsAt !== undefined && sso.accessTokenExpiresAt >= sso.sessionEndsAt) return false;
    return sso.accessTokenIssuedAt === undefined || at - sso.accessTokenIssuedAt >= MIN_REFRESH_AGE_MS;
  }

  /**
   * Identity Center never issues an access token that outlives its session. A token issued some
   * seconds after the previous one yet expiring no later than it (to the second) was cut short by
   * the session's end, which is then known: nothing can extend the session past it. A token that
   * ran its normal course moves its expiry on by as long as passed between the two.
   */
  function identityCenterSessionEnd(previous: SignedInRecord['sso'], at: number, expiresAt: number): number | undefined {
    if (previous.accessTokenIssuedAt === undefined) return undefined;
    const elapsed = at - previous.accessTokenIssuedAt;
    if (elapsed < MIN_REFRESH_AGE_MS) return undefined;
    return expiresAt - previous.accessTokenExpiresAt < elapsed / 2 ? expiresAt : undefined;
  }

  async function refresh(id: string, record: SignedInRecord, clientName: string): Promise<SignedInRecord> {
    const refreshToken = record.sso.refreshToken;
    if (!refreshToken) {
      if (now() < record.sso.accessTokenExpiresAt) return record;
      await end(id, 'token_expired', record);
      throw new SessionEndedError('token_expired');
    }
    const client = await clientRegistration(clientName);
    const answer = await deps.oidc.createToken(client, { refreshToken });
    if (answer.ok) {
      const at = now();
      const accessTokenExpiresAt = at + answer.grant.expiresInSeconds * 1000;
      const next: SignedInRecord = {
        ...record,
        sso: {
          accessToken: answer.grant.accessToken,
          accessTokenExpiresAt,
          accessTokenIssuedAt: at,
          // Identity Center rotates refresh tokens; keep the old one only if none came back.
          refreshToken: answer.grant.refreshToken ?? refreshToken,
          sessionEndsAt: record.sso.sessionEndsAt ?? identityCenterSessionEnd(record.sso, at, accessTokenExpiresAt),
        },
      };
      await writeRecord(id, next);
      return next;
    }
    if (answer.failure.kind === 'transient' || answer.failure.kind === 'slow_down') {
      // Throttling and 5xx keep the session: the current token serves while it lasts.
      if (now() < record.sso.accessTokenExpiresAt) return record;
      throw new UpstreamUnavailableError(answer.failure.kind === 'transient' ? answer.failure.code : 'SlowDown');
    }
    await end(id, 'refresh_rejected', record);
    throw new SessionEndedError('refresh_rejected');
  }

  /**
   * The session's SSO access token, refreshed first when it is close to expiry. Throws
   * SessionEndedError when there is no usable session.
   */
  async function accessToken(
    id: string | undefined,
    clientName: string,
    options: { countAsUse?: boolean } = {},
  ): Promise<{ token: string; record: SignedInRecord; id: string }> {
    const found = await lookup(id);
    if (found.kind === 'ended') throw new SessionEndedError(found.reason);
    if (found.kind === 'none' || !isSignedIn(found.record)) throw new SessionEndedError('signed_out');
    const sessionId = found.id;
    // Asking how long the session has left is not use: it must not keep an idle session alive.
    const countAsUse = options.countAsUse ?? true;
    let record = countAsUse ? ((await touch(sessionId, found.record)) as SignedInRecord) : found.record;

    if (!refreshDue(record.sso)) {
      if (now() < record.sso.accessTokenExpiresAt) return { token: record.sso.accessToken, record, id: sessionId };
      await end(sessionId, 'token_expired', record);
      throw new SessionEndedError('token_expired');
    }

    const deadline = now() + LOCK_WAIT_MS;
    for (;;) {
      const result = await withLock(`refresh:${sha256Hex(sessionId)}`, async () => {
        // Re-read under the lock: another request or instance may have refreshed already.
        const current = await readRecord(sessionId);
        if (!current || !isSignedIn(current)) throw new SessionEndedError('signed_out');
        if (!refreshDue(current.sso)) return current;
        return refresh(sessionId, current, clientName);
      });
      if (result.acquired) {
        record = result.value;
        break;
      }
      await pause(100);
      const current = await readRecord(sessionId);
      if (!current || !isSignedIn(current)) throw new SessionEndedError('signed_out');
      if (!refreshDue(current.sso)) {
        record = current;
        break;
      }
      if (now() >= deadline) {
        // The other refresher is slow; the current token still serves if it has not expired.
        if (now() < current.sso.accessTokenExpiresAt) {
          record = current;
          break;
        }
        throw new UpstreamUnavailableError('RefreshBusy');
      }
    }
    const lastSeenAt = countAsUse ? Math.max(record.lastSeenAt, now()) : found.record.lastSeenAt;
    return { token: record.sso.accessToken, record: { ...record, lastSeenAt }, id: sessionId };
  }

  /** Signs out: Logout at Identity Center (its failure tolerated), then the record is deleted. */
  async function signOut(id: string | undefined): Promise<boolean> {
    const found = await lookup(id);
    if (found.kind !== 'active') return false;
    if (isSignedIn(found.record)) {
      try {
        await deps.portal.logout(found.record.sso.accessToken);
      } catch {
        // Like the AWS CLI: the local session ends whatever Identity Center answered.
      }
    }
    await end(found.id, 'signed_out', found.record);
    return true;
  }

  /** Ends a session Identity Center no longer accepts (a 401 from the portal API). */
  async function endUnauthorized(id: string): Promise<void> {
    await end(id, 'unauthorized', await readRecord(id));
  }

  /**
   * Changes a signed-in record, under the session's refresh lock so that a refresh running at the
   * same time (which rotates the refresh token) is never overwritten with the old token.
   */
  async function remember(id: string, update: (record: SignedInRecord) => SignedInRecord): Promise<void> {
    const deadline = now() + LOCK_WAIT_MS;
    for (;;) {
      const result = await withLock(`refresh:${sha256Hex(id)}`, async () => {
        const record = await readRecord(id);
        if (record && isSignedIn(record)) await writeRecord(id, update(record));
      });
      if (result.acquired) return;
      if (now() >= deadline) throw new UpstreamUnavailableError('SessionBusy');
      await pause(100);
    }
  }

  return {
    lookup,
    startDeviceFlow,
    pollDeviceFlow,
    accessToken,
    signOut,
    endUnauthorized,
    remember,
    expiryOf,
    endingOf,
    cookieExpiryOf,
    storeKeyFor: sessionKey,
  };
}

export type SessionManager = ReturnType<typeof createSessionManager>;
