import type { ApiErrorCode } from './api';

/**
 * The one table from error code to answer: its HTTP status, the heading of the page a browser
 * gets for it, and what people are told when nothing more specific is said. The server answers
 * API errors and pages from it; the browser's error page reads its headings too. No zod here: the
 * browser imports it.
 */

export interface ErrorEntry {
  status: number;
  /** The heading of the page a browser gets for it. */
  title: string;
  /** What people are told when the thrower says nothing more specific. */
  message: string;
  /** Retry-After in seconds, when the code always carries one. */
  retryAfterSeconds?: number;
}

/** The one table from code to answer. */
export const ERRORS: Record<ApiErrorCode, ErrorEntry> = {
  bad_request: { status: 400, title: 'Not a valid request', message: 'The request is not valid.' },
  payload_too_large: { status: 413, title: 'Not a valid request', message: 'The request body is too large.' },
  unsupported_media_type: { status: 415, title: 'Not a valid request', message: 'Send the request body as application/json.' },
  forbidden_origin: { status: 403, title: 'Refused', message: 'This request must come from the portal itself.' },
  forbidden: { status: 403, title: 'No access', message: 'You do not have that role in that account.' },
  unauthenticated: { status: 401, title: 'Sign in', message: 'There is no session. Sign in first.' },
  session_ended: { status: 401, title: 'Your session has ended', message: 'Your session has ended. Sign in again.' },
  not_found: { status: 404, title: 'Not found', message: 'There is no such thing here.' },
  unknown_instance: { status: 400, title: 'Unknown Identity Center', message: 'No Identity Center instance is configured under that name.' },
  conflict: { status: 409, title: 'Try again', message: 'That cannot be done just now.' },
  method_not_allowed: { status: 405, title: 'Not allowed', message: 'This method is not allowed on this route.' },
  rate_limited: { status: 429, title: 'Too many requests', message: 'Too many requests. Wait a moment and try again.', retryAfterSeconds: 60 },
  upstream_unavailable: {
    status: 503,
    title: 'Try again',
    message: 'IAM Identity Center did not answer. Try again in a few seconds.',
    retryAfterSeconds: 5,
  },
  upstream_invalid: {
    status: 502,
    title: 'Not used',
    message: 'Identity Center answered in a form AWS does not document, so Gatehouse did not use the answer. Ask your administrator.',
  },
  store_unavailable: { status: 503, title: 'Try again', message: 'The session store is unavailable. Try again shortly.', retryAfterSeconds: 5 },
  internal: { status: 500, title: 'Something went wrong', message: 'Something went wrong on the portal. Try again.' },
};

