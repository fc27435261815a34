import 'server-only';

import { getConfig, type IdentityCenterInstance } from '@/lib/server/core/config';
import { services } from '@/lib/server/services';

/**
 * Readiness: the session store answers and Identity Center is reachable. Reachability is an
 * unauthenticated request to the portal API, which any live endpoint answers (with 401); the
 * answer is remembered for a while so probes never add load toward AWS.
 */
const REACHABILITY_TTL_MS = 30_000;
const TIMEOUT_MS = 3_000;

const lastChecks = new Map<string, { at: number; reachable: boolean }>();

type Reachability = 'ok' | 'unreachable';

export interface Readiness {
  ready: boolean;
  checks: {
    store: 'ok' | 'unavailable';
    /** With one instance, whether it is reachable; with several, ok while at least one is. */
    identityCenter: Reachability;
    /** With several instances: each one, by key. */
    instances?: Record<string, Reachability>;
  };
}

async function identityCenterReachable(instance: IdentityCenterInstance): Promise<boolean> {
  const lastCheck = lastChecks.get(instance.key);
  if (lastCheck && Date.now() - lastCheck.at < REACHABILITY_TTL_MS) return lastCheck.reachable;
  const base = instance.endpoints.sso ?? `https://portal.sso.${instance.ssoRegion}.amazonaws.com`;
  let reachable: boolean;
  try {
    const response = await fetch(new URL('/assignment/accounts', base), { signal: AbortSignal.timeout(TIMEOUT_MS), cache: 'no-store' });
    await response.body?.cancel();
    reachable = true;
  } catch {
    reachable = false;
  }
  lastChecks.set(instance.key, { at: Date.now(), reachable });
  return reachable;
}

/**
 * Ready when the store answers and Identity Center is reachable. With several instances, one
 * organisation's outage must not take the portal out of the load balancer for the others: ready
 * while at least one answers, and each one's state is reported.
 */
export async function readiness(): Promise<Readiness> {
  const { instances } = getConfig();
  const [store, reachable] = await Promise.all([
    services()
      .store.ping()
      .then(() => 'ok' as const)
      .catch(() => 'unavailable' as const),
    Promise.all(instances.map((instance) => identityCenterReachable(instance))),
  ]);
  const state = (ok: boolean): Reachability => (ok ? 'ok' : 'unreachable');
  const identityCenter = state(reachable.some(Boolean));
  const checks: Readiness['checks'] = { store, identityCenter };
  if (instances.length > 1) checks.instances = Object.fromEntries(instances.map((instance, index) => [instance.key, state(reachable[index] === true)]));
  return { ready: store === 'ok' && identityCenter === 'ok', checks };
}
