/**
 * Per-emulator runtime shared by the routers: the context plus the pieces that are not part of the
 * public EmulatorContext (SSO state, limiter, forced faults, call counters).
 */
import type { ForcedFaults, TokenBucket } from './knobs';
import type { SsoStore } from './store';
import type { EmulatorContext } from './types';

/** The grant a CreateToken call asks for (both spellings of the device grant are `device_code`). */
export type GrantKind = 'device_code' | 'refresh_token' | 'authorization_code' | 'other';

export interface StatsSnapshot {
  since: string;
  total: number;
  /** AWS API calls by operation name (RegisterClient, ListAccounts, GetCallerIdentity…), faulted ones included. */
  calls: Record<string, number>;
  /**
   * CreateToken answers by grant and outcome: `issued`, or the OAuth error sent (`invalid_grant`,
   * `authorization_pending`…). Calls refused before the grant is known (faults, malformed bodies) are not here.
   */
  grants: Partial<Record<GrantKind, Record<string, number>>>;
  throttled: number;
  injectedErrors: number;
  droppedConnections: number;
}

export class Stats {
  private calls = new Map<string, number>();
  private grants = new Map<GrantKind, Map<string, number>>();
  private sinceMs = Date.now();
  throttled = 0;
  injectedErrors = 0;
  droppedConnections = 0;

  record(operation: string): void {
    this.calls.set(operation, (this.calls.get(operation) ?? 0) + 1);
  }

  recordGrant(grant: GrantKind, outcome: string): void {
    const outcomes = this.grants.get(grant) ?? new Map<string, number>();
    outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    this.grants.set(grant, outcomes);
  }

  snapshot(): StatsSnapshot {
    const calls = Object.fromEntries([...this.calls].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    let total = 0;
    for (const n of this.calls.values()) total += n;
    return {
      since: new Date(this.sinceMs).toISOString(),
      total,
      calls,
      grants: Object.fromEntries([...this.grants].map(([grant, outcomes]) => [grant, Object.fromEntries(outcomes)])),
      throttled: this.throttled,
      injectedErrors: this.injectedErrors,
      droppedConnections: this.droppedConnections,
    };
  }

  reset(): void {
    this.calls = new Map();
    this.grants = new Map();
    this.sinceMs = Date.now();
    this.throttled = 0;
    this.injectedErrors = 0;
    this.droppedConnections = 0;
  }
}

export interface EmulatorRuntime {
  ctx: EmulatorContext;
  store: SsoStore;
  bucket: TokenBucket;
  faults: ForcedFaults;
  stats: Stats;
}
