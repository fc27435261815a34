import 'server-only';

import type { ApiErrorCode } from '@/lib/shared/api';
import { ERRORS } from '@/lib/shared/errors';

export { ERRORS } from '@/lib/shared/errors';

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
  /** When a session ended and who ended it, where the portal remembers (a terminal's session). */
  endedAt?: number;
  endedBy?: string;
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
    this.details = {
      retryAfterSeconds: details.retryAfterSeconds,
      attempt: details.attempt,
      reason: details.reason,
      endedAt: details.endedAt,
      endedBy: details.endedBy,
    };
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

/** The Retry-After an error's answer carries, if any. */
export function retryAfterOf(error: GatehouseError): number | undefined {
  return error.details.retryAfterSeconds ?? ERRORS[error.code].retryAfterSeconds;
}
