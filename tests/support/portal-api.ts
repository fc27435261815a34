/**
 * What the fault and bad-input tests share: signing in through the portal's API as the sign-in page
 * does, reading a listing stream, the emulator's admin API, checking the API's error shape, and
 * waiting for a condition with a deadline (never a bare sleep standing in for one).
 */
import { expect } from 'vitest';

import type { RunningEmulator } from '../../emulator/server';
import type { ListingEvent } from '../../lib/shared/accounts';
import { listedAccounts, listedRoles } from './api-session';
import { PortalClient } from './browserless-client';

/** Polls `probe` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${String(lastError)})` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Polls the sign-in until it is approved, waiting as long as the portal asks between polls. */
export async function pollUntilApproved(client: PortalClient, timeoutMs = 20_000, headers: Record<string, string> = {}): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await client.post('/api/auth/device/poll', {}, headers);
    expect(response.status).toBe(200);
    const { status, retryAfterMs } = (await response.json()) as { status: string; retryAfterMs?: number };
    if (status === 'approved') return;
    if (status !== 'pending') throw new Error(`sign-in ended ${status}`);
    if (Date.now() > deadline) throw new Error('sign-in still pending at the deadline');
    await new Promise((resolve) => setTimeout(resolve, Math.min(retryAfterMs ?? 500, 1000)));
  }
}

/**
 * Signs in as `userName` through the API (the device code approved through the emulator), as the
 * page does. `headers` go with every request (an X-Forwarded-For behind a trusted proxy, say).
 */
export async function signInThroughApi(
  portalUrl: string,
  emulator: RunningEmulator,
  userName: string,
  headers: Record<string, string> = {},
): Promise<PortalClient> {
  const client = new PortalClient(portalUrl);
  const started = await client.post('/api/auth/device', {}, headers);
  expect(started.status).toBe(200);
  const { userCode } = (await started.json()) as { userCode: string };
  emulator.admin.approve(userCode, userName);
  await pollUntilApproved(client, 20_000, headers);
  return client;
}

/** The events of a listing stream (`GET /api/accounts/stream`, `POST /api/accounts/refresh`). */
export async function readListing(response: Response): Promise<ListingEvent[]> {
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('application/x-ndjson');
  const text = await response.text();
  return text
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as ListingEvent);
}

export function summariseListing(events: ListingEvent[]) {
  return {
    accountIds: listedAccounts(events),
    roles: listedRoles(events),
    roleErrors: events.flatMap((event) => (event.type === 'roles-error' ? [event] : [])),
    errors: events.flatMap((event) => (event.type === 'error' ? [event] : [])),
    done: events.at(-1),
  };
}

export interface ApiErrorBody {
  error: { code: string; message: string };
}

/**
 * Asserts the API's error shape and nothing else: exactly `{"error": {"code", "message"}}`, JSON,
 * never stored, no stack trace. Returns the body.
 */
export async function expectApiError(response: Response, status: number, code?: string): Promise<ApiErrorBody> {
  const text = await response.text();
  expect(response.status, text.slice(0, 300)).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  expect(response.headers.get('cache-control')).toBe('no-store');
  const body = JSON.parse(text) as ApiErrorBody;
  expect(Object.keys(body)).toEqual(['error']);
  expect(Object.keys(body.error).sort()).toEqual(['code', 'message']);
  expect(typeof body.error.code).toBe('string');
  expect(typeof body.error.message).toBe('string');
  expect(body.error.message).not.toMatch(/\n\s+at |Error:|node_modules|\.ts:\d/);
  if (code !== undefined) expect(body.error.code).toBe(code);
  return body;
}

/** A 503 that says when to come back: the answer whenever the portal cannot help right now. */
export async function expectUnavailable(response: Response, code: 'upstream_unavailable' | 'store_unavailable'): Promise<ApiErrorBody> {
  const retryAfter = response.headers.get('retry-after');
  const body = await expectApiError(response, 503, code);
  expect(retryAfter).toMatch(/^\d+$/);
  expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
  return body;
}

/** The emulator's admin API (`/__emulator/...`). */
export function emulatorAdmin(emulator: RunningEmulator) {
  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${emulator.url}/__emulator/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (response.status !== 200) throw new Error(`emulator ${path} answered ${response.status}: ${await response.text()}`);
    return response.json() as Promise<unknown>;
  };
  return {
    knobs: (patch: Record<string, number>) => post('knobs', patch),
    faults: (faults: { throttle?: number; error?: number; drop?: number; accountId?: string | null }) => post('faults', faults),
    resetStats: () => post('stats/reset', {}),
    stats: async () =>
      (await (await fetch(`${emulator.url}/__emulator/stats`)).json()) as {
        calls: Record<string, number>;
        throttled: number;
        injectedErrors: number;
        droppedConnections: number;
      },
  };
}
