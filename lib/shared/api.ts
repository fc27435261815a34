/** Shapes of the portal's JSON API, shared by the route handlers and the browser code. */

export type ApiErrorCode =
  | 'bad_request'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'forbidden_origin'
  | 'forbidden'
  | 'unauthenticated'
  | 'session_ended'
  | 'not_found'
  | 'unknown_instance'
  | 'conflict'
  | 'method_not_allowed'
  | 'rate_limited'
  | 'upstream_unavailable'
  | 'upstream_invalid'
  | 'store_unavailable'
  | 'internal';

export interface ApiError {
  error: { code: ApiErrorCode; message: string };
}

export interface StartSignInResponse {
  userCode: string;
  verificationUri: string;
  verificationUriComplete: string;
  /** ISO 8601. */
  expiresAt: string;
  intervalSeconds: number;
}

export type SignInStatus = 'pending' | 'approved' | 'denied' | 'expired';

export interface PollSignInResponse {
  status: SignInStatus;
  /** When pending: ask again after this long. */
  retryAfterMs?: number;
  /** When pending: ISO 8601 expiry of the code. */
  expiresAt?: string;
}

/** What ends a session first: no use for the idle time, its maximum length, or Identity Center's own session. */
export type SessionEnding = 'idle' | 'absolute' | 'identity_center';

export interface SessionResponse {
  signedIn: boolean;
  user?: string;
  /** ISO 8601: when the session ends if nothing else happens (idle, absolute or Identity Center, whichever first). */
  expiresAt?: string;
  endsBecause?: SessionEnding;
  /** With several instances configured: the instance the fields above are about (its key). */
  instance?: string;
  /** With several instances configured: where this browser stands with each. */
  instances?: InstanceSessionState[];
}

export interface InstanceSessionState {
  key: string;
  name: string;
  signedIn: boolean;
  user?: string;
  expiresAt?: string;
}
