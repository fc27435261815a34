/**
 * Helpers for integration tests that drive the portal API as several people: sign-in through the
 * API (approved on the emulator as anyone), the listing stream, the emulator's call counters and
 * the portal's audit lines.
 */
import type { RunningEmulator } from '../../emulator/server';
import type { ListingEvent } from '../../lib/shared/accounts';
import { PortalClient } from './browserless-client';

export const SESSION_COOKIE = '__Host-gatehouse-session';

/** A PortalClient that sends some headers with every request (an authenticating proxy's, a forwarded address). */
export class HeaderClient extends PortalClient {
  constructor(
    baseUrl: string,
    public extraHeaders: Record<string, string> = {},
  ) {
    super(baseUrl);
  }

  override get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    return super.get(path, { ...this.extraHeaders, ...headers });
  }

  override post(path: string, body: unknown = {}, headers: Record<string, string> = {}): Promise<Response> {
    return super.post(path, body, { ...this.extraHeaders, ...headers });
  }

  /** The same person (same cookie jar) talking to another portal instance. */
  on(baseUrl: string): HeaderClient {
    const other = new HeaderClient(baseUrl, this.extraHeaders);
    for (const [name, value] of this.cookies) other.cookies.set(name, value);
    return other;
  }
}

/** Polls `probe` until it returns a value, or fails after `timeoutMs`. */
export async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Polls the sign-in at the pace the server asks for until it settles; returns the final status. */
export async function pollSignIn(client: PortalClient, query = ''): Promise<string> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const response = await client.post(`/api/auth/device/poll${query}`);
    if (response.status !== 200) throw new Error(`poll answered ${response.status}: ${await response.text()}`);
    const { status, retryAfterMs } = (await response.json()) as { status: string; retryAfterMs?: number };
    if (status !== 'pending') return status;
    if (Date.now() > deadline) throw new Error('the sign-in never settled');
    await new Promise((resolve) => setTimeout(resolve, Math.min(retryAfterMs ?? 500, 1000)));
  }
}

/** Starts a sign-in through the API and approves it on the emulator as `approveAs`. */
export async function signIn(
  baseUrl: string,
  emulator: RunningEmulator,
  approveAs: string,
  headers: Record<string, string> = {},
  /** With several Identity Center instances: which one, and the client (cookie jar) to sign in with. */
  options: { instance?: string; client?: HeaderClient } = {},
): Promise<HeaderClient> {
  const client = options.client ?? new HeaderClient(baseUrl, headers);
  const query = options.instance ? `?instance=${options.instance}` : '';
  const start = await client.post(`/api/auth/device${query}`);
  if (start.status !== 200) throw new Error(`sign-in start answered ${start.status}: ${await start.text()}`);
  const { userCode } = (await start.json()) as { userCode: string };
  emulator.admin.approve(userCode, approveAs);
  const status = await pollSignIn(client, query);
  if (status !== 'approved') throw new Error(`sign-in ended ${status}`);
  return client;
}

/** Reads a whole listing stream. */
export async function readListing(response: Response): Promise<ListingEvent[]> {
  if (response.status !== 200) throw new Error(`listing answered ${response.status}: ${await response.text()}`);
  const text = await response.text();
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

/** The emulator's call counters by operation (ListAccounts, GetRoleCredentials, STS, Logout, …). */
export async function emulatorCalls(emulator: RunningEmulator): Promise<Record<string, number>> {
  const stats = (await (await fetch(`${emulator.url}/__emulator/stats`)).json()) as { calls: Record<string, number> };
  return stats.calls;
}

/** Zeroes the emulator's call counters (a JSON POST, as the admin API requires of state changes). */
export async function resetEmulatorStats(emulator: RunningEmulator): Promise<void> {
  const response = await fetch(`${emulator.url}/__emulator/stats/reset`, { method: 'POST', headers: { 'content-type': 'application/json' } });
  if (response.status !== 200) throw new Error(`emulator stats reset answered ${response.status}: ${await response.text()}`);
}

/** Calls that reach Identity Center or STS on behalf of a person (not the device page, not the admin API). */
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
