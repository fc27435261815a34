import 'server-only';

import { z } from 'zod';

import type { RoleCredentials } from '@/lib/server/aws/portal';
import { sha256Hex } from '@/lib/server/core/crypto';
import { services } from '@/lib/server/services';
import type { Viewer } from '@/lib/server/viewer';
import { nicknamed } from '@/lib/shared/accounts';
import type { CredentialsDTO } from '@/lib/shared/credential-formats';
import { isoSeconds } from '@/lib/shared/credential-formats';

import { assertAssigned, recordHandOut, roleCredentials } from './credentials';
import { refusingWithAudit } from './refusal-audit';
import { spendBudget } from './request-checks';

/**
 * Role credentials and the listing for the `gatehouse` command: credentials kept on the server per
 * terminal session until ten minutes before they expire, so that a burst of commands costs one call
 * to Identity Center. Every hand-out is audited.
 */

/** Cached credentials are handed out until this long before they expire. */
const CACHE_MARGIN_MS = 10 * 60 * 1000;

const cachedSchema = z.object({ accessKeyId: z.string(), secretAccessKey: z.string(), sessionToken: z.string(), expiration: z.number() });

/**
 * Credentials for one of the person's roles, for a terminal: from the portal's cache while they
 * have more than ten minutes left, else fetched and kept (sealed, per terminal session and role).
 * The assignment is checked every time; every hand-out is audited, cached or not.
 */
export async function terminalCredentials(viewer: Viewer, input: { accountId: string; roleName: string }): Promise<CredentialsDTO> {
  const person = await viewer.person();
  const { sealed, store } = services();
  const key = `terminal-credentials:${sha256Hex(`${viewer.sessionId ?? ''}\n${input.accountId}/${input.roleName}`)}`;
  let credentials: RoleCredentials | null = null;
  let cached = false;
  const kept = await sealed.read(key, cachedSchema);
  if (kept && kept.expiration - Date.now() > CACHE_MARGIN_MS) {
    // Still the person's role: a hand-out is never made for an assignment that is gone.
    await refusingWithAudit(viewer, () => assertAssigned(person, input.accountId, input.roleName));
    credentials = kept;
    cached = true;
  } else {
    // A call to Identity Center: the same budget as a browser's hand-out.
    await spendBudget(viewer, 'credentials');
    credentials = await refusingWithAudit(viewer, () => roleCredentials(person, input.accountId, input.roleName));
    const keepFor = credentials.expiration - Date.now() - CACHE_MARGIN_MS;
    if (keepFor > 0) await sealed.write(key, credentials, keepFor).catch(() => store.delete(key));
  }
  await recordHandOut(person, 'credentials', input.accountId, input.roleName, credentials, { cached });
  return {
    accessKeyId: credentials.accessKeyId,
    secretAccessKey: credentials.secretAccessKey,
    sessionToken: credentials.sessionToken,
    expiration: isoSeconds(credentials.expiration),
  };
}

export interface TerminalAccount {
  accountId: string;
  accountName: string;
  emailAddress: string;
  nickname?: string;
  roles: string[];
}

/** Every account of the person with its roles (waits for the listing to finish), for the command's picker and `accounts`. */
export async function terminalAccounts(viewer: Viewer): Promise<{ accounts: TerminalAccount[] }> {
  const person = await viewer.person();
  const listing = await services().of(viewer.instance).listing.complete(person);
  return {
    accounts: listing.accounts.map((account) => ({
      ...nicknamed(account, viewer.instance.nicknames),
      roles: listing.roles[account.accountId] ?? [],
    })),
  };
}

