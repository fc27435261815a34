'use client';

import { useCallback, useEffect, useRef, useState } from 'react';

import { ApiRequestError } from '@/components/api-client';
import { useInstanceKey } from '@/components/instance-context';
import { clockTime, timeLeftInSeconds } from '@/components/time-text';
import { useNow } from '@/components/use-now';
import type { CredentialsDTO } from '@/lib/shared/credential-text';

import { withBusyRetries } from './busy-retries';
import { requestCredentials } from './request';

/** Said once, when this much time is left. */
const EXPIRY_WARNING_MS = 5 * 60_000;
/** When Identity Center is busy and says nothing about waiting. */
const DEFAULT_RETRY_SECONDS = 5;

export type CredentialsFailure =
  | { kind: 'forbidden' }
  | { kind: 'busy'; retryAt: number }
  | { kind: 'other'; message: string };

export interface RoleCredentials {
  /** The access keys while they are valid, else null. */
  live: CredentialsDTO | null;
  expiresAt: number | null;
  /** When the last access keys expired, while no fresh ones are shown. */
  expiredShown: number | null;
  /** Access keys were fetched at least once (the button then offers fresh ones). */
  hasHad: boolean;
  pending: boolean;
  failure: CredentialsFailure | null;
  /** Ticks every second while a countdown is shown. */
  now: number;
  /** What the panel's status region says. */
  announcement: string;
  /** Fetches access keys; never rejects (every failure becomes `failure`). */
  get: () => Promise<void>;
}

/**
 * The access keys of one role: fetched only when asked (POST /api/credentials), kept in this hook's
 * memory only (never in storage or a URL), with a live clock for the countdown, and dropped when
 * they expire (warned a little before, told when, offered fresh ones).
 */
export function useRoleCredentials(accountId: string, roleName: string): RoleCredentials {
  const instanceKey = useInstanceKey();
  const [credentials, setCredentials] = useState<CredentialsDTO | null>(null);
  const [pending, setPending] = useState(false);
  const [failure, setFailure] = useState<CredentialsFailure | null>(null);
  const [expiredAt, setExpiredAt] = useState<number | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const pendingRef = useRef(false);

  const expiresAt = credentials ? Date.parse(credentials.expiration) : null;
  const retryAt = failure?.kind === 'busy' ? failure.retryAt : null;
  const now = useNow(expiresAt !== null || retryAt !== null);
  // Past expiry (a sleeping laptop can delay the timer below), the keys are no longer offered.
  const live = credentials !== null && expiresAt !== null && now < expiresAt ? credentials : null;

  useEffect(() => {
    if (expiresAt === null) return;
    const left = expiresAt - Date.now();
    const timers: ReturnType<typeof setTimeout>[] = [];
    if (left > EXPIRY_WARNING_MS) {
      timers.push(setTimeout(() => setAnnouncement(`The access keys expire in ${EXPIRY_WARNING_MS / 60_000} minutes.`), left - EXPIRY_WARNING_MS));
    }
    timers.push(
      setTimeout(() => {
        setCredentials(null);
        setExpiredAt(expiresAt);
        setAnnouncement('The access keys have expired. Get fresh access keys to go on.');
      }, Math.max(0, left)),
    );
    return () => timers.forEach(clearTimeout);
  }, [expiresAt]);

  const get = useCallback(async () => {
    if (pendingRef.current) return;
    pendingRef.current = true;
    setPending(true);
    setFailure(null);
    setAnnouncement('Getting access keys…');
    try {
      // Throttling is waited out within a budget, without the person pressing again.
      const received = await withBusyRetries(() => requestCredentials(accountId, roleName, instanceKey));
      const left = Date.parse(received.expiration) - Date.now();
      setCredentials(received);
      setExpiredAt(null);
      setAnnouncement(`Access keys received. They expire at ${clockTime(Date.parse(received.expiration))}, in ${timeLeftInSeconds(left)}.`);
    } catch (error) {
      if (error instanceof ApiRequestError && error.status === 401) return; // on the way to sign in
      if (error instanceof ApiRequestError && error.status === 403 && error.code === 'forbidden') {
        setCredentials(null);
        setFailure({ kind: 'forbidden' });
      } else if (error instanceof ApiRequestError && (error.status === 503 || error.status === 429)) {
        setFailure({ kind: 'busy', retryAt: Date.now() + (error.retryAfterSeconds ?? DEFAULT_RETRY_SECONDS) * 1000 });
      } else {
        setFailure({ kind: 'other', message: error instanceof Error ? error.message : 'The access keys could not be fetched. Try again.' });
      }
      setAnnouncement('');
    } finally {
      pendingRef.current = false;
      setPending(false);
    }
  }, [accountId, roleName, instanceKey]);

  return {
    live,
    expiresAt,
    expiredShown: live === null ? (expiredAt ?? expiresAt) : null,
    hasHad: credentials !== null || expiredAt !== null,
    pending,
    failure,
    now,
    announcement,
    get,
  };
}
