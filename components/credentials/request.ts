'use client';

import type { ApiError } from '@/lib/shared/api';
import type { CredentialsDTO } from '@/lib/shared/credential-text';

/**
 * `POST /api/credentials` from the browser. Like `apiRequest`, but a failure keeps what the page
 * needs to say: the status, the error code, and how long to wait (Retry-After) when Identity Center
 * is busy or the person asked too often. The credentials live only in the caller's memory.
 */

export class CredentialsRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Seconds to wait before asking again, from Retry-After. */
    readonly retryAfterSeconds: number | null,
  ) {
    super(message);
    this.name = 'CredentialsRequestError';
  }
}

function isApiError(value: unknown): value is ApiError {
  return typeof value === 'object' && value !== null && 'error' in value;
}

function isCredentials(value: unknown): value is CredentialsDTO {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return ['accessKeyId', 'secretAccessKey', 'sessionToken', 'expiration'].every((key) => typeof record[key] === 'string');
}

function retryAfter(response: Response): number | null {
  const header = response.headers.get('Retry-After');
  if (header === null) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

export async function requestCredentials(accountId: string, roleName: string): Promise<CredentialsDTO> {
  let response: Response;
  try {
    response = await fetch('/api/credentials', {
      method: 'POST',
      credentials: 'same-origin',
      cache: 'no-store',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ accountId, roleName }),
    });
  } catch {
    throw new CredentialsRequestError(0, 'network', 'The portal could not be reached. Check your connection.', null);
  }
  const payload: unknown = await response.json().catch(() => null);
  if (response.status === 401) {
    // A full load on purpose: nothing of the ended session stays in the page's memory.
    // eslint-disable-next-line @next/next/no-location-assign-relative-destination
    window.location.assign(`/sign-in?reason=session-ended&next=${encodeURIComponent(window.location.pathname)}`);
  }
  if (!response.ok) {
    throw new CredentialsRequestError(
      response.status,
      isApiError(payload) ? payload.error.code : 'http_error',
      isApiError(payload) ? payload.error.message : `The portal answered ${response.status}.`,
      retryAfter(response),
    );
  }
  if (!isCredentials(payload)) throw new CredentialsRequestError(response.status, 'bad_response', 'The portal sent an unexpected answer. Try again.', null);
  return payload;
}
