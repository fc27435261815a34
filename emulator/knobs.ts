/**
 * Knobs (doc §8): defaults, validation, the portal token bucket and forced faults.
 * Knobs live on ctx.knobs and can change at run time, so everything here reads them on every call.
 */
import { z } from 'zod';
import type { Clock, EmulatorKnobs } from './types';

export const DEFAULT_KNOBS: Readonly<EmulatorKnobs> = Object.freeze({
  latencyMs: 0,
  rateLimit: 0,
  rateBurst: 1,
  faultRate: 0,
  accessTokenTtlSeconds: 3600,
  ssoSessionTtlSeconds: 28_800,
  deviceCodeTtlSeconds: 600,
  pollIntervalSeconds: 1,
  clientRegistrationTtlSeconds: 7_776_000,
  signinTokenTtlSeconds: 900,
  roleCredentialTtlSeconds: 0,
});

const seconds = z.number().int().min(1).max(31_536_000);

/** Every knob, each optional; unknown keys are refused so a typo never silently does nothing. */
export const knobsPatchSchema = z.strictObject({
  latencyMs: z.number().int().min(0).max(120_000).optional(),
  rateLimit: z.number().min(0).max(1_000_000).optional(),
  rateBurst: z.number().min(1).max(1_000_000).optional(),
  faultRate: z.number().min(0).max(1).optional(),
  accessTokenTtlSeconds: seconds.optional(),
  ssoSessionTtlSeconds: seconds.optional(),
  deviceCodeTtlSeconds: seconds.optional(),
  pollIntervalSeconds: z.number().int().min(1).max(3600).optional(),
  clientRegistrationTtlSeconds: seconds.optional(),
  signinTokenTtlSeconds: seconds.optional(),
  // 0 restores the permission set's own session duration; AWS never goes below 900 s, tests of renewal do.
  roleCredentialTtlSeconds: z.number().int().min(0).max(43_200).optional(),
});

export type KnobsPatch = z.infer<typeof knobsPatchSchema>;

/** Copies only the keys that are set (zod leaves absent optional keys out, but be explicit for callers' objects). */
function definedEntries(patch: KnobsPatch): Partial<EmulatorKnobs> {
  const out: Partial<EmulatorKnobs> = {};
  for (const [key, value] of Object.entries(patch) as [keyof EmulatorKnobs, number | undefined][]) {
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/**
 * Applies a validated patch. When rateLimit changes without an explicit rateBurst, the burst follows it
 * (max(1, rateLimit)), the same rule as the start-up default.
 */
export function applyKnobs(base: EmulatorKnobs, patch: KnobsPatch): EmulatorKnobs {
  const set = definedEntries(patch);
  const next: EmulatorKnobs = { ...base, ...set };
  if (set.rateLimit !== undefined && set.rateBurst === undefined) next.rateBurst = Math.max(1, set.rateLimit);
  return next;
}

/** Turns zod issues into one line naming each offending field. */
export function describeIssues(error: z.ZodError, prefix = ''): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.map(String).join('.');
      return path ? `${prefix}${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}

/**
 * Global token bucket for the portal ops. Refill uses the injected clock so tests can drive it; a change of
 * rateLimit/rateBurst refills the bucket (a new limit starts from a full burst).
 */
export class TokenBucket {
  private tokens = 0;
  private lastRefillMs = 0;
  private configKey = '';

  constructor(private readonly clock: Clock) {}

  /** True when the call may proceed. */
  take(rate: number, burst: number): boolean {
    if (rate <= 0) return true;
    const now = this.clock.now();
    const key = `${rate}/${burst}`;
    if (key !== this.configKey) {
      this.configKey = key;
      this.tokens = burst;
      this.lastRefillMs = now;
    }
    const elapsed = Math.max(0, now - this.lastRefillMs);
    this.tokens = Math.min(burst, this.tokens + (elapsed / 1000) * rate);
    this.lastRefillMs = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return true;
    }
    return false;
  }
}

export const forcedFaultsSchema = z.strictObject({
  throttle: z.number().int().min(0).max(1_000_000).optional(),
  error: z.number().int().min(0).max(1_000_000).optional(),
  drop: z.number().int().min(0).max(1_000_000).optional(),
  /** Only calls about this account (its `account_id`) take the faults; null or absent: any call. */
  accountId: z.string().regex(/^\d{12}$/).nullable().optional(),
});

export type ForcedFaultKind = 'throttle' | 'error' | 'drop';

/** Deterministic faults for the next N portal calls; consumed throttle first, then error, then drop. */
export class ForcedFaults {
  private pending: Record<ForcedFaultKind, number> = { throttle: 0, error: 0, drop: 0 };
  private accountId: string | null = null;

  /** Sets the counters that are given (others keep their value), and the account filter when given. */
  set(counts: z.infer<typeof forcedFaultsSchema>): void {
    for (const kind of ['throttle', 'error', 'drop'] as const) {
      const value = counts[kind];
      if (value !== undefined) this.pending[kind] = value;
    }
    if (counts.accountId !== undefined) this.accountId = counts.accountId;
  }

  snapshot(): Record<ForcedFaultKind, number> & { accountId: string | null } {
    return { ...this.pending, accountId: this.accountId };
  }

  /** The fault for this call, if any; `accountId` is the call's `account_id` (null when it has none). */
  next(accountId: string | null = null): ForcedFaultKind | undefined {
    if (this.accountId !== null && this.accountId !== accountId) return undefined;
    for (const kind of ['throttle', 'error', 'drop'] as const) {
      if (this.pending[kind] > 0) {
        this.pending[kind] -= 1;
        return kind;
      }
    }
    return undefined;
  }
}
