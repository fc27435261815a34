/**
 * The floor: the least wall time any client can need to list every account and every role, given the
 * emulator's rate limit and the sequential paging of ListAccounts. Pure arithmetic on the run's parameters.
 *
 * Model of the emulator (emulator/server.ts, emulator/knobs.ts):
 *   - every AWS API call first sleeps `L` ms (latencyMs), then asks the token bucket;
 *   - the token bucket covers the *portal* operations only (ListAccounts, ListAccountRoles,
 *     GetRoleCredentials, Logout); OIDC and STS calls get the latency but are never throttled;
 *   - the bucket holds at most `B` tokens (rateBurst) and refills at `R` tokens per second (rateLimit);
 *     a throttled call (429) does not use a token.
 *
 * The bench waits until the bucket is full (idle for at least B/R seconds) before each measured phase, and
 * the clock starts when the first request of the phase is sent (t = 0).
 *
 * Calls of a full listing of A accounts:
 *   P = max(1, ceil(A / 100)) ListAccounts calls (maxResults 100), strictly sequential: page i+1 needs the
 *       nextToken of page i;
 *   N = A ListAccountRoles calls, one per account (each account's roles fit one page: at most 12 roles);
 *   G = GetRoleCredentials calls the client makes in the same phase. Gatehouse makes one (then one STS
 *       GetCallerIdentity) to learn the signed-in person's user name; the bench COUNTS that GetRoleCredentials
 *       call because it is a portal call and takes a token from the same bucket. It takes G from the
 *       emulator's call counts of the phase, so a portal that learned the name earlier is not charged for it.
 *       GetCallerIdentity is EXCLUDED: STS is not rate-limited and the call overlaps the listing, so it can
 *       only add latency if it were on the critical path, which it need not be.
 *   M = P + N + G rate-limited calls in all.
 *
 * Bound 1 (rate): with a full bucket, the k-th admitted call (0-based) cannot be admitted before
 *   T1 + max(0, (k - B + 1) / R) s, where T1 >= L is when the first call reaches the bucket (it slept L first).
 *   The last call, k = M - 1, is admitted no earlier than  L + max(0, (M - B) / R) s.
 * Bound 2 (paging): P sequential ListAccounts calls take at least P * L; the roles of the accounts on the last
 *   page can only be asked for after that, and that call takes at least L more: (P + 1) * L.
 *
 *   floorMs = max(P * L, max(0, (M - B) / R) * 1000) + L        (R > 0; with no rate limit, bound 1 is just L)
 *
 * For the defaults (A = 1000, L = 25 ms, R = 20/s, B = 20, G = 1): P = 10, N = 1000, M = 1011,
 *   floor = max(250, 49 550) + 25 = 49 575 ms. The rate limit, not the latency, decides.
 *
 * The floor ignores everything that is not the emulator's latency or the bucket: network, JSON, the portal's
 * own work. Hence the target of ratio = allRolesMs / floorMs <= 1.15, not 1.0.
 *
 * The same bounds without the roles give the least time to *all accounts*: the P ListAccounts calls
 *   allAccountsFloorMs = max(P * L, L + max(0, (P - B) / R) * 1000)
 * (only if the client asks for the pages before any roles; a client that interleaves roles can be later).
 */

export interface FloorInput {
  accounts: number;
  latencyMs: number;
  /** Requests per second; 0 = no limit. */
  rateLimit: number;
  rateBurst: number;
  /** GetRoleCredentials calls in the measured phase (the portal's identity lookup). */
  identityCalls: number;
}

export interface Floor {
  /** ListAccounts calls. */
  pages: number;
  /** ListAccountRoles calls. */
  roleCalls: number;
  identityCalls: number;
  /** All rate-limited calls. */
  limitedCalls: number;
  /** The rate bound (bound 1), ms. */
  rateBoundMs: number;
  /** The paging bound (bound 2), ms. */
  pagingBoundMs: number;
  floorMs: number;
  allAccountsFloorMs: number;
  /** Which bound decides. */
  boundBy: 'rate limit' | 'paging latency';
}

export function listAccountsPages(accounts: number): number {
  return Math.max(1, Math.ceil(accounts / 100));
}

/** ms for the (count)th call to clear a full bucket: max(0, (count - B) / R) s. */
function bucketDelayMs(count: number, rateLimit: number, rateBurst: number): number {
  if (rateLimit <= 0) return 0;
  return (Math.max(0, count - rateBurst) / rateLimit) * 1000;
}

export function computeFloor(input: FloorInput): Floor {
  const { accounts, latencyMs: L, rateLimit: R, rateBurst: B, identityCalls: G } = input;
  const P = listAccountsPages(accounts);
  const N = accounts;
  const M = P + N + G;
  const rateBoundMs = bucketDelayMs(M, R, B) + L;
  const pagingBoundMs = P * L + (N > 0 ? L : 0);
  const floorMs = Math.max(rateBoundMs, pagingBoundMs);
  const allAccountsFloorMs = Math.max(P * L, L + bucketDelayMs(P, R, B));
  return {
    pages: P,
    roleCalls: N,
    identityCalls: G,
    limitedCalls: M,
    rateBoundMs,
    pagingBoundMs,
    floorMs,
    allAccountsFloorMs,
    boundBy: rateBoundMs >= pagingBoundMs ? 'rate limit' : 'paging latency',
  };
}

/** The floor of a purely sequential client: every call waits for the previous one, so also (P + N) * L. */
export function sequentialFloorMs(input: FloorInput): number {
  const floor = computeFloor(input);
  return Math.max(floor.floorMs, (floor.pages + floor.roleCalls + floor.identityCalls) * input.latencyMs);
}

/** Idle time after which the bucket is full again (B / R seconds), plus a margin. */
export function bucketRefillMs(rateLimit: number, rateBurst: number, marginMs = 250): number {
  if (rateLimit <= 0) return 0;
  return Math.ceil((rateBurst / rateLimit) * 1000) + marginMs;
}
