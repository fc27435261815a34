import 'server-only';

import type { ListingEvent } from '@/lib/shared/accounts';

import type { AccountRoles } from '@/lib/server/aws/portal';

import type { Listener, Listing } from './types';

/**
 * One listing in progress: its events go out to every tab and terminal that watches, are kept for
 * anyone who subscribes later, and are held back while the person's identity is unconfirmed.
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

