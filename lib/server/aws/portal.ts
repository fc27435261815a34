import 'server-only';

import {
  GetRoleCredentialsCommand,
  ListAccountRolesCommand,
  ListAccountsCommand,
  LogoutCommand,
} from '@aws-sdk/client-sso';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { z } from 'zod';

import type { IdentityCenterInstance } from '@/lib/server/env';
import type { AccountDTO } from '@/lib/shared/accounts';

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
export type AwsCallRunner = <T>(ticket: CallTicket, attempt: (signal: AbortSignal) => Promise<T>, operation: string) => Promise<T>;

export interface RoleCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** Epoch milliseconds. */
  expiration: number;
}

export interface CallerIdentity {
  account: string;
  arn: string;
  userId: string;
}

export interface PortalGateway {
  /** Ends the Identity Center sign-in behind the token; failures are the caller's to tolerate. */
  logout(accessToken: string): Promise<void>;
  listAccountsPage(
    accessToken: string,
    nextToken: string | undefined,
    ticket: CallTicket,
  ): Promise<{ accounts: AccountDTO[]; nextToken?: string }>;
  listAccountRoles(accessToken: string, accountId: string, ticket: CallTicket): Promise<string[]>;
  getRoleCredentials(accessToken: string, accountId: string, roleName: string, ticket: CallTicket): Promise<RoleCredentials>;
  getCallerIdentity(credentials: RoleCredentials, region: string): Promise<CallerIdentity>;
}

const PAGE_SIZE = 100;

const accountsPageSchema = z.object({
  accountList: z
    .array(
      z.object({
        accountId: z.string().regex(/^\d{12}$/),
        accountName: z.string().optional(),
        emailAddress: z.string().optional(),
      }),
    )
    .optional(),
  nextToken: z.string().min(1).optional().nullable(),
});

const rolesPageSchema = z.object({
  roleList: z.array(z.object({ roleName: z.string().min(1) })).optional(),
  nextToken: z.string().min(1).optional().nullable(),
});

const credentialsSchema = z.object({
  roleCredentials: z.object({
    accessKeyId: z.string().min(1),
    secretAccessKey: z.string().min(1),
    sessionToken: z.string().min(1),
    expiration: z.number().int().positive(),
  }),
});

const identitySchema = z.object({ Account: z.string(), Arn: z.string(), UserId: z.string() });

export class MalformedAnswerError extends Error {
  constructor(operation: string) {
    super(`Identity Center answered ${operation} in an unexpected shape.`);
    this.name = 'MalformedAnswerError';
  }
}

function parse<T>(schema: z.ZodType<T>, value: unknown, operation: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new MalformedAnswerError(operation);
  return parsed.data;
}

/**
 * Identity Center's Logout, sent at once: not through the rate limiter, so a sign-out goes out even
 * while a large listing saturates the instance's limit.
 */
export function createLogout(instance: IdentityCenterInstance): (accessToken: string) => Promise<void> {
  const { portal } = clientsFor(instance);
  return async (accessToken) => {
    await portal.send(new LogoutCommand({ accessToken }));
  };
}

export function createPortalGateway(instance: IdentityCenterInstance, run: AwsCallRunner): PortalGateway {
  const { portal } = clientsFor(instance);
  return {
    logout: createLogout(instance),

    async listAccountsPage(accessToken, nextToken, ticket) {
      const page = parse(
        accountsPageSchema,
        await run(ticket, (abortSignal) =>
          portal.send(new ListAccountsCommand({ accessToken, nextToken, maxResults: PAGE_SIZE }), { abortSignal }),
        'ListAccounts',
        ),
        'ListAccounts',
      );
      return {
        accounts: (page.accountList ?? []).map((account) => ({
          accountId: account.accountId,
          accountName: account.accountName ?? account.accountId,
          emailAddress: account.emailAddress ?? '',
        })),
        nextToken: page.nextToken ?? undefined,
      };
    },

    async listAccountRoles(accessToken, accountId, ticket) {
      const roles: string[] = [];
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
        roles.push(...(page.roleList ?? []).map((role) => role.roleName));
        nextToken = page.nextToken ?? undefined;
      } while (nextToken);
      return [...new Set(roles)].sort();
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
  return match?.[1] ?? null;
}
