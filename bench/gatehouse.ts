/**
 * Gatehouse end to end: sign in through the portal API (device flow, approved on the emulator), then read
 * GET /api/accounts/stream line by line as the events arrive and time them from the moment the request is sent.
 */
import type { RunningEmulator } from '../emulator/server';
import type { ListingEvent } from '../lib/shared/accounts';
import { emulatorAdmin, type EmulatorStats } from '../scripts/support/emulator-admin';
import { type PortalClient, SESSION_COOKIE, signIn } from '../scripts/support/portal-client';

/** Signs in as `userName` through the portal's API; returns the client holding the session cookie. */
export async function signInThroughPortal(portalUrl: string, emulator: RunningEmulator, userName: string): Promise<PortalClient> {
  const client = await signIn(portalUrl, emulator, userName);
  if (!client.cookies.has(SESSION_COOKIE)) throw new Error('signed in but no session cookie was set');
  return client;
}

export interface StreamMeasurement {
  status: number;
  cached: boolean | undefined;
  /** ms from sending the request to the response headers. */
  headersMs: number | undefined;
  firstAccountsMs: number | undefined;
  first100AccountsMs: number | undefined;
  allAccountsMs: number | undefined;
  allRolesMs: number | undefined;
  /** ms to the `identity` event, when there was one. */
  identityMs: number | undefined;
  accounts: number;
  accountsCompleteTotal: number | undefined;
  roles: number;
  accountsWithRoles: number;
  rolesErrors: number;
  errors: number;
  /** roles-error + error events, plus 1 for a non-2xx answer or a stream that ended without `done`. */
  failedRequests: number;
  done: Extract<ListingEvent, { type: 'done' }> | undefined;
  completed: boolean;
  /** Event counts by type. */
  events: Record<string, number>;
  /** The first few error messages, for the report. */
  errorMessages: string[];
  /** Time from `accounts-complete` to the arrival of roles, in deciles of accounts with roles (ms). */
  rolesProgressMs: number[];
  stats: EmulatorStats;
  hitCap: boolean;
}

function isListingEvent(value: unknown): value is ListingEvent {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

/** Reads the stream; `capMs` aborts a listing that never ends, `stop` one the bench no longer wants. */
/** The listing to read: the normal stream, or an explicit refresh (the same events, never from the cache). */
export type ListingRequest = 'stream' | 'refresh';

export async function measureStream(
  client: PortalClient,
  emulator: RunningEmulator,
  capMs: number,
  stop?: AbortSignal,
  which: ListingRequest = 'stream',
): Promise<StreamMeasurement> {
  const admin = emulatorAdmin(emulator);
  await admin.resetStats();
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), capMs);
  stop?.addEventListener('abort', () => controller.abort(), { once: true });
  const m: Omit<StreamMeasurement, 'stats' | 'failedRequests' | 'completed' | 'hitCap'> = {
    status: 0,
    cached: undefined,
    headersMs: undefined,
    firstAccountsMs: undefined,
    first100AccountsMs: undefined,
    allAccountsMs: undefined,
    allRolesMs: undefined,
    identityMs: undefined,
    accounts: 0,
    accountsCompleteTotal: undefined,
    roles: 0,
    accountsWithRoles: 0,
    rolesErrors: 0,
    errors: 0,
    done: undefined,
    events: {},
    errorMessages: [],
    rolesProgressMs: [],
  };
  const roleArrivals: number[] = [];
  let aborted = false;
  const started = performance.now();
  const elapsed = () => performance.now() - started;
  try {
    const accept = { accept: 'application/x-ndjson' };
    const response =
      which === 'stream'
        ? await client.get('/api/accounts/stream', accept, { signal: controller.signal })
        : await client.post('/api/accounts/refresh', {}, accept, { signal: controller.signal }); // what the page sends: a same-origin JSON POST
    m.headersMs = elapsed();
    m.status = response.status;
    if (response.ok && response.body) {
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      const handle = (line: string) => {
        if (line.trim() === '') return;
        const at = elapsed();
        let parsed: unknown;
        try {
          parsed = JSON.parse(line);
        } catch {
          m.errors += 1;
          m.errorMessages.push(`unparsable line: ${line.slice(0, 80)}`);
          return;
        }
        if (!isListingEvent(parsed)) return;
        const event = parsed;
        m.events[event.type] = (m.events[event.type] ?? 0) + 1;
        switch (event.type) {
          case 'start':
            m.cached = event.cached;
            break;
          case 'accounts':
            m.accounts += event.accounts.length;
            m.firstAccountsMs ??= at;
            if (m.accounts >= 100) m.first100AccountsMs ??= at;
            break;
          case 'accounts-complete':
            m.allAccountsMs = at;
            m.accountsCompleteTotal = event.total;
            // Fewer than 100 accounts in all: "first 100" means all of them.
            if (event.total < 100) m.first100AccountsMs ??= at;
            break;
          case 'roles':
            m.roles += event.roles.length;
            m.accountsWithRoles += 1;
            roleArrivals.push(at);
            break;
          case 'roles-error':
            m.rolesErrors += 1;
            if (m.errorMessages.length < 5) m.errorMessages.push(`roles-error ${event.accountId}: ${event.message}`);
            roleArrivals.push(at);
            break;
          case 'identity':
            m.identityMs = at;
            break;
          case 'error':
            m.errors += 1;
            if (m.errorMessages.length < 5) m.errorMessages.push(`error: ${event.message}`);
            break;
          case 'done':
            m.done = event;
            m.allRolesMs = at;
            break;
        }
      };
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let newline = buffer.indexOf('\n');
        while (newline >= 0) {
          handle(buffer.slice(0, newline));
          buffer = buffer.slice(newline + 1);
          newline = buffer.indexOf('\n');
        }
      }
      handle(buffer + decoder.decode());
    } else {
      m.errorMessages.push(`${which === 'stream' ? 'GET /api/accounts/stream' : 'POST /api/accounts/refresh'} answered ${response.status}: ${(await response.text()).slice(0, 200)}`);
    }
  } catch (error) {
    if (controller.signal.aborted) aborted = true;
    else m.errorMessages.push(`stream failed: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    clearTimeout(timer);
  }
  const completed = m.done !== undefined;
  const failedRequests = m.rolesErrors + m.errors + (m.status >= 200 && m.status < 300 ? 0 : 1) + (completed || m.status < 200 || m.status >= 300 ? 0 : 1);
  if (roleArrivals.length > 0) {
    for (let decile = 1; decile <= 10; decile += 1) {
      const index = Math.min(roleArrivals.length - 1, Math.ceil((roleArrivals.length * decile) / 10) - 1);
      m.rolesProgressMs.push(roleArrivals[index] ?? 0);
    }
  }
  return { ...m, failedRequests, completed, hitCap: aborted, stats: await admin.stats() };
}
