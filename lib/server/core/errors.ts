import 'server-only';

import type { ApiErrorCode } from '@/lib/shared/api';

/**
 * The one error the portal's server code throws at its callers: a code from the API's union, a
 * message for people, and what the answer needs (a Retry-After, the attempt an authorization
 * refusal is audited with). One table turns a code into its HTTP status, its JSON answer and its
 * HTML page. Never a value from AWS in a message: they are written by the portal.
 *
 * Next.js may load a module in more than one bundle in one process, so a class can exist twice and
 * `instanceof` is unreliable; the error is recognised by a process-wide brand instead.
 */

const BRAND = Symbol.for('gatehouse.error');

export interface ErrorDetails {
  /** Seconds to wait before asking again (429, 503). */
  retryAfterSeconds?: number;
  /** What was asked for, for the audit record of a refusal. */
  attempt?: { accountId: string; roleName?: string };
  /** Why a session ended (idle, absolute, …), for the sign-in page and the audit. */
  reason?: string;
  /** The underlying error, for logs by name only. */
  cause?: unknown;
}

export class GatehouseError extends Error {
  readonly [BRAND] = true;
  readonly code: ApiErrorCode;
  readonly details: Omit<ErrorDetails, 'cause'>;

  constructor(code: ApiErrorCode, message: string = ERRORS[code].message, details: ErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'GatehouseError';
    this.code = code;
    this.details = { retryAfterSeconds: details.retryAfterSeconds, attempt: details.attempt, reason: details.reason };
  }

  get status(): number {
    return ERRORS[this.code].status;
  }
}

export function isGatehouseError(value: unknown): value is GatehouseError {
  return typeof value === 'object' && value !== null && (value as { [BRAND]?: unknown })[BRAND] === true;
}

/** True for a coded error with one of these codes. */
export function hasCode(value: unknown, ...codes: ApiErrorCode[]): value is GatehouseError {
  return isGatehouseError(value) && codes.includes(value.code);
}

interface ErrorEntry {
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

/** The Retry-After an error's answer carries, if any. */
export function retryAfterOf(error: GatehouseError): number | undefined {
  return error.details.retryAfterSeconds ?? ERRORS[error.code].retryAfterSeconds;
}
