import { z } from 'zod';

import { ROLE_NAME_PATTERN } from './aws-names';

/**
 * The account listing as the browser sees it: DTOs, and the events of the streaming listing
 * (`GET /api/accounts/stream`, newline-delimited JSON, one event per line).
 */

/** AWS account ids are exactly twelve ASCII digits. */
export const accountIdSchema = z.string().regex(/^[0-9]{12}$/, 'an AWS account id is 12 digits');
/** Permission-set names (the portal's role names): IAM's role-name characters, 1 to 64. */
export const roleNameSchema = z.string().regex(ROLE_NAME_PATTERN, 'a role name is 1 to 64 of A-Z a-z 0-9 + = , . @ _ -');

export interface AccountDTO {
  accountId: string;
  accountName: string;
  emailAddress: string;
  /** The name the portal's configuration gives this account (GATEHOUSE_CONFIG's accountNicknames). */
  nickname?: string;
}

/** The account with its configured nickname, when it has one. */
export function nicknamed(account: AccountDTO, nicknames: Readonly<Record<string, string>>): AccountDTO {
  const nickname = nicknames[account.accountId];
  return nickname ? { ...account, nickname } : account;
}

/** Adds the configured nicknames to a listing event's accounts; other events pass unchanged. */
export function withNicknames(event: ListingEvent, nicknames: Readonly<Record<string, string>>): ListingEvent {
  if (event.type !== 'accounts') return event;
  return { ...event, accounts: event.accounts.map((account) => nicknamed(account, nicknames)) };
}

export interface RoleDTO {
  roleName: string;
}

/**
 * An account or role Identity Center listed in a shape AWS does not document (a name with a line
 * break, an id that is not 12 digits): shown as invalid, used for nothing.
 */
export interface RejectedEntry {
  kind: 'account' | 'role';
  /** The account it is (or is in), when its id at least is valid. */
  accountId?: string;
  /** The offending value, made safe to show (see shownSafely). */
  shown: string;
  /** What is wrong, for people. */
  reason: string;
}

export interface ListingDiff {
  accountsAdded: AccountDTO[];
  accountsRemoved: AccountDTO[];
  rolesAdded: { accountId: string; roleName: string }[];
  rolesRemoved: { accountId: string; roleName: string }[];
}

export type ListingEvent =
  /**
   * First event. `cached`: the listing comes from the cache (all events follow at once).
   * `revalidates`: this listing checks the kept one just shown (listed then); its `done` says what changed.
   */
  | { type: 'start'; cached: boolean; listedAt: string; revalidates?: string }
  /** One page of accounts, in the order Identity Center returns them. */
  | { type: 'accounts'; accounts: AccountDTO[] }
  /** Every account is known; roles may still be loading. */
  | { type: 'accounts-complete'; total: number }
  | { type: 'roles'; accountId: string; roles: RoleDTO[] }
  /** Roles of this account could not be loaded; the rest of the listing goes on. */
  | {
      type: 'roles-error';
      accountId: string;
      message: string;
      /** The roles of an earlier listing are kept (they are the last good ones): when that listing was made, ISO 8601. */
      keptFrom?: string;
    }
  /** Entries Identity Center listed that Gatehouse will not use (shown as invalid, nothing more). */
  | { type: 'rejected'; entries: RejectedEntry[] }
  /** The signed-in person's Identity Center user name, learned from STS. */
  | { type: 'identity'; userName: string }
  /** Identity Center is not answering: the listing waits and tries again at `retryAt` (ISO 8601), by itself. */
  | { type: 'unreachable'; retryAt: string }
  /** Identity Center answers again: the listing goes on. */
  | { type: 'reachable' }
  /** The listing itself failed (ListAccounts); what arrived so far stays valid. */
  | { type: 'error'; message: string }
  /** Last event. `diff` only after an explicit refresh. */
  | { type: 'done'; accounts: number; roles: number; failedAccounts: number; diff?: ListingDiff };

export interface AccountsResponse {
  accounts: AccountDTO[];
}

export interface RolesResponse {
  roles: RoleDTO[];
}

/** Favorites of one person (by Identity Center user name), across sessions and browsers. */
export interface FavoritesResponse {
  accounts: string[];
  /** `accountId/roleName`. */
  roles: string[];
  /** Recently used roles, newest first, `accountId/roleName`. */
  recent: string[];
}

export const favoriteChangeSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('account'), accountId: accountIdSchema, starred: z.boolean() }),
  z.strictObject({ kind: z.literal('role'), accountId: accountIdSchema, roleName: roleNameSchema, starred: z.boolean() }),
]);

export type FavoriteChange = z.infer<typeof favoriteChangeSchema>;

export const roleKey = (accountId: string, roleName: string) => `${accountId}/${roleName}`;
