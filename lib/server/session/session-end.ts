import 'server-only';

import type { GatehouseError } from '@/lib/server/core/errors';

import type { EndReason, SessionEnd } from './records';

/**
 * Why a terminal's session ended, in the one sentence the `gatehouse` command prints: revoked
 * (when, by whom), pushed out by newer terminals, signed out, Identity Center's session over, or a
 * portal that can no longer read it (restarted with a new session key).
 */

const REASONS: ReadonlySet<string> = new Set<EndReason>([
  'idle',
  'absolute',
  'refresh_rejected',
  'token_expired',
  'unauthorized',
  'signed_out',
  'revoked',
  'evicted',
  'key_changed',
]);

/** What a `session_ended` error knows of the end, if anything. */
export function endOf(error: GatehouseError): SessionEnd | undefined {
  const { reason, endedAt, endedBy } = error.details;
  if (reason === undefined || !REASONS.has(reason)) return undefined;
  return { reason: reason as EndReason, at: endedAt, by: endedBy };
}

/** `on 2026-12-06 at 10:02 UTC`, or nothing when the time is not known. */
function onDate(at: number | undefined): string {
  if (at === undefined) return '';
  const iso = new Date(at).toISOString();
  return ` on ${iso.slice(0, 10)} at ${iso.slice(11, 16)} UTC`;
}

export function terminalEndMessage(end: SessionEnd | undefined): string {
  if (!end) return 'Your Gatehouse session has ended or was revoked.';
  const when = onDate(end.at);
  switch (end.reason) {
    case 'revoked':
      return `Your Gatehouse session was revoked${when}${end.by ? ` by ${end.by}` : ''} from the portal's Activity page.`;
    case 'evicted':
      return `Your Gatehouse session was ended${when} to make room for a newer terminal of yours (the one used least recently goes first).`;
    case 'signed_out':
      // Without a time, nothing is known of it: a token that never was, or whose note has gone.
      if (end.at === undefined) return 'Your Gatehouse session has ended or was revoked.';
      return `Your Gatehouse session was signed out${when} (gatehouse logout, or a new sign-in from this machine).`;
    case 'idle':
      return `Your Gatehouse session ended${when} after it went unused.`;
    case 'absolute':
      return `Your Gatehouse session reached its longest allowed length${when}.`;
    case 'refresh_rejected':
    case 'token_expired':
    case 'unauthorized':
      return `Your Gatehouse session ended${when} because your Identity Center session ended.`;
    case 'key_changed':
      return "Your Gatehouse session can no longer be read: the portal's session key changed (it was restarted with a new SESSION_SECRET).";
  }
}
