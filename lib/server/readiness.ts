import 'server-only';

import { getConfig } from '@/lib/server/env';
import { runtime } from '@/lib/server/runtime';

/**
 * Readiness: the session store answers and Identity Center is reachable. Reachability is an
 * unauthenticated request to the portal API, which any live endpoint answers (with 401); the
 * answer is remembered for a while so probes never add load toward AWS.
 */
const REACHABILITY_TTL_MS = 30_000;
const TIMEOUT_MS = 3_000;

let lastCheck: { at: number; reachable: boolean } | undefined;

export interface Readiness {
  ready: boolean;
  checks: { store: 'ok' | 'unavailable'; identityCenter: 'ok' | 'unreachable' };
}

async function identityCenterReachable(): Promise<boolean> {
  if (lastCheck && Date.now() - lastCheck.at < REACHABILITY_TTL_MS) return lastCheck.reachable;
  const instance = getConfig().identityCenter;
  const base = instance.endpoints.sso ?? `https://portal.sso.${instance.ssoRegion}.amazonaws.com`;
  let reachable: boolean;
  try {
    const response = await fetch(new URL('/assignment/accounts', base), { signal: AbortSignal.timeout(TIMEOUT_MS), cache: 'no-store' });
    await response.body?.cancel();
    reachable = true;
  } catch {
    reachable = false;
  }
  lastCheck = { at: Date.now(), reachable };
  return reachable;
}

export async function readiness(): Promise<Readiness> {
  const [store, identityCenter] = await Promise.all([
    runtime()
      .store.ping()
      .then(() => 'ok' as const)
      .catch(() => 'unavailable' as const),
    identityCenterReachable().then((ok) => (ok ? ('ok' as const) : ('unreachable' as const))),
  ]);
  return { ready: store === 'ok' && identityCenter === 'ok', checks: { store, identityCenter } };
}
