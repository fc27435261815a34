/**
 * The person's accounts and roles as they stream in (`GET /api/cli/accounts/stream`, the browser's
 * listing events), for the picker, `accounts`, `config` and `--account NAME`. Every event is checked
 * against the portal's own rules before it is used: an account or role that breaks them is counted
 * and left out, never shown or written anywhere. Searched and ordered by lib/shared/search, exactly as
 * the accounts page is.
 */
import { ACCOUNT_ID_PATTERN, isEmailAddress, isPrintableName, ROLE_NAME_PATTERN } from '../lib/shared/aws-names';
import { accountSearchText, compareAccounts, roleSearchText, type SearchEntry, sortedRoles } from '../lib/shared/search';
import { CliError, forTerminal } from './errors';
import type { PortalApi } from './portal';

export interface ListedAccount {
  accountId: string;
  accountName: string;
  emailAddress: string;
  nickname?: string;
}

export interface ListingEntry extends SearchEntry {
  readonly account: ListedAccount;
  /** Why the roles could not be loaded (and none are known). */
  readonly rolesError: string | null;
}

export const STREAM_PATH = '/api/cli/accounts/stream';

type Listener = () => void;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** An account as the portal's rules allow it, or undefined. */
function validAccount(value: unknown): ListedAccount | undefined {
  if (!isRecord(value)) return undefined;
  const { accountId, accountName, emailAddress, nickname } = value;
  if (typeof accountId !== 'string' || !ACCOUNT_ID_PATTERN.test(accountId)) return undefined;
  if (typeof accountName !== 'string' || !isPrintableName(accountName)) return undefined;
  if (typeof emailAddress !== 'string' || (emailAddress !== '' && !isEmailAddress(emailAddress))) return undefined;
  if (nickname !== undefined && (typeof nickname !== 'string' || !isPrintableName(nickname, 64))) return undefined;
  return { accountId, accountName, emailAddress, ...(nickname ? { nickname } : {}) };
}

export class Listing {
  private readonly entryMap = new Map<string, ListingEntry>();
  private sortedIds: string[] = [];
  private orderDirty = false;
  private seen = new Set<string>();
  private readonly listeners = new Set<Listener>();
  /** Every account has arrived: how many there are. */
  total: number | null = null;
  /** The listing finished (`done`). */
  done = false;
  /** Why the listing stopped early, when it did (what arrived stays). */
  error: string | null = null;
  /** Accounts and roles left out because they break the portal's rules. */
  refused = 0;
  private readonly stopping = new AbortController();

  /** Stops reading the stream (the listing goes on at the portal). */
  stop(): void {
    this.stopping.abort();
  }

  get stopSignal(): AbortSignal {
    return this.stopping.signal;
  }

  get entries(): ReadonlyMap<string, ListingEntry> {
    return this.entryMap;
  }

  /** Account ids in the listing's order (lib/shared/search compareAccounts). */
  get order(): readonly string[] {
    if (this.orderDirty) {
      this.sortedIds = [...this.entryMap.values()].sort((a, b) => compareAccounts(a.account, b.account)).map((entry) => entry.account.accountId);
      this.orderDirty = false;
    }
    return this.sortedIds;
  }

  /** Accounts whose roles are still to come. */
  get pendingRoles(): number {
    let pending = 0;
    for (const entry of this.entryMap.values()) if (entry.roles === null && entry.rolesError === null) pending += 1;
    return pending;
  }

  /** Accounts whose roles could not be loaded (and none are known). */
  get failedRoles(): number {
    let failed = 0;
    for (const entry of this.entryMap.values()) if (entry.rolesError !== null) failed += 1;
    return failed;
  }

  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  changed(): void {
    for (const listener of this.listeners) listener();
  }

  /** Applies one event of the stream (anything that is not a valid event is ignored or counted as refused). */
  apply(event: unknown): void {
    if (!isRecord(event) || typeof event.type !== 'string') return;
    switch (event.type) {
      case 'start':
        // A new listing (after a kept one was shown): what it does not list again goes at accounts-complete.
        this.seen = new Set();
        this.total = null;
        break;
      case 'accounts':
        if (!Array.isArray(event.accounts)) return;
        for (const value of event.accounts as unknown[]) {
          const account = validAccount(value);
          if (!account) {
            this.refused += 1;
            continue;
          }
          this.seen.add(account.accountId);
          const existing = this.entryMap.get(account.accountId);
          this.entryMap.set(
            account.accountId,
            existing
              ? { ...existing, account, accountText: accountSearchText(account) }
              : { account, roles: null, roleText: [], rolesError: null, accountText: accountSearchText(account) },
          );
          this.orderDirty = true;
        }
        break;
      case 'accounts-complete':
        for (const id of [...this.entryMap.keys()]) if (!this.seen.has(id)) this.entryMap.delete(id);
        this.orderDirty = true;
        this.total = typeof event.total === 'number' && Number.isInteger(event.total) && event.total >= 0 ? event.total : this.entryMap.size;
        break;
      case 'roles': {
        const existing = typeof event.accountId === 'string' ? this.entryMap.get(event.accountId) : undefined;
        if (!existing || !Array.isArray(event.roles)) return;
        const names: string[] = [];
        for (const role of event.roles as unknown[]) {
          const name = isRecord(role) ? role.roleName : undefined;
          if (typeof name === 'string' && ROLE_NAME_PATTERN.test(name)) names.push(name);
          else this.refused += 1;
        }
        const roles = sortedRoles(names);
        this.entryMap.set(existing.account.accountId, { ...existing, roles, roleText: roleSearchText(roles), rolesError: null });
        break;
      }
      case 'roles-error': {
        const existing = typeof event.accountId === 'string' ? this.entryMap.get(event.accountId) : undefined;
        // Roles already known are the last good ones: they stay.
        if (!existing || existing.roles !== null) return;
        const message = typeof event.message === 'string' ? forTerminal(event.message) : '';
        this.entryMap.set(existing.account.accountId, { ...existing, rolesError: message || 'The roles could not be loaded.' });
        break;
      }
      case 'error':
        this.error = (typeof event.message === 'string' ? forTerminal(event.message) : '') || 'The accounts could not be listed.';
        break;
      case 'done':
        this.done = true;
        this.total ??= this.entryMap.size;
        break;
      default:
        // Anything a newer portal adds (who signed in, Identity Center unreachable …): nothing to do here.
        break;
    }
  }
}

/**
 * Reads the listing stream into `listing` until it is done, or until `enough` says what has arrived
 * suffices (the connection is then closed: the rest of the listing is not waited for). A stream that
 * breaks off leaves `listing.error` set and what arrived in place; so does a stream that ends early.
 */
export async function followListing(api: PortalApi, listing: Listing, enough: (listing: Listing) => boolean = () => false): Promise<void> {
  try {
    for await (const event of api.lines(STREAM_PATH, { signal: listing.stopSignal })) {
      listing.apply(event);
      listing.changed();
      if (listing.done || enough(listing)) return;
    }
    if (!listing.stopSignal.aborted) listing.error ??= 'The listing stopped before it finished.';
  } catch (error) {
    listing.error = error instanceof CliError ? error.message : 'The listing stopped before it finished.';
    throw error;
  } finally {
    listing.changed();
  }
}
