import 'server-only';

import type { ListingEvent } from '@/lib/shared/accounts';

import type { AccountRoles } from '@/lib/server/aws/portal';

import { TokenSources } from './token-sources';
import type { Listener, Listing } from './types';

/** How long a listing nobody watches goes on before it pauses (a reload or a page change comes back sooner). */
export const UNWATCHED_GRACE_MS = 10_000;

/** How long a paused listing waits for someone to come back before it is given up (and never kept). */
const ABANDONED_AFTER_MS = 10 * 60_000;

/**
 * One listing in progress: its events go out to every tab and terminal that watches, are kept for
 * anyone who subscribes later, and are held back while the person's identity is unconfirmed. Once
 * nobody has watched or waited for it for UNWATCHED_GRACE_MS it pauses (spends nothing of the rate
 * budget) until someone comes back.
 */

export class ListingJob {
  /** Events that went out (to listeners, and to anyone who subscribes later). */
  readonly events: ListingEvent[] = [];
  readonly listing: Listing;
  private readonly listeners = new Set<Listener>();
  private accountsKnown = false;
  private accountsWaiters: (() => void)[] = [];
  private finishedWaiters: (() => void)[] = [];
  finished = false;
  /** The sessions of the person that started or joined the listing: it calls Identity Center with their tokens. */
  readonly tokens = new TokenSources();
  /** Roles fetched ahead of the queue for one account (an expanded row). */
  readonly priorityFetches = new Map<string, Promise<AccountRoles>>();
  /** Events kept back while the person's identity is unconfirmed (null: nothing is kept back). */
  private held: ListingEvent[] | null;
  /** The identity did not match: nothing but the end of the listing goes out. */
  refused = false;
  /** Identity Center no longer accepts the session, or the session was discarded. */
  sessionEnded = false;
  /** Aborted when a Refresh replaces this listing while it runs: its waiting calls are dropped. */
  readonly replaced = new AbortController();
  /** Tabs and terminals following the events, and callers waiting for a stage. */
  private watchers = 0;
  private unwatchedTimer: NodeJS.Timeout | undefined;
  private abandonTimer: NodeJS.Timeout | undefined;
  /** Nobody watched for UNWATCHED_GRACE_MS: no new calls go out until someone does. */
  paused = false;
  private resumeWaiters: (() => void)[] = [];

  /**
   * `warm`: the person's kept listing this one checks; whoever follows sees it first, all at once.
   */
  constructor(
    listedAt: number,
    holdUntilConfirmed: boolean,
    readonly warm: Listing | null = null,
  ) {
    this.listing = { listedAt, accounts: [], roles: {}, failures: {}, rejected: [] };
    this.held = holdUntilConfirmed ? [] : null;
    this.watchersChanged(0);
  }

  /** Resolves at once unless the listing is paused; then when someone watches again. */
  whenWatched(): Promise<void> {
    return this.paused ? new Promise((resolve) => this.resumeWaiters.push(resolve)) : Promise.resolve();
  }

  private watchersChanged(delta: number): void {
    this.watchers += delta;
    if (this.watchers > 0) {
      clearTimeout(this.unwatchedTimer);
      this.unwatchedTimer = undefined;
      clearTimeout(this.abandonTimer);
      if (this.paused) {
        this.paused = false;
        for (const wake of this.resumeWaiters.splice(0)) wake();
      }
    } else if (!this.finished && this.unwatchedTimer === undefined) {
      this.unwatchedTimer = setTimeout(() => {
        this.unwatchedTimer = undefined;
        if (this.watchers !== 0 || this.finished) return;
        this.paused = true;
        this.abandonTimer = setTimeout(() => {
          if (!this.paused) return;
          // Nobody came back: the listing ends here (it is not kept, being incomplete).
          this.replaced.abort();
          this.paused = false;
          for (const wake of this.resumeWaiters.splice(0)) wake();
        }, ABANDONED_AFTER_MS);
        this.abandonTimer.unref();
      }, UNWATCHED_GRACE_MS);
      this.unwatchedTimer.unref();
    }
  }

  /** Counts the caller as watching until `until` settles. */
  private watchWhile(until: Promise<void>): Promise<void> {
    this.watchersChanged(1);
    return until.finally(() => this.watchersChanged(-1));
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
      clearTimeout(this.unwatchedTimer);
      for (const wake of this.finishedWaiters.splice(0)) wake();
    }
  }

  /** Replays what happened so far, then follows along until `done`. */
  subscribe(listener: Listener): () => void {
    for (const event of this.events) listener(event);
    if (this.finished) return () => {};
    this.listeners.add(listener);
    this.watchersChanged(1);
    return () => {
      if (this.listeners.delete(listener)) this.watchersChanged(-1);
    };
  }

  accountsComplete(): Promise<void> {
    return this.accountsKnown ? Promise.resolve() : this.watchWhile(new Promise((resolve) => this.accountsWaiters.push(resolve)));
  }

  done(): Promise<void> {
    return this.finished ? Promise.resolve() : this.watchWhile(new Promise((resolve) => this.finishedWaiters.push(resolve)));
  }
}

