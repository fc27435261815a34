import 'server-only';

import type { NextRequest } from 'next/server';

import { audit } from '@/lib/server/audit';
import { getConfig } from '@/lib/server/env';
import { runtime } from '@/lib/server/runtime';
import { sha256Hex } from '@/lib/server/session/crypto';

import { apiError } from './api';
import { clientAddress } from './peer-address';
import { requestIdOf } from './request-guard';
import { sessionCookieOf } from './instance';

/**
 * Request budgets for the routes worth abusing, per session and per client address, counted in the
 * store (so several instances share them). Fixed one-minute windows: simple, and generous enough
 * that a person never meets them while a script does.
 */
export type LimitedAction = 'sign-in' | 'poll' | 'credentials' | 'console' | 'listing';

const WINDOW_MS = 60_000;

const BUDGETS: Record<LimitedAction, { perSession: number; perAddress: number }> = {
  'sign-in': { perSession: 10, perAddress: 30 },
  // The page polls about once a second; a tight loop is not.
  poll: { perSession: 120, perAddress: 600 },
  credentials: { perSession: 30, perAddress: 120 },
  console: { perSession: 30, perAddress: 120 },
  listing: { perSession: 60, perAddress: 300 },
};

/** A 429 with Retry-After when the request is over budget; null when it may go on. */
export async function overBudget(request: NextRequest, action: LimitedAction): Promise<Response | null> {
  const { store } = runtime();
  const config = getConfig();
  const budget = BUDGETS[action];
  const now = Date.now();
  const window = Math.floor(now / WINDOW_MS);
  const retryAfterSeconds = Math.max(1, Math.ceil(((window + 1) * WINDOW_MS - now) / 1000));
  // A person signed in to several instances has one budget: their first session's.
  const session = config.instances.map((instance) => sessionCookieOf(request, instance)).find((id) => id !== undefined);
  const address = clientAddress(request.headers, config.trustedProxyCount);

  const checks: [string, number][] = [[`rl:${action}:ip:${sha256Hex(address)}:${window}`, budget.perAddress]];
  if (session) checks.push([`rl:${action}:session:${sha256Hex(session)}:${window}`, budget.perSession]);
  for (const [key, limit] of checks) {
    const count = await store.increment(key, WINDOW_MS);
    if (count > limit) {
      // One audit line per window and key, not one per rejected request.
      if (count === limit + 1) {
        await audit({ event: 'rate_limited', action, scope: key.includes(':ip:') ? 'address' : 'session', requestId: requestIdOf(request) });
      }
      return apiError(429, 'rate_limited', 'Too many requests. Wait a moment and try again.', {
        'Retry-After': String(retryAfterSeconds),
      });
    }
  }
  return null;
}
