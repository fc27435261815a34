import 'server-only';

import type { OidcGateway } from '@/lib/server/aws/oidc';
import { GatehouseError } from '@/lib/server/core/errors';

import type { ClientRegistrations } from './client-registration';
import { isSignedIn, type SessionKind, type SignedInRecord } from './record';
import { LOCK_WAIT_MS, refreshLockName, sessionEnded, type SessionRecords, type SessionSettings } from './records';

/**
 * The session's SSO access token, refreshed before it expires: under a per-session lock (one
 * refresh, whatever the number of requests and instances), keeping the rotated refresh token, and
 * ending the session only on a definitive rejection. A refresh that extends nothing reveals when
 * Identity Center's own session ends.
 */

/**
 * A still-valid access token younger than this is not refreshed: a refresh could gain at most this
 * long, and the gap makes a refresh that extended nothing (the Identity Center session's end) certain.
 */
const MIN_REFRESH_AGE_MS = 5_000;

export interface TokenUse {
  token: string;
  record: SignedInRecord;
  id: string;
}

export function createTokenRefresh(deps: {
  records: SessionRecords;
  registrations: ClientRegistrations;
  oidc: OidcGateway;
  now: () => number;
  settings: SessionSettings;
  pause: (ms: number) => Promise<void>;
}) {
  const { records, now, settings } = deps;

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

  async function refresh(id: string, record: SignedInRecord): Promise<SignedInRecord> {
    const refreshToken = record.sso.refreshToken;
    if (!refreshToken) {
      if (now() < record.sso.accessTokenExpiresAt) return record;
      await records.end(id, 'token_expired', record);
      throw sessionEnded('token_expired', { at: now() });
    }
    // A refresh token is good only with the client it was issued to: the browsers' or the terminals'.
    const client = await deps.registrations.current(record.kind);
    const answer = await deps.oidc.createToken(client, { refreshToken });
    if (answer.ok) {
      const at = now();
      const accessTokenExpiresAt = at + answer.value.expiresInSeconds * 1000;
      const next: SignedInRecord = {
        ...record,
        sso: {
          accessToken: answer.value.accessToken,
          accessTokenExpiresAt,
          accessTokenIssuedAt: at,
          // Identity Center rotates refresh tokens; keep the old one only if none came back.
          refreshToken: answer.value.refreshToken ?? refreshToken,
          sessionEndsAt: record.sso.sessionEndsAt ?? identityCenterSessionEnd(record.sso, at, accessTokenExpiresAt),
        },
      };
      await records.write(id, next);
      return next;
    }
    if (answer.failure.kind === 'transient' || answer.failure.kind === 'slow_down') {
      // Throttling and 5xx keep the session: the current token serves while it lasts.
      if (now() < record.sso.accessTokenExpiresAt) return record;
      throw new GatehouseError('upstream_unavailable');
    }
    await records.end(id, 'refresh_rejected', record);
    throw sessionEnded('refresh_rejected', { at: now() });
  }

  /**
   * The session's SSO access token, refreshed first when it is due. Counts as use (the idle window
   * starts again) unless `countAsUse` is false: asking how long a session has left is not use.
   * Throws a `session_ended` error when there is no usable session.
   */
  async function accessToken(
    id: string | undefined,
    options: { countAsUse?: boolean; holder?: SessionKind } = {},
  ): Promise<TokenUse> {
    const found = await records.lookup(id, options.holder);
    if (found.kind === 'ended') throw sessionEnded(found.reason, found);
    if (found.kind === 'none' || !isSignedIn(found.record)) throw sessionEnded('signed_out');
    const sessionId = found.id;
    const countAsUse = options.countAsUse ?? true;
    let record = countAsUse ? await records.touch(sessionId, found.record) : found.record;

    if (!refreshDue(record.sso)) {
      if (now() < record.sso.accessTokenExpiresAt) return { token: record.sso.accessToken, record, id: sessionId };
      await records.end(sessionId, 'token_expired', record);
      throw sessionEnded('token_expired', { at: now() });
    }

    const deadline = now() + LOCK_WAIT_MS;
    for (;;) {
      const result = await records.withLock(refreshLockName(sessionId), async () => {
        // Re-read under the lock: another request or instance may have refreshed already.
        const current = await records.read(sessionId);
        if (!current || !isSignedIn(current)) throw sessionEnded('signed_out');
        if (!refreshDue(current.sso)) return current;
        return refresh(sessionId, current);
      });
      if (result.acquired) {
        record = result.value;
        break;
      }
      await deps.pause(100);
      const current = await records.read(sessionId);
      if (!current || !isSignedIn(current)) throw sessionEnded('signed_out');
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
        throw new GatehouseError('upstream_unavailable');
      }
    }
    const lastSeenAt = countAsUse ? Math.max(record.lastSeenAt, now()) : found.record.lastSeenAt;
    return { token: record.sso.accessToken, record: { ...record, lastSeenAt }, id: sessionId };
  }

  return { accessToken };
}
