import 'server-only';

import type { OidcGateway } from '@/lib/server/aws/oidc';
import { GatehouseError } from '@/lib/server/core/errors';
import { newSessionId, sha256Hex } from '@/lib/server/core/crypto';

import type { ClientRegistrations } from './client-registration';
import type { PendingSignIns } from './pending-sign-ins';
import { type DeviceFlowState, isSignedIn, type SessionKind, type SessionRecord, type SignedInRecord } from './record';
import { PENDING_GRACE_MS, type SessionRecords, type SessionSettings, TERMINAL_STORE_BOUND_MS } from './records';

/**
 * The device authorization flow (RFC 8628), with the portal server as the device: the flow state
 * and the tokens it yields stay in the store, sealed; the browser or terminal holds only the
 * session id. CreateToken is called only when the schedule allows and only by one caller at a
 * time per flow, however often and wherever the client polls.
 */

/** RFC 8628 §3.5: on slow_down, add 5 seconds, for that wait and every later one. */
export const SLOW_DOWN_INCREMENT_SECONDS = 5;

export function scheduleNextPoll(flow: DeviceFlowState, outcome: 'pending' | 'slow_down', now: number): DeviceFlowState {
  const intervalSeconds = outcome === 'slow_down' ? flow.intervalSeconds + SLOW_DOWN_INCREMENT_SECONDS : flow.intervalSeconds;
  return { ...flow, intervalSeconds, nextPollAt: now + intervalSeconds * 1000 };
}

export type PollStatus = 'pending' | 'approved' | 'denied' | 'expired';

export interface PollResult {
  status: PollStatus;
  /** When approved, the new session id: the id changes when sign-in completes. */
  newSessionId?: string;
  /** When pending: how long the client should wait before asking again. */
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

export function createDeviceFlow(deps: {
  records: SessionRecords;
  registrations: ClientRegistrations;
  pending: PendingSignIns;
  oidc: OidcGateway;
  now: () => number;
  settings: SessionSettings;
  instanceId: string;
}) {
  const { records, registrations, now, settings, pending: pendingSignIns } = deps;

  /** A flow that ends (approved, denied, expired, replaced) stops counting among pending sign-ins. */
  async function settle(flow: DeviceFlowState | undefined): Promise<void> {
    if (flow?.slot && !flow.outcome) await pendingSignIns.finish(flow.slot);
  }

  /**
   * A new flow for the session behind `currentId` (or a new session), held by a browser or a
   * terminal (`holder`), asked for from `address` (counted among pending sign-ins; a 429 when too
   * many are). A new flow replaces the previous one.
   */
  async function start(
    currentId: string | undefined,
    proxyUser: string | undefined,
    holder: { kind: SessionKind; client?: SessionRecord['client'] },
    address: string,
  ): Promise<StartedFlow> {
    let found = await records.lookup(currentId, holder.kind);
    // A session begun for one proxy-authenticated person is never continued by another.
    if (found.kind === 'active' && found.record.proxyUser !== proxyUser) found = { kind: 'none' };
    const slot = await pendingSignIns.start(address);
    const at = now();
    let answer;
    try {
      const client = await registrations.current(holder.kind);
      answer = await deps.oidc.startDeviceAuthorization(client);
    } catch (error) {
      await pendingSignIns.finish(slot);
      throw error;
    }
    if (!answer.ok) {
      await pendingSignIns.finish(slot);
      // The registration is no longer accepted: forget it so the next attempt registers anew.
      if (answer.failure.kind === 'rejected' && answer.failure.code === 'InvalidClientException') await registrations.forget(holder.kind);
      throw new GatehouseError('upstream_unavailable');
    }
    const authorization = answer.value;
    const expiresAt = at + authorization.expiresInSeconds * 1000;
    const flow = {
      deviceCode: authorization.deviceCode,
      userCode: authorization.userCode,
      verificationUri: authorization.verificationUri,
      verificationUriComplete: authorization.verificationUriComplete,
      expiresAt,
      intervalSeconds: authorization.intervalSeconds,
      nextPollAt: at + authorization.intervalSeconds * 1000,
      slot,
    };
    // The flow this one replaces is no longer pending.
    if (found.kind === 'active') await settle(found.record.flow);
    const sessionId = found.kind === 'active' ? found.id : newSessionId();
    const record: SessionRecord =
      found.kind === 'active'
        ? { ...found.record, flow }
        : {
            version: 1,
            kind: holder.kind,
            client: holder.client,
            instanceId: deps.instanceId,
            createdAt: at,
            lastSeenAt: at,
            absoluteExpiresAt: expiresAt + PENDING_GRACE_MS,
            flow,
            proxyUser,
          };
    await records.write(sessionId, record);
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
    // A terminal's session lasts as long as Identity Center's (which a refresh reveals), or TERMINAL_MAX_HOURS.
    const longest = previous.kind === 'terminal' ? (settings.terminalMaxMs ?? TERMINAL_STORE_BOUND_MS) : settings.absoluteTimeoutMs;
    // Without a refresh token the SSO session ends with the access token; never outlive it.
    const absoluteExpiresAt = grant.refreshToken ? at + longest : Math.min(at + longest, accessTokenExpiresAt);
    return {
      version: 1,
      // A terminal's sign-in stays a terminal's session, with what it said it is.
      kind: previous.kind,
      client: previous.client,
      instanceId: deps.instanceId,
      createdAt: at,
      lastSeenAt: at,
      absoluteExpiresAt,
      // The user name is learned afresh: a new sign-in may be someone else's.
      proxyUser: previous.proxyUser,
      sso: { accessToken: grant.accessToken, accessTokenExpiresAt, accessTokenIssuedAt: at, refreshToken: grant.refreshToken },
    };
  }

  /** One poll, by the holder of the pending session. */
  async function poll(id: string | undefined, holder: SessionKind = 'browser'): Promise<PollResult> {
    const found = await records.lookup(id, holder);
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
      await settle(flow);
      await records.write(sessionId, { ...found.record, flow: { ...flow, outcome: 'expired' } });
      return { status: 'expired', settledNow: true };
    }
    if (now() < flow.nextPollAt) return pending(found.record);

    const result = await records.withLock(`flow:${sha256Hex(sessionId)}`, async (): Promise<PollResult> => {
      // Another instance may have polled while we waited for the lock: decide on fresh state.
      const current = await records.read(sessionId);
      const currentFlow = current?.flow;
      if (!current || !currentFlow || currentFlow.deviceCode !== flow.deviceCode) return { status: 'expired' };
      if (currentFlow.outcome) return { status: currentFlow.outcome };
      if (now() < currentFlow.nextPollAt) return pending(current);

      const client = await registrations.current(current.kind);
      const answer = await deps.oidc.createToken(client, { deviceCode: currentFlow.deviceCode });
      const at = now();
      if (answer.ok) {
        const newId = newSessionId();
        await records.write(newId, signedInRecord(answer.value, at, current));
        await records.remove(sessionId);
        await settle(currentFlow);
        return { status: 'approved', newSessionId: newId };
      }
      const { failure } = answer;
      switch (failure.kind) {
        case 'authorization_pending':
        case 'slow_down': {
          const next = { ...current, flow: scheduleNextPoll(currentFlow, failure.kind === 'slow_down' ? 'slow_down' : 'pending', at) };
          await records.write(sessionId, next);
          return pending(next);
        }
        case 'transient': {
          const next = { ...current, flow: scheduleNextPoll(currentFlow, 'pending', at) };
          await records.write(sessionId, next);
          return pending(next);
        }
        case 'access_denied':
          await settle(currentFlow);
          await records.write(sessionId, { ...current, flow: { ...currentFlow, outcome: 'denied' } });
          return { status: 'denied', settledNow: true };
        case 'expired_token':
        case 'rejected':
          if (failure.kind === 'rejected' && failure.code === 'InvalidClientException') await registrations.forget(current.kind);
          await settle(currentFlow);
          await records.write(sessionId, { ...current, flow: { ...currentFlow, outcome: 'expired' } });
          return { status: 'expired', settledNow: true };
      }
    });
    return result.acquired ? result.value : pending(found.record);
  }

  /** Ends a pending sign-in before it is finished (a terminal's sign-in refused in the portal). */
  async function abandon(id: string): Promise<void> {
    const found = await records.lookup(id);
    if (found.kind !== 'active') return;
    await settle(found.record.flow);
    await records.remove(found.id);
  }

  return { start, poll, abandon };
}
