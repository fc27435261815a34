import type { AccountDTO, ListingDiff, ListingEvent, RejectedEntry } from '@/lib/shared/accounts';
import { accountSearchText, compareAccounts, roleSearchText, sortedRoles } from '@/lib/shared/search';

/**
 * The accounts page's listing in the browser, as it streams in: a reducer over ListingEvents.
 * Pure functions only, no React: unit-tested in tests/unit/accounts-model.test.ts, as are the
 * search (lib/shared/search.ts, shared with the terminal's picker) and lib/shared/words.ts.
 *
 * Only *types* come from lib/shared/accounts (here and in every client module of this page): its
 * value exports build zod schemas at module load, which would put zod into the page's JavaScript.
 */

/** `accountId/roleName`, the favorites API's key of a role (the same as lib/shared/accounts `roleKey`). */
export const roleKey = (accountId: string, roleName: string): string => `${accountId}/${roleName}`;

export function splitRoleKey(key: string): { accountId: string; roleName: string } | undefined {
  const slash = key.indexOf('/');
  if (slash <= 0 || slash === key.length - 1) return undefined;
  return { accountId: key.slice(0, slash), roleName: key.slice(slash + 1) };
}

export interface AccountEntry {
  readonly account: AccountDTO;
  /** Role names in alphabetical order; null until they arrive (or after they failed). */
  readonly roles: readonly string[] | null;
  /** Why the roles could not be loaded; the account is listed all the same. */
  readonly rolesError: string | null;
  /**
   * The latest load of the roles failed and `roles` are the last good ones: why it failed, and when
   * those roles were listed (ISO 8601; null when not known).
   */
  readonly kept: { readonly message: string; readonly since: string | null } | null;
  /** accountSearchText (lib/shared/search.ts), precomputed. */
  readonly accountText: string;
  /** Lowercased role names, aligned with `roles`. */
  readonly roleText: readonly string[];
}

export type ListingPhase = 'connecting' | 'accounts' | 'roles' | 'done';

export interface ListingState {
  readonly entries: ReadonlyMap<string, AccountEntry>;
  /** Account ids, by account name (natural order), then id. */
  readonly order: readonly string[];
  readonly phase: ListingPhase;
  /** A stream is open. */
  readonly streaming: boolean;
  /** The open (or last) stream is an explicit refresh. */
  readonly refreshing: boolean;
  /** Known once every account has arrived (`accounts-complete`). */
  readonly total: number | null;
  /** Accounts seen in the current listing (accounts absent from a new listing are dropped at `accounts-complete`). */
  readonly seen: ReadonlySet<string>;
  /** Accounts whose roles arrived or failed in the current listing: the progress. */
  readonly settled: ReadonlySet<string>;
  /** The listing itself failed or stopped early; what arrived stays. */
  readonly error: string | null;
  readonly cached: boolean;
  /** ISO 8601, from `start`. */
  readonly listedAt: string | null;
  /** What an explicit refresh changed, from its `done`. */
  readonly diff: ListingDiff | null;
  /** The person's Identity Center user name, once the listing learned it (favorites are kept by it). */
  readonly userName: string | null;
  /** Entries Identity Center listed that Gatehouse will not use, shown as invalid. */
  readonly rejected: readonly RejectedEntry[];
  /** When the listing on screen before this one was made (a refresh's failures keep its roles). */
  readonly earlierListedAt: string | null;
  /** Identity Center is not answering: when the listing tries again by itself (ISO 8601). */
  readonly unreachable: { readonly retryAt: string } | null;
  /**
   * The listing on screen is the person's kept one, listed then (ISO 8601), and a new listing is
   * checking it (like a Refresh: its `done` says what changed). Null otherwise.
   */
  readonly checking: string | null;
}

export type ListingAction =
  | { type: 'stream-open'; refresh: boolean }
  | { type: 'events'; events: readonly ListingEvent[] }
  /** The stream ended; `error` when it failed (HTTP error, network, or closed before `done`). */
  | { type: 'stream-closed'; error?: string }
  /** Roles fetched on demand (an expanded row, or Retry). */
  | { type: 'roles-loaded'; accountId: string; roles: readonly string[] }
  | { type: 'roles-failed'; accountId: string; message: string };

export const initialListingState: ListingState = {
  entries: new Map(),
  order: [],
  phase: 'connecting',
  streaming: false,
  refreshing: false,
  total: null,
  seen: new Set(),
  settled: new Set(),
  error: null,
  cached: false,
  listedAt: null,
  diff: null,
  userName: null,
  rejected: [],
  earlierListedAt: null,
  unreachable: null,
  checking: null,
};

function newEntry(account: AccountDTO): AccountEntry {
  return { account, roles: null, rolesError: null, kept: null, accountText: accountSearchText(account), roleText: [] };
}

function withRoles(entry: AccountEntry, roles: readonly string[]): AccountEntry {
  const sorted = sortedRoles(roles);
  return { ...entry, roles: sorted, rolesError: null, kept: null, roleText: roleSearchText(sorted) };
}

function withRolesError(entry: AccountEntry, message: string, keptSince?: string | null): AccountEntry {
  const reason = message || 'The roles could not be loaded.';
  // Roles already on screen are the last good ones: they stay, marked, rather than vanish.
  if (entry.roles !== null && keptSince !== undefined) return { ...entry, rolesError: null, kept: { message: reason, since: keptSince } };
  return { ...entry, roles: null, rolesError: reason, kept: null, roleText: [] };
}

function sortOrder(entries: ReadonlyMap<string, AccountEntry>): string[] {
  return [...entries.values()].sort((a, b) => compareAccounts(a.account, b.account)).map((entry) => entry.account.accountId);
}

/** Applies a batch of events (everything one network chunk carried) with one copy of each collection. */
function applyEvents(state: ListingState, events: readonly ListingEvent[]): ListingState {
  let entries: Map<string, AccountEntry> | undefined;
  let seen: Set<string> | undefined;
  let settled: Set<string> | undefined;
  let orderDirty = false;
  let next: ListingState = state;
  const writableEntries = () => (entries ??= new Map(next.entries));
  const writableSeen = () => (seen ??= new Set(next.seen));
  const writableSettled = () => (settled ??= new Set(next.settled));
  const currentEntries = () => entries ?? next.entries;

  for (const event of events) {
    switch (event.type) {
      case 'start':
        // A new listing: progress starts over; rows of an earlier listing stay until it says otherwise.
        seen = new Set();
        settled = new Set();
        next = {
          ...next,
          phase: 'accounts',
          total: null,
          error: null,
          diff: null,
          cached: event.cached,
          listedAt: event.listedAt,
          earlierListedAt: next.listedAt,
          rejected: [],
          unreachable: null,
          // Checking the kept listing just shown reads as a Refresh of it.
          checking: event.revalidates ?? null,
          refreshing: event.revalidates !== undefined ? true : next.refreshing,
        };
        break;
      case 'rejected':
        next = { ...next, rejected: [...next.rejected, ...event.entries] };
        break;
      case 'accounts': {
        const map = writableEntries();
        const seenNow = writableSeen();
        for (const account of event.accounts) {
          seenNow.add(account.accountId);
          const existing = map.get(account.accountId);
          if (!existing) {
            map.set(account.accountId, newEntry(account));
            orderDirty = true;
          } else if (existing.account.accountName !== account.accountName || existing.account.emailAddress !== account.emailAddress) {
            map.set(account.accountId, { ...existing, account, accountText: accountSearchText(account) });
            orderDirty = true;
          }
        }
        break;
      }
      case 'accounts-complete': {
        const seenNow = seen ?? next.seen;
        const map = currentEntries();
        if (map.size > seenNow.size || [...map.keys()].some((id) => !seenNow.has(id))) {
          const writable = writableEntries();
          for (const id of [...writable.keys()]) if (!seenNow.has(id)) writable.delete(id);
          orderDirty = true;
        }
        next = { ...next, phase: 'roles', total: event.total };
        break;
      }
      case 'roles': {
        const existing = currentEntries().get(event.accountId);
        if (existing) {
          writableEntries().set(event.accountId, withRoles(existing, event.roles.map((role) => role.roleName)));
          writableSettled().add(event.accountId);
        }
        break;
      }
      case 'roles-error': {
        const existing = currentEntries().get(event.accountId);
        if (existing) {
          const keptSince = event.keptFrom ?? (next.refreshing ? next.earlierListedAt : undefined);
          writableEntries().set(event.accountId, withRolesError(existing, event.message, keptSince));
          writableSettled().add(event.accountId);
        }
        break;
      }
      case 'identity':
        next = { ...next, userName: event.userName };
        break;
      case 'unreachable':
        next = { ...next, unreachable: { retryAt: event.retryAt } };
        break;
      case 'reachable':
        next = { ...next, unreachable: null };
        break;
      case 'error':
        next = { ...next, error: event.message || 'The accounts could not be listed.', unreachable: null };
        break;
      case 'done':
        next = { ...next, phase: 'done', total: next.total ?? event.accounts, diff: event.diff ?? null, unreachable: null };
        break;
      default:
        // Any event a newer server adds: nothing to show here.
        break;
    }
  }

  if (entries) next = { ...next, entries };
  if (seen) next = { ...next, seen };
  if (settled) next = { ...next, settled };
  if (orderDirty) next = { ...next, order: sortOrder(next.entries) };
  return next;
}

export function listingReducer(state: ListingState, action: ListingAction): ListingState {
  switch (action.type) {
    case 'stream-open':
      return { ...state, streaming: true, refreshing: action.refresh, error: null, diff: null, phase: state.phase === 'done' ? state.phase : 'connecting' };
    case 'events':
      return action.events.length === 0 ? state : applyEvents(state, action.events);
    case 'stream-closed': {
      // Whatever arrived stays on screen (a failed refresh leaves the earlier listing).
      const error = action.error ?? (state.phase === 'done' ? state.error : (state.error ?? 'The listing stopped before it finished.'));
      return { ...state, streaming: false, error, unreachable: null };
    }
    case 'roles-loaded': {
      const existing = state.entries.get(action.accountId);
      if (!existing) return state;
      const entries = new Map(state.entries).set(action.accountId, withRoles(existing, action.roles));
      return { ...state, entries, settled: new Set(state.settled).add(action.accountId) };
    }
    case 'roles-failed': {
      const existing = state.entries.get(action.accountId);
      if (!existing) return state;
      const entries = new Map(state.entries).set(action.accountId, withRolesError(existing, action.message));
      return { ...state, entries, settled: new Set(state.settled).add(action.accountId) };
    }
  }
}

/** True while a listing is under way, from the first render on (the page shows progress, not a final count). */
export function isLoading(state: ListingState): boolean {
  return state.phase !== 'done' && state.error === null;
}
