import 'server-only';

import type { OidcGateway } from '@/lib/server/aws/oidc';
import type { PortalGateway } from '@/lib/server/aws/portal';
import type { Sealer } from '@/lib/server/core/crypto';
import { createSealedRecords } from '@/lib/server/store/sealed';
import type { KeyValueStore } from '@/lib/server/store/types';

import { createClientRegistration } from './client-registration';
import { createDeviceFlow } from './device-flow';
import { isSignedIn, type SessionKind, type SignedInRecord } from './record';
import { createSessionRecords, type EndReason, sessionKey, type SessionSettings } from './records';
import { createPendingSignIns } from './pending-sign-ins';
import { createTerminalLogins } from './terminal-logins';
import { createTokenRefresh } from './token-refresh';

export type { PollResult, PollStatus, StartedFlow } from './device-flow';
export { type EndReason, type SessionEnd, type SessionEnding, type SessionLookup, type SessionSettings } from './records';

/**
 * Server-side sessions of one Identity Center instance, put together from their parts: the records
 * (timeouts, use, locks), the client registration, the device flow and the token refresh. The
 * portal server is the OAuth device; browsers and terminals hold only a session id.
 */

export const DEFAULT_REFRESH_WINDOW_MS = 5 * 60 * 1000;

export interface SessionManagerDeps {
  store: KeyValueStore;
  sealer: Sealer;
  now: () => number;
  settings: SessionSettings;
  instanceId: string;
  /** The OIDC client name Identity Center's page shows, per kind of session (see client-name.ts). */
  clientNames: Record<SessionKind, string>;
  oidc: OidcGateway;
  portal: Pick<PortalGateway, 'logout'>;
  /** Waits between lock checks; injectable so unit tests run on a fake clock. */
  pause?: (ms: number) => Promise<void>;
  /** Called once for each session that ends, with why and whose it was (the audit trail hooks in here). */
  onSessionEnded?: (reason: EndReason, userName: string | undefined, sessionRef: string) => void;
}

export function createSessionManager(deps: SessionManagerDeps) {
  const pause = deps.pause ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const sealed = createSealedRecords(deps.store, deps.sealer);
  const common = { now: deps.now, settings: deps.settings, instanceId: deps.instanceId };
  const records = createSessionRecords({ ...common, store: deps.store, sealed, pause, onSessionEnded: deps.onSessionEnded });
  const registrations = createClientRegistration({ ...common, store: deps.store, sealed, records, oidc: deps.oidc, clientNames: deps.clientNames, pause });
  const pending = createPendingSignIns({ store: deps.store, now: deps.now, instanceId: deps.instanceId });
  const flow = createDeviceFlow({ ...common, records, registrations, pending, oidc: deps.oidc });
  const tokens = createTokenRefresh({ ...common, records, registrations, oidc: deps.oidc, pause });
  const terminalLogins = createTerminalLogins({ sealed, records, now: deps.now });

  /** Signs out: Logout at Identity Center (its failure tolerated), then the record is deleted. */
  async function signOut(id: string | undefined): Promise<boolean> {
    const found = await records.lookup(id);
    if (found.kind !== 'active') return false;
    if (isSignedIn(found.record)) {
      try {
        await deps.portal.logout(found.record.sso.accessToken);
      } catch {
        // Like the AWS CLI: the local session ends whatever Identity Center answered.
      }
    }
    await records.end(found.id, 'signed_out', found.record);
    return true;
  }

  /** Ends a session Identity Center no longer accepts (a 401 from the portal API). */
  async function endUnauthorized(id: string): Promise<void> {
    await records.end(id, 'unauthorized', await records.read(id));
  }

  /**
   * Revokes a session known only by the hash of its id (a terminal's, from its person's Activity
   * page): Logout at Identity Center for its sign-in (its failure tolerated), the record deleted.
   */
  async function revoke(idHash: string, sessionRef: string, end: { by?: string; reason?: 'revoked' | 'evicted' } = {}): Promise<boolean> {
    const record = await records.readByHash(idHash);
    if (!record) return false;
    if (isSignedIn(record)) {
      try {
        await deps.portal.logout(record.sso.accessToken);
      } catch {
        // The session ends here whatever Identity Center answered.
      }
    }
    await records.endByHash(idHash, end.reason ?? 'revoked', sessionRef, end.by);
    return true;
  }

  /** Changes a signed-in record (the user name learned), safely beside a refresh. */
  async function remember(id: string, update: (record: SignedInRecord) => SignedInRecord): Promise<void> {
    await records.update(id, update);
  }

  return {
    lookup: records.lookup,
    startDeviceFlow: flow.start,
    pollDeviceFlow: flow.poll,
    abandonDeviceFlow: flow.abandon,
    accessToken: tokens.accessToken,
    signOut,
    revoke,
    readByHash: records.readByHash,
    terminalLogins,
    endUnauthorized,
    remember,
    expiryOf: records.expiryOf,
    endingOf: records.endingOf,
    cookieExpiryOf: records.cookieExpiryOf,
    storeKeyFor: sessionKey,
  };
}

export type SessionManager = ReturnType<typeof createSessionManager>;
