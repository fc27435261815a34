import type { ActivityRow } from '@/lib/shared/activity';

/** What each event of a person's trail is called on their Activity page, in plain words. */
const WHAT: Record<string, string> = {
  authn_login_success: 'Signed in',
  authn_login_fail: 'Sign-in failed',
  session_logout: 'Signed out',
  session_expired: 'Session ended',
  credentials_issued: 'Credentials taken',
  console_signin: 'Console opened',
  authz_fail: 'Refused: not your account or role',
  input_validation_fail: 'Refused: a malformed request',
  rate_limited: 'Refused: too many requests',
  identity_mismatch: 'Signed out: the person did not match',
  terminal_login_confirmed: 'Terminal sign-in confirmed',
  terminal_login_refused: 'Terminal sign-in refused',
  terminal_session_evicted: 'Terminal session ended for a newer one',
};

/** Why, where the event says: words for people, and nothing for a reason the page has no words for. */
const WHY: Record<string, string> = {
  idle: 'unused for too long',
  absolute: 'it reached its longest allowed length',
  refresh_rejected: 'Identity Center ended it',
  token_expired: 'the Identity Center sign-in expired',
  unauthorized: 'Identity Center no longer accepted it',
  revoked: 'revoked from the Activity page',
  evicted: 'a newer terminal took its place',
  key_changed: "the portal's session key changed",
  denied: 'denied at Identity Center',
  expired: 'the code expired',
  declined: 'refused on the confirmation page',
  identity_differs: 'approved at Identity Center by someone else',
  identity_unknown: 'Identity Center did not say who approved',
  proxy_user_changed: 'presented for another person',
  identity_center_user_differs: 'approved at Identity Center by someone else',
};

/** "Credentials taken 37 times, by a terminal, from the portal's cache (signed out: …)". */
export function describeEvent(row: ActivityRow): { what: string; detail?: string } {
  const base = WHAT[row.event] ?? 'Something happened';
  const what = row.count && row.count > 1 ? `${base} ${row.count} times` : base;
  const notes = [
    row.terminal ? 'by a terminal' : undefined,
    row.cached ? "from the portal's cache" : undefined,
    row.reason && row.reason !== 'signed_out' ? WHY[row.reason] : undefined,
  ].filter((note): note is string => note !== undefined);
  return notes.length > 0 ? { what, detail: notes.join(', ') } : { what };
}
