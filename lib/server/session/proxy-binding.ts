import 'server-only';

import { audit } from '@/lib/server/audit';
import { proxyIdentity, requestIdOf, sameIdentity } from '@/lib/server/http/request-guard';
import { runtime } from '@/lib/server/runtime';

import type { SessionRecord } from './record';

/**
 * Behind an authenticating proxy (TRUSTED_IDENTITY_HEADER), a session belongs to the person the
 * proxy named when it began. Presented for anyone else, or for nobody, it is a stolen session: it
 * ends (Logout at Identity Center included) and the mismatch is audited. True when the request may
 * use the session; always true without a trusted identity header.
 */
export async function proxyBindingHolds(headers: Pick<Headers, 'get'>, sessionId: string, record: SessionRecord): Promise<boolean> {
  const { config, sessionsFor } = runtime();
  const proxyUser = proxyIdentity({ headers }, config.trustedIdentityHeader);
  if (proxyUser === undefined) return true;
  if (proxyUser !== null && record.proxyUser !== undefined && sameIdentity(proxyUser, record.proxyUser)) return true;
  await audit({
    event: 'identity_mismatch',
    user: record.user?.userName,
    reason: 'proxy_user_changed',
    instance: record.instanceId,
    requestId: requestIdOf({ headers }),
  });
  const instance = config.instances.find((each) => each.id === record.instanceId);
  if (instance) await sessionsFor(instance).signOut(sessionId);
  return false;
}
