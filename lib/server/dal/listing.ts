import 'server-only';

import { z } from 'zod';

import type { AccountRoles, CallTicket, PortalGateway } from '@/lib/server/aws/portal';
import { userNameFromArn } from '@/lib/server/aws/portal';
import { isNamedError } from '@/lib/server/errors';
import type { Sealer } from '@/lib/server/session/crypto';
import { sha256Hex } from '@/lib/server/session/crypto';
import type { KeyValueStore } from '@/lib/server/store/types';
import type { AccountDTO, ListingDiff, ListingEvent, RejectedEntry } from '@/lib/shared/accounts';

/**
 * A person's accounts and roles. Listing runs as a job: ListAccounts pages one after another
 * (they are the critical path, so they go ahead of everything else), and one ListAccountRoles per
 * account queued in the background as soon as its page arrives. The instance's rate limiter
 * decides the pace. Events stream to every browser tab that watches; the finished listing is
 * cached per person.
 */

export interface Listing {
  listedAt: number;
  accounts: AccountDTO[];
  /** Roles by account id; absent while loading or after a failure. */
  roles: Record<string, string[]>;
  /** Accounts whose roles could not be loaded, with a message for people. */
  failures: Record<string, string>;
  /** Accounts and roles Identity Center listed in a shape AWS does not document: shown as invalid, used for nothing. */
  rejected: RejectedEntry[];
}

export type AccessTokenSource = () => Promise<string>;

/** Why a call failed, as far as the listing needs to know. */
export type CallFailureKind = 'unauthorized' | 'not_found' | 'other';

export interface ListingDeps {
  store: KeyValueStore;
  sealer: Sealer;
  portal: PortalGateway;
  now: () => number;
  cacheMs: number;
  /** The region to sign the STS call with that learns the user name. */
  stsRegion: string;
  classify: (error: unknown) => CallFailureKind;
  describe: (error: unknown) => string;
}

export interface ListingRequest {
  /** Cache and job key of the person: their user name when known, else their session. */
  personKey: string;
  /** Fairness key for the rate limiter. */
  owner: string;
  accessToken: AccessTokenSource;
  /** Called once the user name is learned from STS; returns the person's key under that name. */
  onIdentity: (userName: string) => Promise<string>;
  /** Called when Identity Center no longer accepts the session's token. */
  onUnauthorized: () => Promise<void>;
  /**
   * Behind an authenticating proxy, until the Identity Center user is known to be the person the
   * proxy names: nothing of the listing goes out before that is confirmed (someone else may have
   * approved the sign-in).
   */
  confirmIdentity?: boolean;
}

const listingSchema = z.object({
  listedAt: z.number(),
  accounts: z.array(z.object({ accountId: z.string(), accountName: z.string(), emailAddress: z.string() })),
  roles: z.record(z.string(), z.array(z.string())),
  failures: z.record(z.string(), z.string()),
  rejected: z
    .array(z.object({ kind: z.enum(['account', 'role']), accountId: z.string().optional(), shown: z.string(), reason: z.string() }))
    .default([]),
});

type Listener = (event: ListingEvent) => void;

class ListingJob {
  /** Events that went out (to listeners, and to anyone who subscribes later). */
  readonly events: ListingEvent[] = [];
  readonly listing: Listing;
  private readonly listeners = new Set<Listener>();
  private accountsKnown = false;
  private accountsWaiters: (() => void)[] = [];
  private finishedWaiters: (() => void)[] = [];
  finished = false;
  /** Roles fetched ahead of the queue for one account (an expanded row). */
  readonly priorityFetches = new Map<string, Promise<AccountRoles>>();
  /** Events kept back while the person's identity is unconfirmed (null: nothing is kept back). */
  private held: ListingEvent[] | null;
  /** The identity did not match: nothing but the end of the listing goes out. */
  refused = false;
  /** Identity Center no longer accepts the session, or the session was discarded. */
  sessionEnded = false;

  constructor(listedAt: number, holdUntilConfirmed: boolean) {
    this.listing = { listedAt, accounts: [], roles: {}, failures: {}, rejected: [] };
    this.held = holdUntilConfirmed ? [] : null;
  }

  get holding(): boolean {
    return this.held !== null;
  }

  /** The listing as others may see it: none while it is held back or was refused. */
  get visible(): Listing | null {
    return this.holding || this.refused ? null : this.listing;
  }

  emit(event: ListingEvent): void {
    if (this.refused && event.type !== 'error' && event.type !== 'done') return;
    if (this.held && event.type !== 'start') {
      this.held.push(event);
      return;
    }
    this.deliver(event);
  }

  /** The identity is confirmed: what was held back goes out, and the rest as it happens. */
  release(): void {
    const held = this.held ?? [];
    this.held = null;
    for (const event of held) this.deliver(event);
  }

  /** The identity is not confirmed: nothing held back ever goes out. */
  refuse(): void {
    this.held = null;
    this.refused = true;
  }

  private deliver(event: ListingEvent): void {
    this.events.push(event);
    for (const listener of this.listeners) listener(event);
    if (event.type === 'accounts-complete' || event.type === 'error' || event.type === 'done') {
      this.accountsKnown = true;
      for (const wake of this.accountsWaiters.splice(0)) wake();
    }
    if (event.type === 'done') {
      this.finished = true;
      for (const wake of this.finishedWaiters.splice(0)) wake();
    }
  }

  /** Replays what happened so far, then follows along until `done`. */
  subscribe(listener: Listener): () => void {
    for (const event of this.events) listener(event);
    if (this.finished) return () => {};
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  accountsComplete(): Promise<void> {
    return this.accountsKnown ? Promise.resolve() : new Promise((resolve) => this.accountsWaiters.push(resolve));
  }

  done(): Promise<void> {
    return this.finished ? Promise.resolve() : new Promise((resolve) => this.finishedWaiters.push(resolve));
  }
}

export function diffListings(before: Listing, after: Listing): ListingDiff {
  const beforeAccounts = new Map(before.accounts.map((account) => [account.accountId, account]));
  const afterAccounts = new Map(after.accounts.map((account) => [account.accountId, account]));
  const roleSet = (listing: Listing) =>
    new Set(Object.entries(listing.roles).flatMap(([accountId, roles]) => roles.map((roleName) => `${accountId}/${roleName}`)));
  const beforeRoles = roleSet(before);
  const afterRoles = roleSet(after);
  // A role is only "removed" if its account's roles were actually loaded this time.
  const loadedAfter = new Set(Object.keys(after.roles));
  const split = (key: string) => {
    const index = key.indexOf('/');
    return { accountId: key.slice(0, index), roleName: key.slice(index + 1) };
  };
  return {
    accountsAdded: [...afterAccounts.values()].filter((account) => !beforeAccounts.has(account.accountId)),
    accountsRemoved: [...beforeAccounts.values()].filter((account) => !afterAccounts.has(account.accountId)),
    rolesAdded: [...afterRoles].filter((key) => !beforeRoles.has(key)).map(split),
    rolesRemoved: [...beforeRoles]
      .filter((key) => !afterRoles.has(key))
      .map(split)
      .filter((role) => loadedAfter.has(role.accountId) || !afterAccounts.has(role.accountId)),
  };
}

/** Every event of a finished listing, for a cache hit (all at once). */
function replay(listing: Listing, diff?: ListingDiff): ListingEvent[] {
  const events: ListingEvent[] = [{ type: 'start', cached: diff === undefined, listedAt: new Date(listing.listedAt).toISOString() }];
  for (let index = 0; index < listing.accounts.length; index += 100) {
    events.push({ type: 'accounts', accounts: listing.accounts.slice(index, index + 100) });
  }
  if (listing.rejected.length > 0) events.push({ type: 'rejected', entries: listing.rejected });
  events.push({ type: 'accounts-complete', total: listing.accounts.length });
  for (const account of listing.accounts) {
    const roles = listing.roles[account.accountId];
    if (roles) events.push({ type: 'roles', accountId: account.accountId, roles: roles.map((roleName) => ({ roleName })) });
    const failure = listing.failures[account.accountId];
    if (failure) events.push({ type: 'roles-error', accountId: account.accountId, message: failure });
  }
  events.push(doneEvent(listing, diff));
  return events;
}

function doneEvent(listing: Listing, diff?: ListingDiff): ListingEvent {
  return {
    type: 'done',
    accounts: listing.accounts.length,
    roles: Object.values(listing.roles).reduce((sum, roles) => sum + roles.length, 0),
    failedAccounts: Object.keys(listing.failures).length,
    diff,
  };
}

export class UnknownAccountError extends Error {
  static override [Symbol.hasInstance](value: unknown): value is UnknownAccountError {
    return isNamedError(value, 'UnknownAccountError');
  }

  /** What was asked for, for the audit record. */
  readonly attempt: { accountId: string };

  constructor(accountId: string) {
    super('That account is not one of yours.');
    this.attempt = { accountId };
    this.name = 'UnknownAccountError';
  }
}

export class IdentityCenterUnauthorizedError extends Error {
  static override [Symbol.hasInstance](value: unknown): value is IdentityCenterUnauthorizedError {
    return isNamedError(value, 'IdentityCenterUnauthorizedError');
  }

  constructor() {
    super('Identity Center no longer accepts this session.');
    this.name = 'IdentityCenterUnauthorizedError';
  }
}

export function createListingService(deps: ListingDeps) {
  const jobs = new Map<string, ListingJob>();
  const cacheKey = (personKey: string) => `listing:${sha256Hex(personKey)}`;

  async function readCache(personKey: string): Promise<Listing | null> {
    const key = cacheKey(personKey);
    const sealed = await deps.store.get(key);
    const text = sealed === null ? null : deps.sealer.open(sealed, key);
    if (text === null) return null;
    try {
      const parsed = listingSchema.safeParse(JSON.parse(text));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }

  async function writeCache(personKey: string, listing: Listing): Promise<void> {
    const key = cacheKey(personKey);
    const ttl = listing.listedAt + deps.cacheMs - deps.now();
    if (ttl > 0) await deps.store.set(key, deps.sealer.seal(JSON.stringify(listing), key), ttl);
  }

  async function learnIdentity(
    request: ListingRequest,
    job: ListingJob,
    accountId: string,
    roleName: string,
    onEnded: () => void,
  ): Promise<string | null> {
    try {
      const token = await request.accessToken();
      const credentials = await deps.portal.getRoleCredentials(token, accountId, roleName, {
        owner: request.owner,
        priority: 'interactive',
      });
      const identity = await deps.portal.getCallerIdentity(credentials, deps.stsRegion);
      const userName = userNameFromArn(identity.arn);
      if (userName) {
        const userKey = await request.onIdentity(userName);
        job.release();
        // From now on the person is known by name: other sessions of theirs find this listing.
        if (!jobs.has(userKey)) jobs.set(userKey, job);
        job.emit({ type: 'identity', userName });
        return userKey;
      }
    } catch (error) {
      // The session was ended on learning who signed in (an identity mismatch): stop the listing.
      if (error instanceof IdentityCenterUnauthorizedError) onEnded();
      // Otherwise knowing the name is a convenience; the listing does not depend on it.
    }
    return null;
  }

  function run(request: ListingRequest, previous: Listing | null): ListingJob {
    const job = new ListingJob(deps.now(), request.confirmIdentity === true);
    jobs.set(request.personKey, job);
    let unauthorized = false;
    let identity: Promise<string | null> | undefined;

    const fail = async (error: unknown): Promise<boolean> => {
      if (deps.classify(error) === 'unauthorized') {
        if (!unauthorized) {
          unauthorized = true;
          job.sessionEnded = true;
          await request.onUnauthorized();
        }
        return true;
      }
      return false;
    };

    const loadRoles = async (accountId: string, ticket: CallTicket): Promise<void> => {
      if (unauthorized) return;
      try {
        const ahead = job.priorityFetches.get(accountId);
        const { roles, rejected } = ahead ? await ahead : await deps.portal.listAccountRoles(await request.accessToken(), accountId, ticket);
        if (job.listing.roles[accountId]) return;
        job.listing.roles[accountId] = roles;
        delete job.listing.failures[accountId];
        job.emit({ type: 'roles', accountId, roles: roles.map((roleName) => ({ roleName })) });
        if (rejected.length > 0) {
          job.listing.rejected.push(...rejected);
          job.emit({ type: 'rejected', entries: rejected });
        }
        // The user name comes from the first role the portal can get credentials for.
        const firstRole = roles[0];
        if (identity === undefined && firstRole !== undefined) {
          identity = learnIdentity(request, job, accountId, firstRole, () => {
            unauthorized = true;
            job.sessionEnded = true;
            job.refuse();
          });
        }
      } catch (error) {
        if (await fail(error)) return;
        if (job.listing.roles[accountId]) return;
        const message = deps.describe(error);
        job.listing.failures[accountId] = message;
        job.emit({ type: 'roles-error', accountId, message });
      }
    };

    void (async () => {
      job.emit({ type: 'start', cached: false, listedAt: new Date(job.listing.listedAt).toISOString() });
      const roleLoads: Promise<void>[] = [];
      try {
        let nextToken: string | undefined;
        do {
          const page = await deps.portal.listAccountsPage(await request.accessToken(), nextToken, {
            owner: request.owner,
            priority: 'interactive',
          });
          job.listing.accounts.push(...page.accounts);
          if (page.accounts.length > 0) job.emit({ type: 'accounts', accounts: page.accounts });
          if (page.rejected.length > 0) {
            job.listing.rejected.push(...page.rejected);
            job.emit({ type: 'rejected', entries: page.rejected });
          }
          for (const account of page.accounts) {
            roleLoads.push(loadRoles(account.accountId, { owner: request.owner, priority: 'background' }));
          }
          nextToken = page.nextToken;
        } while (nextToken && !unauthorized);
        job.emit({ type: 'accounts-complete', total: job.listing.accounts.length });
      } catch (error) {
        await fail(error);
        job.emit({ type: 'error', message: unauthorized ? 'Your session has ended. Sign in again.' : deps.describe(error) });
      }
      await Promise.all(roleLoads);
      const userKey = identity ? await identity : null;
      if (job.holding) {
        // The identity was never confirmed. An empty listing has nothing to keep back; anything else is refused.
        if (!unauthorized && job.listing.accounts.length === 0) {
          job.release();
        } else {
          job.refuse();
          if (!unauthorized) job.emit({ type: 'error', message: 'Gatehouse could not confirm who signed in. Try again.' });
        }
      }
      if (unauthorized && !job.events.some((event) => event.type === 'error')) {
        job.emit({ type: 'error', message: 'Your session has ended. Sign in again.' });
      }
      const complete = !job.events.some((event) => event.type === 'error');
      if (complete && !unauthorized) {
        for (const key of new Set([request.personKey, userKey ?? request.personKey])) {
          await writeCache(key, job.listing).catch(() => undefined);
        }
      }
      const shown = job.refused ? { ...job.listing, accounts: [], roles: {}, failures: {}, rejected: [] } : job.listing;
      job.emit(doneEvent(shown, previous && complete ? diffListings(previous, job.listing) : undefined));
      for (const [key, value] of jobs) if (value === job) jobs.delete(key);
    })();
    return job;
  }

  /**
   * Follows the person's listing: the cached one, the one in progress, or a new one. `refresh`
   * lists afresh and reports what changed since the cached listing.
   */
  async function follow(request: ListingRequest, options: { refresh: boolean }, listener: Listener): Promise<() => void> {
    const running = jobs.get(request.personKey);
    if (running && !options.refresh) return running.subscribe(listener);
    const cached = await readCache(request.personKey);
    if (cached && !options.refresh) {
      for (const event of replay(cached)) listener(event);
      return () => {};
    }
    const previous = options.refresh ? (cached ?? (running?.finished ? running.listing : null)) : null;
    if (running && options.refresh) await running.done();
    return run(request, previous).subscribe(listener);
  }

  /** Every account of the person (waits for the paging to finish when a listing is in progress). */
  async function accounts(request: ListingRequest): Promise<Listing> {
    let job = jobs.get(request.personKey);
    if (!job) {
      const cached = await readCache(request.personKey);
      if (cached) return cached;
      job = run(request, null);
    }
    await job.accountsComplete();
    if (job.sessionEnded) throw new IdentityCenterUnauthorizedError();
    if (job.events.some((event) => event.type === 'error')) {
      const error = job.events.find((event) => event.type === 'error');
      throw new ListingFailedError(error?.type === 'error' ? error.message : 'The listing failed.');
    }
    return job.listing;
  }

  /**
   * The roles of one account, ahead of the background queue: from the listing when loaded, else
   * fetched now at interactive priority (and handed to the listing so it is not fetched twice).
   */
  async function roles(request: ListingRequest, accountId: string): Promise<string[]> {
    const listing = await accounts(request);
    if (!listing.accounts.some((account) => account.accountId === accountId)) throw new UnknownAccountError(accountId);
    const known = listing.roles[accountId];
    if (known && !listing.failures[accountId]) return known;
    const job = jobs.get(request.personKey);
    const fetch = (async () => {
      try {
        return await deps.portal.listAccountRoles(await request.accessToken(), accountId, {
          owner: request.owner,
          priority: 'interactive',
        });
      } catch (error) {
        if (deps.classify(error) === 'unauthorized') {
          await request.onUnauthorized();
          throw new IdentityCenterUnauthorizedError();
        }
        throw error;
      }
    })();
    if (job && !job.finished) job.priorityFetches.set(accountId, fetch);
    let fetched: string[];
    try {
      fetched = (await fetch).roles;
    } catch (error) {
      if (error instanceof IdentityCenterUnauthorizedError) throw error;
      // Throttled, unreachable or answering oddly: a clear "try again" (503), never a bare failure.
      throw new ListingFailedError(deps.describe(error));
    }
    // A retried account joins the listing (and the cache) so the next page load shows it.
    const target = job && !job.finished ? job.listing : listing;
    target.roles[accountId] = fetched;
    delete target.failures[accountId];
    if (job && !job.finished) {
      job.emit({ type: 'roles', accountId, roles: fetched.map((roleName) => ({ roleName })) });
    } else {
      await writeCache(request.personKey, target).catch(() => undefined);
    }
    return fetched;
  }

  /** The whole listing, roles included (waits for a listing in progress to finish). */
  async function complete(request: ListingRequest): Promise<Listing> {
    let job = jobs.get(request.personKey);
    if (!job) {
      const cached = await readCache(request.personKey);
      if (cached) return cached;
      job = run(request, null);
    }
    await job.done();
    if (job.sessionEnded) throw new IdentityCenterUnauthorizedError();
    const failure = job.events.find((event) => event.type === 'error');
    if (failure?.type === 'error') throw new ListingFailedError(failure.message);
    return job.listing;
  }

  /** The cached or in-progress listing without starting one (authorization checks). */
  async function known(personKey: string): Promise<Listing | null> {
    const job = jobs.get(personKey);
    return job ? job.visible : await readCache(personKey);
  }

  return { follow, accounts, roles, complete, known };
}

export class ListingFailedError extends Error {
  static override [Symbol.hasInstance](value: unknown): value is ListingFailedError {
    return isNamedError(value, 'ListingFailedError');
  }

  constructor(message: string) {
    super(message);
    this.name = 'ListingFailedError';
  }
}

export type ListingService = ReturnType<typeof createListingService>;
