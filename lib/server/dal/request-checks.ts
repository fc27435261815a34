import 'server-only';

import { clientAddress, requestClient } from '@/lib/server/core/client-address';
import { sha256Hex } from '@/lib/server/core/crypto';
import { GatehouseError } from '@/lib/server/core/errors';
import { metrics } from '@/lib/server/core/metrics';
import { services } from '@/lib/server/services';
import { type Viewer } from '@/lib/server/viewer';

/**
 * What the front door checks of every request before the work: request budgets per session and
 * per client address, and the audit of refusals, sampled so a flood of them cannot flush the
 * trail. Counted in the store, so every portal process shares them.
 */

export type LimitedAction = 'sign-in' | 'poll' | 'credentials' | 'terminal-credentials' | 'console' | 'listing';

/** What a check needs of a request (a viewer has it; so does a request whose instance is unknown). */
export type RequestFacts = Pick<Viewer, 'headers' | 'sessionIds' | 'requestId' | 'action'>;

const WINDOW_MS = 60_000;

/** Fixed one-minute windows: generous enough that a person never meets them while a script does. */
const BUDGETS: Record<LimitedAction, { perSession: number; perAddress: number }> = {
  'sign-in': { perSession: 10, perAddress: 30 },
  // The page polls about once a second; a tight loop is not.
  poll: { perSession: 120, perAddress: 600 },
  credentials: { perSession: 30, perAddress: 120 },
  // A terminal's hand-outs: each `aws` command asks anew, so a script's burst is normal. Those the
  // portal's cache answers spend this; those that reach Identity Center spend `credentials` too.
  'terminal-credentials': { perSession: 600, perAddress: 2400 },
  console: { perSession: 30, perAddress: 120 },
  listing: { perSession: 60, perAddress: 300 },
};

/** Spends one request of the budget; a `rate_limited` error (429 with Retry-After) when it is spent. */
export async function spendBudget(request: RequestFacts, action: LimitedAction): Promise<void> {
  const { store, config, audit } = services();
  const budget = BUDGETS[action];
  const now = Date.now();
  const window = Math.floor(now / WINDOW_MS);
  const retryAfterSeconds = Math.max(1, Math.ceil(((window + 1) * WINDOW_MS - now) / 1000));
  // A person signed in to several instances has one budget: their first session's.
  const session = [...request.sessionIds.values()][0];
  const address = clientAddress(request.headers, config.trustedProxyCount);

  const checks: [string, number][] = [[`rl:${action}:ip:${sha256Hex(address)}:${window}`, budget.perAddress]];
  if (session) checks.push([`rl:${action}:session:${sha256Hex(session)}:${window}`, budget.perSession]);
  for (const [key, limit] of checks) {
    const count = await store.increment(key, WINDOW_MS);
    if (count > limit) {
      // One audit line per window and key, not one per rejected request.
      if (count === limit + 1) {
        await audit.record({
          event: 'rate_limited',
          action,
          scope: key.includes(':ip:') ? 'address' : 'session',
          ...requestClient(request.headers, config.trustedProxyCount),
          requestId: request.requestId,
        });
      }
      throw new GatehouseError('rate_limited', undefined, { retryAfterSeconds });
    }
  }
}

/** Refusals written to the audit trail per minute: by a signed-in session, and without one. */
const REFUSALS_PER_SESSION = 10;
const REFUSALS_PER_ADDRESS = 2;
const ANONYMOUS_REFUSALS = 30;

/**
 * Whether this refusal goes into the audit trail. Every refusal is counted in the metrics; the trail
 * keeps a sample, so that nobody can flush real events out of it with a flood of bad requests: the
 * first 10 a minute of each kind for a signed-in session, and without a session the first 2 a minute
 * of each kind per client address, 30 a minute from everyone together.
 */
async function sampledIntoTrail(event: string, request: RequestFacts, sessionRef: string | undefined): Promise<boolean> {
  const { store, config } = services();
  const window = Math.floor(Date.now() / WINDOW_MS);
  const within = async (key: string, limit: number) => (await store.increment(`audit-sample:${key}:${window}`, WINDOW_MS)) <= limit;
  try {
    if (sessionRef) return await within(`session:${sessionRef}:${event}`, REFUSALS_PER_SESSION);
    const address = sha256Hex(clientAddress(request.headers, config.trustedProxyCount));
    return (await within(`address:${address}:${event}`, REFUSALS_PER_ADDRESS)) && (await within('anonymous', ANONYMOUS_REFUSALS));
  } catch {
    // The store cannot count: the metric has it; the trail does not.
    return false;
  }
}

/**
 * Records a refused request: the route, and for a refused account or role, who asked for what (the
 * person's own session says who; the values were validated before they were looked up). Counted
 * always, written to the audit trail as sampled above. `viewer` is absent when the request named
 * an instance that does not exist.
 */
export async function recordRefusal(
  request: RequestFacts,
  viewer: Viewer | undefined,
  event: 'authz_fail' | 'input_validation_fail',
  attempt?: { accountId: string; roleName?: string },
): Promise<void> {
  const standing = viewer ? await viewer.standing().catch(() => undefined) : undefined;
  const signedIn = standing?.state === 'signed-in' ? standing : undefined;
  metrics().refusals.inc({ event, by: signedIn ? 'session' : 'anonymous' });
  if (!(await sampledIntoTrail(event, request, signedIn?.sessionRef))) return;
  await services().audit.record({
    event,
    user: signedIn?.user,
    accountId: attempt?.accountId,
    roleName: attempt?.roleName,
    action: request.action,
    instance: viewer?.instance.id,
    session: signedIn?.sessionRef,
    ...requestClient(request.headers, services().config.trustedProxyCount),
    requestId: request.requestId,
  });
}
