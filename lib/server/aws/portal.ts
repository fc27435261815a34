import 'server-only';

import { createHash } from 'node:crypto';

import {
  GetRoleCredentialsCommand,
  ListAccountRolesCommand,
  ListAccountsCommand,
  LogoutCommand,
} from '@aws-sdk/client-sso';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { z } from 'zod';

import type { IdentityCenterInstance } from '@/lib/server/core/config';
import { GatehouseError } from '@/lib/server/core/errors';
import type { AccountDTO, RejectedEntry } from '@/lib/shared/accounts';
import {
  ACCESS_KEY_ID_PATTERN,
  ACCOUNT_ID_PATTERN,
  isEmailAddress,
  isPrintableName,
  ROLE_NAME_PATTERN,
  SECRET_ACCESS_KEY_PATTERN,
  SESSION_TOKEN_PATTERN,
  shownSafely,
  USER_NAME_PATTERN,
} from '@/lib/shared/aws-names';

import { clientsFor } from './clients';
import type { CallTicket } from './rate-limiter';

export type { CallTicket };

/**
 * The SSO portal API and STS for the portal. Answers are parsed with zod (the SDK types every
 * member as optional) and returned as small DTOs; SDK types never leave lib/server/aws.
 * Throttling, retries and fairness are the caller's (`AwsCallRunner`): every attempt of every call
 * here goes through it.
 */

/** Runs one AWS call through the instance's rate limiter, with retries. */
export type AwsCallRunner = <T>(
  ticket: CallTicket,
  attempt: (signal: AbortSignal) => Promise<T>,
  operation: string,
  /** `outcomeOf`: the metrics label of a failed attempt, when the service's own words say more than its kind. */
  options?: { outcomeOf?: (error: unknown) => string },
) => Promise<T>;

export interface RoleCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** Epoch milliseconds. */
  expiration: number;
}

export interface AccountRoles {
  roles: string[];
  rejected: RejectedEntry[];
}

export interface CallerIdentity {
  account: string;
  arn: string;
  userId: string;
}

export interface PortalGateway {
  /** Ends the Identity Center sign-in behind the token; failures are the caller's to tolerate. */
  logout(accessToken: string): Promise<void>;
  /** One page of accounts: those in AWS's documented shape, and those refused on their own. */
  listAccountsPage(
    accessToken: string,
    nextToken: string | undefined,
    ticket: CallTicket,
    /** Accounts per page (AWS's maximum is 100). */
    pageSize?: number,
  ): Promise<{ accounts: AccountDTO[]; rejected: RejectedEntry[]; nextToken?: string }>;
  /** The account's role names in AWS's documented shape, sorted, and those refused on their own. */
  listAccountRoles(accessToken: string, accountId: string, ticket: CallTicket): Promise<AccountRoles>;
  getRoleCredentials(accessToken: string, accountId: string, roleName: string, ticket: CallTicket): Promise<RoleCredentials>;
  getCallerIdentity(credentials: RoleCredentials, region: string): Promise<CallerIdentity>;
}

const PAGE_SIZE = 100;

/**
 * The pages are parsed loosely (any strings), each entry then strictly on its own against AWS's
 * documented shapes: one odd entry is refused alone, never the whole page.
 */
const accountsPageSchema = z.object({
  accountList: z
    .array(z.object({ accountId: z.unknown(), accountName: z.unknown().optional(), emailAddress: z.unknown().optional() }))
    .optional()
    .nullable(),
  nextToken: z.string().min(1).max(4096).optional().nullable(),
});

const rolesPageSchema = z.object({
  roleList: z.array(z.object({ roleName: z.unknown() })).optional().nullable(),
  nextToken: z.string().min(1).max(4096).optional().nullable(),
});

const credentialsSchema = z.object({
  roleCredentials: z.object({
    accessKeyId: z.string().regex(ACCESS_KEY_ID_PATTERN),
    secretAccessKey: z.string().regex(SECRET_ACCESS_KEY_PATTERN),
    sessionToken: z.string().regex(SESSION_TOKEN_PATTERN),
    expiration: z.number().int().positive(),
  }),
});

const identitySchema = z.object({
  Account: z.string().regex(ACCOUNT_ID_PATTERN),
  Arn: z.string().regex(/^arn:aws[\w-]*:[\w-]+::\d{12}:[\w+=,.@/:-]{1,2000}$/),
  UserId: z.string().regex(/^[\w+=,.@:-]{1,256}$/),
});

const asText = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value) ?? String(value));

/** One ListAccounts entry: an account to use, or one to show as invalid. */
function checkAccount(entry: { accountId: unknown; accountName?: unknown; emailAddress?: unknown }): AccountDTO | RejectedEntry {
  const { accountId, accountName, emailAddress } = entry;
  if (typeof accountId !== 'string' || !ACCOUNT_ID_PATTERN.test(accountId)) {
    return { kind: 'account', shown: shownSafely(asText(accountId)), reason: 'Its account id is not 12 digits.' };
  }
  if (accountName !== undefined && accountName !== null && (typeof accountName !== 'string' || !isPrintableName(accountName))) {
    return { kind: 'account', accountId, shown: shownSafely(asText(accountName)), reason: 'Its name has characters that are not allowed (a line break or control character).' };
  }
  if (emailAddress !== undefined && emailAddress !== null && (typeof emailAddress !== 'string' || !isEmailAddress(emailAddress))) {
    return { kind: 'account', accountId, shown: shownSafely(asText(emailAddress)), reason: 'Its e-mail address is not a valid address.' };
  }
  return {
    accountId,
    accountName: typeof accountName === 'string' ? accountName : accountId,
    emailAddress: typeof emailAddress === 'string' ? emailAddress : '',
  };
}

function isRejected(value: AccountDTO | RejectedEntry): value is RejectedEntry {
  return 'kind' in value;
}

function parse<T>(schema: z.ZodType<T>, value: unknown, operation: string): T {
  const parsed = schema.safeParse(value);
  // AWS answered outside its documented shape: nothing of the answer is used.
  if (!parsed.success) throw new GatehouseError('upstream_invalid', undefined, { cause: new Error(`${operation} answered in an unexpected shape`) });
  return parsed.data;
}

/**
 * Identity Center's Logout, through the instance's rate limiter like every other call (Logout counts
 * against the same limit at AWS) but at interactive priority: it goes ahead of any listing's
 * background calls, so a sign-out is not held up by a large listing.
 */
export function createLogout(instance: IdentityCenterInstance, run: AwsCallRunner): (accessToken: string) => Promise<void> {
  const { portal } = clientsFor(instance);
  return async (accessToken) => {
    const owner = `logout:${createHash('sha256').update(accessToken).digest('hex').slice(0, 16)}`;
    await run({ owner, priority: 'interactive' }, (abortSignal) => portal.send(new LogoutCommand({ accessToken }), { abortSignal }), 'Logout');
  };
}

export function createPortalGateway(instance: IdentityCenterInstance, run: AwsCallRunner): PortalGateway {
  const { portal } = clientsFor(instance);
  return {
    logout: createLogout(instance, run),

    async listAccountsPage(accessToken, nextToken, ticket, pageSize = PAGE_SIZE) {
      const page = parse(
        accountsPageSchema,
        await run(ticket, (abortSignal) =>
          portal.send(new ListAccountsCommand({ accessToken, nextToken, maxResults: pageSize }), { abortSignal }),
        'ListAccounts',
        ),
        'ListAccounts',
      );
      const checked = (page.accountList ?? []).map(checkAccount);
      return {
        accounts: checked.filter((entry): entry is AccountDTO => !isRejected(entry)),
        rejected: checked.filter(isRejected),
        nextToken: page.nextToken ?? undefined,
      };
    },

    async listAccountRoles(accessToken, accountId, ticket) {
      const roles: string[] = [];
      const rejected: RejectedEntry[] = [];
      let nextToken: string | undefined;
      do {
        const token = nextToken;
        const page = parse(
          rolesPageSchema,
          await run(ticket, (abortSignal) =>
            portal.send(new ListAccountRolesCommand({ accessToken, accountId, nextToken: token, maxResults: PAGE_SIZE }), {
              abortSignal,
            }),
          'ListAccountRoles',
          ),
          'ListAccountRoles',
        );
        for (const { roleName } of page.roleList ?? []) {
          if (typeof roleName === 'string' && ROLE_NAME_PATTERN.test(roleName)) roles.push(roleName);
          else rejected.push({ kind: 'role', accountId, shown: shownSafely(asText(roleName)), reason: 'It is not a valid role name (1 to 64 of A-Z a-z 0-9 + = , . @ _ -).' });
        }
        nextToken = page.nextToken ?? undefined;
      } while (nextToken);
      return { roles: [...new Set(roles)].sort(), rejected };
    },

    async getRoleCredentials(accessToken, accountId, roleName, ticket) {
      const answer = parse(
        credentialsSchema,
        await run(ticket, (abortSignal) =>
          portal.send(new GetRoleCredentialsCommand({ accessToken, accountId, roleName }), { abortSignal }),
        'GetRoleCredentials',
        ),
        'GetRoleCredentials',
      );
      return answer.roleCredentials;
    },

    async getCallerIdentity(credentials, region) {
      const sts = new STSClient({
        region,
        endpoint: instance.endpoints.sts,
        requestHandler: { requestTimeout: 10_000, connectionTimeout: 3_000, throwOnRequestTimeout: true },
        credentials: {
          accessKeyId: credentials.accessKeyId,
          secretAccessKey: credentials.secretAccessKey,
          sessionToken: credentials.sessionToken,
        },
      });
      try {
        const answer = parse(
          identitySchema,
          await run({ owner: 'sts', priority: 'interactive' }, () => sts.send(new GetCallerIdentityCommand({})), 'GetCallerIdentity'),
          'GetCallerIdentity',
        );
        return { account: answer.Account, arn: answer.Arn, userId: answer.UserId };
      } finally {
        sts.destroy();
      }
    },
  };
}

/**
 * The Identity Center user name in an SSO role session ARN:
 * `arn:aws:sts::<account>:assumed-role/AWSReservedSSO_<role>_<hex>/<user>`.
 */
export function userNameFromArn(arn: string): string | null {
  const match = /^arn:aws[a-z-]*:sts::\d{12}:assumed-role\/AWSReservedSSO_[^/]+\/([^/]{1,128})$/.exec(arn);
  const userName = match?.[1];
  // The name goes into audit records and the page: only Identity Center's documented characters.
  return userName !== undefined && USER_NAME_PATTERN.test(userName) ? userName : null;
}
