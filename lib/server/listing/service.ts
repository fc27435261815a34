import 'server-only';

import type { CallTicket } from '@/lib/server/aws/portal';
import { awsErrorKind } from '@/lib/server/aws/retry';
import { GatehouseError, hasCode } from '@/lib/server/core/errors';

import { createListingCache, type KeptListing } from './cache';
import { diffListings } from './diff';
import { doneEvent, replay } from './events';
import { describeFailure, isUnauthorized, noLongerAccepted, withCurrentToken } from './failures';
import { type IdentityProbe, learnIdentity, probeIdentity } from './identity';
import { ListingJob } from './job';
import { Outage } from './outage';
import type { Listener, Listing, ListingDeps, ListingRequest } from './types';

/** Role loads of one listing in the rate limiter's queue at once (enough to keep it busy; few to drop on a pause). */
const ROLE_LOADS_IN_FLIGHT = 32;

/**
 * A person's accounts and roles. Listing runs as a job: ListAccounts pages one after another
 * (they are the critical path, so they go ahead of everything else), and one ListAccountRoles per
 * account queued in the background as soon as its page arrives. The instance's rate limiter
 * decides the pace. Events stream to every tab and terminal of the person that watches (one job per
 * person), and the job calls with the tokens of those sessions, so one of them ending never ends
 * the others' listing (token-sources.ts); a job nobody watches pauses. The finished listing is kept
 * per person: shown as it is for ACCOUNTS_CACHE_MINUTES, and after that, up to
 * LISTING_MAX_AGE_HOURS, shown at once while a new listing checks it.
 */
export function createListingService(deps: ListingDeps) {
  const jobs = new Map<string, ListingJob>();
  const cache = createListingCache(deps);

  /** `previous`: the listing this one replaces (its changes are reported); `warm`: shown first, as it is checked. */
  function run(request: ListingRequest, previous: Listing | null, options: { warm?: boolean } = {}): ListingJob {
    const job = new ListingJob(deps.now(), request.confirmIdentity === true, options.warm ? previous : null);
    job.tokens.add(request);
    jobs.set(request.personKey, job);
    let unauthorized = false;
    // Known already (at sign-in): the listing need not learn it from a role.
    let identity: Promise<string | null> | undefined = request.userName ? Promise.resolve(request.personKey) : undefined;
    // Identity Center not answering: the listing says so, waits and goes on by itself.
    const outage = new Outage(deps.now, (change) =>
      job.emit(change.down ? { type: 'unreachable', retryAt: new Date(change.retryAt).toISOString() } : { type: 'reachable' }),
    );
    const { signal } = job.replaced;
    signal.addEventListener('abort', () => outage.abandon(), { once: true });

    // Every session following the listing has ended (each was told as its token was dropped).
    const fail = (error: unknown): boolean => {
      if (!isUnauthorized(error)) return false;
      unauthorized = true;
      job.sessionEnded = true;
      return true;
    };

    const loadRoles = async (accountId: string, ticket: CallTicket): Promise<void> => {
      if (unauthorized || signal.aborted) return;
      try {
        const { roles, rejected } = await outage.untilAnswered(async () => {
          if (unauthorized) throw noLongerAccepted();
          const own = () => job.tokens.call((token) => deps.portal.listAccountRoles(token, accountId, ticket));
          const ahead = job.priorityFetches.get(accountId);
          if (!ahead) return own();
          // A failed fetch ahead of the queue is not awaited again: the next attempt calls anew.
          return ahead.catch((error: unknown) => {
            job.priorityFetches.delete(accountId);
            // It carried another session's token, and that session ended: the listing's own sessions ask.
            if (isUnauthorized(error)) return own();
            throw error;
          });
        });
        if (job.listing.roles[accountId]) return;
        job.listing.roles[accountId] = roles;
        delete job.listing.failures[accountId];
        delete job.listing.keptFrom?.[accountId];
        job.emit({ type: 'roles', accountId, roles: roles.map((roleName) => ({ roleName })) });
        if (rejected.length > 0) {
          job.listing.rejected.push(...rejected);
          job.emit({ type: 'rejected', entries: rejected });
        }
        // The user name comes from the first role the portal can get credentials for.
        const firstRole = roles[0];
        if (identity === undefined && firstRole !== undefined) {
          identity = learnIdentity(deps, request, job, { accountId, roleName: firstRole }, () => {
            unauthorized = true;
            job.sessionEnded = true;
            job.refuse();
          }).then((userKey) => {
            // From now on the person is known by name: other sessions of theirs find this listing.
            if (userKey !== null && !jobs.has(userKey)) jobs.set(userKey, job);
            return userKey;
          });
        }
      } catch (error) {
        if (signal.aborted || fail(error)) return;
        if (job.listing.roles[accountId]) return;
        const message = describeFailure(error);
        job.listing.failures[accountId] = message;
        // A failed refresh keeps the last good roles, marked with when they were listed.
        const earlier = previous?.roles[accountId];
        if (earlier && previous) {
          const keptFrom = previous.keptFrom?.[accountId] ?? previous.listedAt;
          job.listing.roles[accountId] = earlier;
          (job.listing.keptFrom ??= {})[accountId] = keptFrom;
          job.emit({ type: 'roles-error', accountId, message, keptFrom: new Date(keptFrom).toISOString() });
        } else {
          job.emit({ type: 'roles-error', accountId, message });
        }
      }
    };

    // The job reports its own failures as events; nothing it does can reject.
    void (async () => {
      job.emit({
        type: 'start',
        cached: false,
        listedAt: new Date(job.listing.listedAt).toISOString(),
        ...(job.warm ? { revalidates: new Date(job.warm.listedAt).toISOString() } : {}),
      });
      if (request.userName) job.emit({ type: 'identity', userName: request.userName });
      // Role loads wait here and go out a window at a time, so a pause stops them.
      const waiting: string[] = [];
      let inFlight = 0;
      let pagingDone = false;
      let settle: () => void = () => {};
      const rolesSettled = new Promise<void>((resolve) => (settle = resolve));
      // One wake-up while paused, however many loads finish meanwhile.
      let resumeAwaited = false;
      const pump = (): void => {
        const stopped = signal.aborted || unauthorized;
        while (!stopped && !job.paused && inFlight < ROLE_LOADS_IN_FLIGHT && waiting.length > 0) {
          const accountId = waiting.shift() as string;
          inFlight += 1;
          void loadRoles(accountId, { owner: request.owner, priority: 'background', signal }).finally(() => {
            inFlight -= 1;
            pump();
          });
        }
        if (job.paused && waiting.length > 0 && !stopped && !resumeAwaited) {
          resumeAwaited = true;
          void job.whenWatched().then(() => {
            resumeAwaited = false;
            pump();
          });
        }
        if (pagingDone && inFlight === 0 && (waiting.length === 0 || stopped)) settle();
      };
      try {
        let nextToken: string | undefined;
        do {
          const pageToken = nextToken;
          await job.whenWatched();
          const page = await outage.untilAnswered(async () =>
            job.tokens.call((token) => deps.portal.listAccountsPage(token, pageToken, { owner: request.owner, priority: 'interactive', signal })),
          );
          job.listing.accounts.push(...page.accounts);
          if (page.accounts.length > 0) job.emit({ type: 'accounts', accounts: page.accounts });
          if (page.rejected.length > 0) {
            job.listing.rejected.push(...page.rejected);
            job.emit({ type: 'rejected', entries: page.rejected });
          }
          waiting.push(...page.accounts.map((account) => account.accountId));
          pump();
          nextToken = page.nextToken;
        } while (nextToken && !unauthorized && !signal.aborted);
        job.emit({ type: 'accounts-complete', total: job.listing.accounts.length });
      } catch (error) {
        if (!signal.aborted) {
          fail(error);
          job.emit({ type: 'error', message: unauthorized ? 'Your session has ended. Sign in again.' : describeFailure(error) });
        }
      }
      if (signal.aborted && !job.events.some((event) => event.type === 'error')) {
        job.emit({ type: 'error', message: 'A refresh replaced this listing; reload the page to follow it.' });
      }
      pagingDone = true;
      pump();
      await rolesSettled;
      outage.clear();
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
          await cache.write(key, job.listing).catch(() => undefined);
        }
      }
      const shown = job.refused ? { ...job.listing, accounts: [], roles: {}, failures: {}, rejected: [] } : job.listing;
      job.emit(doneEvent(shown, previous && complete ? diffListings(previous, job.listing) : undefined));
      for (const [key, value] of jobs) if (value === job) jobs.delete(key);
    })();
    return job;
  }

  /** A kept listing shown as it is: fresh, and made during this session (one made before is checked first). */
  const isCurrent = (kept: KeptListing, request: ListingRequest) => kept.fresh && kept.listing.listedAt >= request.sessionStartedAt;

  /**
   * Follows a job: a listing it checks (warm) first, all at once but for its `done` (the check's own
   * `done` ends the stream, with what changed), then the job's events as they come.
   */
  function watch(job: ListingJob, listener: Listener): () => void {
    if (job.warm) for (const event of replay(job.warm)) if (event.type !== 'done') listener(event);
    return job.subscribe(listener);
  }

  /**
   * Follows the person's listing: the one in progress (any tab, browser or terminal of theirs
   * started it; this session's token joins the ones it calls with), the kept one, or a new one. A
   * kept listing past ACCOUNTS_CACHE_MINUTES, or made before this session signed in, is shown at
   * once and checked by a new listing, which reports what changed. `refresh` lists afresh and
   * reports what changed since the kept listing.
   */
  async function follow(request: ListingRequest, options: { refresh: boolean }, listener: Listener): Promise<() => void> {
    const running = jobs.get(request.personKey);
    if (running && !options.refresh) {
      running.tokens.add(request);
      return watch(running, listener);
    }
    const kept = await cache.read(request.personKey);
    if (kept && isCurrent(kept, request) && !options.refresh) {
      for (const event of replay(kept.listing)) listener(event);
      return () => {};
    }
    if (kept && !options.refresh) return watch(run(request, kept.listing, { warm: true }), listener);
    const previous = options.refresh ? (kept?.listing ?? (running?.finished ? running.listing : null)) : null;
    // A Refresh during a long listing starts over at once: the running one's waiting calls are dropped.
    if (running && !running.finished) running.replaced.abort();
    return watch(run(request, previous), listener);
  }

  /**
   * The person's listing once `stage` of it is reached: the kept one while fresh, or the one in
   * progress (a new one if there is none) once its accounts are all known, or once it is done. A
   * warm listing is never the answer here: what is handed out is checked against a current listing.
   */
  async function listingAt(request: ListingRequest, stage: 'accounts' | 'done'): Promise<Listing> {
    let job = jobs.get(request.personKey);
    if (job) {
      job.tokens.add(request);
    } else {
      const kept = await cache.read(request.personKey);
      if (kept && isCurrent(kept, request)) return kept.listing;
      job = run(request, kept?.listing ?? null, { warm: kept !== null });
    }
    await (stage === 'accounts' ? job.accountsComplete() : job.done());
    if (job.sessionEnded) throw noLongerAccepted();
    const failure = job.events.find((event) => event.type === 'error');
    if (failure?.type === 'error') throw new GatehouseError('upstream_unavailable', failure.message);
    return job.listing;
  }

  /** Every account of the person (waits for the paging to finish when a listing is in progress). */
  const accounts = (request: ListingRequest) => listingAt(request, 'accounts');

  /** The whole listing, roles included (waits for a listing in progress to finish). */
  const complete = (request: ListingRequest) => listingAt(request, 'done');

  /**
   * The roles of one account, ahead of the background queue: from the listing when loaded, else
   * fetched now at interactive priority with this session's token (and handed to the listing so it
   * is not fetched twice). An account Identity Center no longer lists for the person has no roles.
   */
  async function roles(request: ListingRequest, accountId: string, options: { fresh?: boolean } = {}): Promise<string[]> {
    const listing = await accounts(request);
    if (!listing.accounts.some((account) => account.accountId === accountId)) throw new GatehouseError('not_found', 'You have no account with that id.', { attempt: { accountId } });
    const known = listing.roles[accountId];
    // `fresh`: the kept listing may be older than an assignment just made; Identity Center is asked.
    if (known && !listing.failures[accountId] && !options.fresh) return known;
    const job = jobs.get(request.personKey);
    const fetch = (async () => {
      try {
        return await withCurrentToken(request.accessToken, (token) =>
          deps.portal.listAccountRoles(token, accountId, {
            owner: request.owner,
            priority: 'interactive',
          }),
        );
      } catch (error) {
        if (isUnauthorized(error)) {
          await request.onUnauthorized();
          throw noLongerAccepted();
        }
        throw error;
      }
    })();
    if (job && !job.finished) job.priorityFetches.set(accountId, fetch);
    let fetched: string[];
    try {
      fetched = (await fetch).roles;
    } catch (error) {
      if (hasCode(error, 'session_ended')) throw error;
      const kind = awsErrorKind(error);
      // Throttled, unreachable or answering oddly: a clear "try again" (503), never a bare failure.
      if (kind !== 'forbidden' && kind !== 'not_found') throw new GatehouseError('upstream_unavailable', describeFailure(error));
      // Identity Center no longer lists the account for the person: none of its roles is theirs now.
      fetched = [];
    }
    // A retried account joins the listing (and the cache) so the next page load shows it.
    const target = job && !job.finished ? job.listing : listing;
    target.roles[accountId] = fetched;
    delete target.failures[accountId];
    delete target.keptFrom?.[accountId];
    if (job && !job.finished) {
      job.emit({ type: 'roles', accountId, roles: fetched.map((roleName) => ({ roleName })) });
    } else {
      await cache.write(request.personKey, target).catch(() => undefined);
    }
    return fetched;
  }

  /** The in-progress or kept listing without starting one (what a person may star). */
  async function known(personKey: string): Promise<Listing | null> {
    const job = jobs.get(personKey);
    return job ? (job.finished ? job.visible : (job.warm ?? job.visible)) : ((await cache.read(personKey))?.listing ?? null);
  }

  /** The person's kept listing, if any (what the Activity page offers to forget). */
  const kept = (personKey: string) => cache.read(personKey);

  /** Removes the person's kept listing ("forget my data"); the next visit lists from scratch. */
  async function forget(personKey: string): Promise<void> {
    await cache.forget(personKey);
  }

  /**
   * Who signed in, asked at sign-in so every later request knows the person (and finds their
   * listing in progress or kept): see identity.ts.
   */
  const identify = (request: ListingRequest): Promise<IdentityProbe> => probeIdentity(deps, request);

  return { follow, accounts, roles, complete, known, kept, forget, identify };
}


export type ListingService = ReturnType<typeof createListingService>;
