'use client';

import type { ApiError } from '@/lib/shared/api';

/** The browser side of the portal API: same-origin requests, and a 401 sends the person to sign in. */

export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Seconds to wait before asking again, from Retry-After (429, 503); null when not given. */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
    this.name = 'ApiRequestError';
  }
}

function isApiError(value: unknown): value is ApiError {
  return typeof value === 'object' && value !== null && 'error' in value;
}

function retryAfter(response: Response): number | null {
  const header = response.headers.get('Retry-After');
  if (header === null) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

/**
 * One request to the portal: a network failure or a non-2xx answer becomes an ApiRequestError
 * with the API's code and message; a 401 sends the person to sign in (back to `returnTo` when given).
 * Resolves with the response for the caller to read.
 */
export async function portalFetch(
  path: string,
  init: { method?: 'GET' | 'POST'; body?: unknown; accept?: string; signal?: AbortSignal; returnTo?: string } = {},
): Promise<Response> {
  const method = init.method ?? 'POST';
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      cache: 'no-store',
      headers: {
        ...(method === 'POST' ? { 'Content-Type': 'application/json' } : {}),
        ...(init.accept ? { Accept: init.accept } : {}),
      },
      body: method === 'POST' ? JSON.stringify(init.body ?? {}) : undefined,
      signal: init.signal,
    });
  } catch (error) {
    if (init.signal?.aborted) throw error;
    throw new ApiRequestError(0, 'network', 'The portal could not be reached. Check your connection.');
  }
  if (response.status === 401 && !path.startsWith('/api/auth/logout')) {
    const next = init.returnTo ? `&next=${encodeURIComponent(init.returnTo)}` : '';
    // The session of the instance the call was about ended: sign in to that one again.
    const instance = new URL(path, window.location.origin).searchParams.get('instance');
    const which = instance ? `&instance=${encodeURIComponent(instance)}` : '';
    // A full load on purpose: nothing of the ended session stays in the page's memory.
    // eslint-disable-next-line @next/next/no-location-assign-relative-destination
    window.location.assign(`/sign-in?reason=session-ended${which}${next}`);
  }
  if (!response.ok) {
    const payload: unknown = await response.json().catch(() => null);
    throw new ApiRequestError(
      response.status,
      isApiError(payload) ? payload.error.code : 'http_error',
      isApiError(payload) ? payload.error.message : `The portal answered ${response.status}.`,
      retryAfter(response),
    );
  }
  return response;
}

export async function apiRequest<T>(path: string, init: { method?: 'GET' | 'POST'; body?: unknown } = {}): Promise<T> {
  const response = await portalFetch(path, init);
  return (await response.json().catch(() => null)) as T;
}
