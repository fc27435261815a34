'use client';

import type { ApiError } from '@/lib/shared/api';

/** The browser side of the portal API: same-origin JSON POSTs, and a 401 sends the person to sign in. */

export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiRequestError';
  }
}

function isApiError(value: unknown): value is ApiError {
  return typeof value === 'object' && value !== null && 'error' in value;
}

export async function apiRequest<T>(path: string, init: { method?: 'GET' | 'POST'; body?: unknown } = {}): Promise<T> {
  const method = init.method ?? 'POST';
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      cache: 'no-store',
      headers: method === 'POST' ? { 'Content-Type': 'application/json' } : undefined,
      body: method === 'POST' ? JSON.stringify(init.body ?? {}) : undefined,
    });
  } catch {
    throw new ApiRequestError(0, 'network', 'The portal could not be reached. Check your connection.');
  }
  const payload: unknown = await response.json().catch(() => null);
  if (response.status === 401 && path !== '/api/auth/logout') {
    // A full load on purpose: nothing of the ended session stays in the page's memory.
    // eslint-disable-next-line @next/next/no-location-assign-relative-destination
    window.location.assign('/sign-in?reason=session-ended');
  }
  if (!response.ok) {
    const message = isApiError(payload) ? payload.error.message : `The portal answered ${response.status}.`;
    const code = isApiError(payload) ? payload.error.code : 'http_error';
    throw new ApiRequestError(response.status, code, message);
  }
  return payload as T;
}
