/**
 * What integration tests check of the portal's API, driven through scripts/support/portal-client.ts:
 * listing streams, the API's error shape, the calls that reached AWS, the portal's audit lines, and
 * waiting for a condition with a deadline (never a bare sleep standing in for one).
 */
import { expect } from 'vitest';

import type { RunningEmulator } from '../../emulator/server';
import type { ListingEvent } from '../../lib/shared/accounts';
import { type PortalClient, signIn } from '../../scripts/support/portal-client';

export interface UntilOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** A probe that throws is asked again (the last error is named at the deadline), rather than failing at once. */
  retryErrors?: boolean;
}

/** Polls `probe` until it returns a value other than undefined, or fails after `timeoutMs` (15 s). */
export async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, options: UntilOptions = {}): Promise<T> {
  const { timeoutMs = 15_000, intervalMs = 50, retryErrors = false } = options;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      if (!retryErrors) throw error;
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${String(lastError)})` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Signs in through the API and lists once: the listing (and the user name with it) is what the portal authorizes against. */
export async function signInListed(portalUrl: string, emulator: Pick<RunningEmulator, 'admin'>, userName: string): Promise<PortalClient> {
  const client = await signIn(portalUrl, emulator, userName);
  await (await client.get('/api/accounts/stream')).text();
  return client;
}

/** What `readListing` asserts of a listing's headers besides its 200. */
export interface ListingHeaders {
  /** Content-Type is application/x-ndjson. */
  ndjson?: boolean;
  /** Cache-Control is exactly no-store. */
  noStore?: boolean;
}

/** The events of a whole listing stream (`GET /api/accounts/stream`, `POST /api/accounts/refresh`); the answer must be a 200. */
export async function readListing(response: Response, headers: ListingHeaders = {}): Promise<ListingEvent[]> {
  const text = await response.text();
  expect(response.status, text.slice(0, 300)).toBe(200);
  if (headers.ndjson) expect(response.headers.get('content-type')).toContain('application/x-ndjson');
  if (headers.noStore) expect(response.headers.get('cache-control')).toBe('no-store');
  return text
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as ListingEvent);
}

export function listedAccounts(events: ListingEvent[]): string[] {
  return events.flatMap((event) => (event.type === 'accounts' ? event.accounts.map((account) => account.accountId) : []));
}

export function listedRoles(events: ListingEvent[]): Map<string, string[]> {
  const roles = new Map<string, string[]>();
  for (const event of events) if (event.type === 'roles') roles.set(event.accountId, event.roles.map((role) => role.roleName));
  return roles;
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

/** Calls that reach Identity Center or STS on behalf of a person (not the device page, not the admin API), from the emulator's counters. */
export function awsCalls(calls: Record<string, number>): Record<string, number> {
  const names = ['RegisterClient', 'StartDeviceAuthorization', 'CreateToken', 'ListAccounts', 'ListAccountRoles', 'GetRoleCredentials', 'Logout', 'STS'];
  return Object.fromEntries(names.map((name) => [name, calls[name] ?? 0]));
}

export type AuditLine = Record<string, unknown> & { event: string };

/** Every audit line a portal printed so far, parsed. */
export function auditLines(output: string): AuditLine[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{') && line.includes('"audit":true'))
    .map((line) => JSON.parse(line) as AuditLine);
}

/** What a page says, as text: no tags, no React's text separators, entities decoded, spaces folded. */
export function pageText(html: string): string {
  return html
    .replace(/<!-- -->/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}
