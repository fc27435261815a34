import 'server-only';

import { z } from 'zod';

import type { ClientRegistration, OidcGateway } from '@/lib/server/aws/oidc';
import { GatehouseError } from '@/lib/server/core/errors';
import type { SealedRecords } from '@/lib/server/store/sealed';
import type { KeyValueStore } from '@/lib/server/store/types';

import type { SessionKind } from './record';
import { LOCK_WAIT_MS, type SessionRecords } from './records';

/**
 * The portal's OIDC clients for one Identity Center instance, one for browsers' sign-ins and one for
 * terminals' (so Identity Center's page names what asks): each registered once (RegisterClient),
 * kept sealed in the store and shared by every portal process, renewed a day before it expires.
 */

/** Renew the client registration when less than this is left. */
const REGISTRATION_RENEWAL_MS = 24 * 60 * 60 * 1000;

const registrationSchema = z.object({ clientId: z.string(), clientSecret: z.string(), expiresAt: z.number() });

export function createClientRegistration(deps: {
  store: KeyValueStore;
  sealed: SealedRecords;
  records: Pick<SessionRecords, 'withLock'>;
  oidc: OidcGateway;
  now: () => number;
  instanceId: string;
  /** The name each kind of client registers under. */
  clientNames: Record<SessionKind, string>;
  pause: (ms: number) => Promise<void>;
}) {
  const { now } = deps;
  const keyOf = (kind: SessionKind) => (kind === 'browser' ? `oidc-client:${deps.instanceId}` : `oidc-client:${deps.instanceId}:${kind}`);
  const fresh = (registration: ClientRegistration | null) => registration !== null && registration.expiresAt - now() > REGISTRATION_RENEWAL_MS;

  /** The registration to use now: the stored one, or a new one registered under a lock. */
  async function current(kind: SessionKind): Promise<ClientRegistration> {
    const key = keyOf(kind);
    for (let attempt = 0; attempt < LOCK_WAIT_MS / 100; attempt += 1) {
      const existing = await deps.sealed.read(key, registrationSchema);
      if (existing && fresh(existing)) return existing;
      const result = await deps.records.withLock(`registration:${deps.instanceId}:${kind}`, async () => {
        const again = await deps.sealed.read(key, registrationSchema);
        if (again && fresh(again)) return again;
        const answer = await deps.oidc.registerClient(deps.clientNames[kind]);
        // Like a failed StartDeviceAuthorization: Identity Center cannot be used right now.
        if (!answer.ok) throw new GatehouseError('upstream_unavailable');
        await deps.sealed.write(key, answer.value, Math.max(1, answer.value.expiresAt - now()));
        return answer.value;
      });
      if (result.acquired) return result.value;
      // Another instance is registering; an expiring registration still works meanwhile.
      if (existing && existing.expiresAt > now()) return existing;
      await deps.pause(100);
    }
    throw new GatehouseError('upstream_unavailable');
  }

  /** Identity Center no longer accepts the registration: the next sign-in registers anew. */
  async function forget(kind: SessionKind): Promise<void> {
    await deps.store.delete(keyOf(kind));
  }

  return { current, forget };
}

export type ClientRegistrations = ReturnType<typeof createClientRegistration>;
