/**
 * SSO portal API (doc §2): ListAccounts, ListAccountRoles, GetRoleCredentials, Logout. Unsigned calls;
 * the access token travels in `x-amz-sso_bearer_token`. Query names are snake_case (`max_result`,
 * `next_token`, `account_id`, `role_name`).
 */
import { createHmac, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { indexDirectory } from './directory';
import { sendEmpty, sendJson, sendPortalError } from './http';
import { UPPER_ALNUM, hashedString, randomBase64, secureString, sha256Hex } from './random';
import type { EmulatorRuntime } from './runtime';
import { safeEqual, type SignInSession } from './store';
import type { EmulatorRequest, RoleCredentialSession } from './types';

const DEFAULT_PAGE_SIZE = 20;
const RESULT_SIZE_MESSAGE = 'ResultSize parameter must be within the valid limits of: 1-100';
const CREDENTIAL_GRACE_MS = 3_600_000;

/** Coral-style validation message, as AWS words a missing required member. */
function missingMember(member: string): string {
  return `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`;
}

const maxResult = z
  .string()
  .regex(/^\d{1,3}$/, RESULT_SIZE_MESSAGE)
  .transform(Number)
  .pipe(z.number().int().min(1, RESULT_SIZE_MESSAGE).max(100, RESULT_SIZE_MESSAGE));

const pageQuerySchema = z.object({
  max_result: maxResult.optional(),
  next_token: z.string().max(2048).optional(),
});

const rolesQuerySchema = pageQuerySchema.extend({
  account_id: z.string({ error: missingMember('accountId') }).min(1, missingMember('accountId')),
});

const credentialsQuerySchema = z.object({
  account_id: z.string({ error: missingMember('accountId') }).min(1, missingMember('accountId')),
  role_name: z.string({ error: missingMember('roleName') }).min(1, missingMember('roleName')),
});

const nextTokenPayload = z.strictObject({ s: z.string(), o: z.number().int().min(0) });

/** Stable per account and role, like the suffix AWS gives `AWSReservedSSO_<PermissionSet>_<hex>`. */
export function roleIdentity(accountId: string, roleName: string): { roleSuffix: string; roleId: string } {
  const seed = `${accountId}:${roleName}`;
  return {
    roleSuffix: sha256Hex(`suffix:${seed}`).slice(0, 16),
    roleId: `AROA${hashedString(`role-id:${seed}`, UPPER_ALNUM, 17)}`,
  };
}

export function createPortalHandlers(runtime: EmulatorRuntime) {
  const { ctx, store } = runtime;
  // Next tokens are opaque and tamper-evident: a payload plus an HMAC under a key private to this instance.
  const tokenKey = randomBytes(32);
  let credentialsIssued = 0;

  function sign(payload: string): string {
    return createHmac('sha256', tokenKey).update(payload).digest('base64url').slice(0, 22);
  }

  function encodeNextToken(scope: string, offset: number): string {
    const payload = Buffer.from(JSON.stringify({ s: scope, o: offset })).toString('base64url');
    return `${payload}.${sign(payload)}`;
  }

  function decodeNextToken(token: string, scope: string): number | undefined {
    const [payload, mac, ...rest] = token.split('.');
    if (!payload || !mac || rest.length > 0 || !safeEqual(mac, sign(payload))) return undefined;
    let json: unknown;
    try {
      json = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      return undefined;
    }
    const parsed = nextTokenPayload.safeParse(json);
    return parsed.success && parsed.data.s === scope ? parsed.data.o : undefined;
  }

  function badRequest(request: EmulatorRequest, message: string): void {
    sendPortalError(request.res, request.requestId, 400, 'InvalidRequestException', message);
  }

  function parseQuery<T extends z.ZodType>(request: EmulatorRequest, schema: T): z.infer<T> | undefined {
    const result = schema.safeParse(Object.fromEntries(request.url.searchParams));
    if (result.success) return result.data;
    badRequest(request, result.error.issues[0]?.message ?? 'Invalid request');
    return undefined;
  }

  /** The live sign-in for the bearer token, or a 401 already sent. */
  function authenticate(request: EmulatorRequest): SignInSession | undefined {
    const header = request.req.headers['x-amz-sso_bearer_token'];
    const token = Array.isArray(header) ? header[0] : header;
    const session = token ? store.resolveAccessToken(token, ctx.clock.now()) : undefined;
    if (!session) sendPortalError(request.res, request.requestId, 401, 'UnauthorizedException', 'Session token not found or invalid');
    return session;
  }

  /** Slices one page; answers 400 for a next token that is not ours. */
  function page<T>(request: EmulatorRequest, items: readonly T[], scope: string, query: z.infer<typeof pageQuerySchema>): { items: T[]; nextToken?: string } | undefined {
    let offset = 0;
    if (query.next_token !== undefined) {
      const decoded = decodeNextToken(query.next_token, scope);
      if (decoded === undefined) {
        badRequest(request, 'The provided next token is not valid');
        return undefined;
      }
      offset = decoded;
    }
    const size = query.max_result ?? DEFAULT_PAGE_SIZE;
    const end = offset + size;
    const slice = items.slice(offset, end);
    return end < items.length ? { items: slice, nextToken: encodeNextToken(scope, end) } : { items: slice };
  }

  /** 404 when the account is not in the organisation, 403 (unmodeled, as AWS) when the user has no role there. */
  function checkAccount(request: EmulatorRequest, session: SignInSession, accountId: string): readonly string[] | undefined {
    const index = indexDirectory(ctx.directory);
    if (!index.account(accountId)) {
      sendPortalError(request.res, request.requestId, 404, 'ResourceNotFoundException', 'Account not found');
      return undefined;
    }
    const roles = index.rolesOf(session.userName, accountId);
    if (roles.length === 0) {
      sendPortalError(request.res, request.requestId, 403, 'ForbiddenException', 'No access');
      return undefined;
    }
    return roles;
  }

  function listAccounts(request: EmulatorRequest): void {
    const query = parseQuery(request, pageQuerySchema);
    if (!query) return;
    const session = authenticate(request);
    if (!session) return;
    const accounts = indexDirectory(ctx.directory).accountsOf(session.userName);
    const result = page(request, accounts, 'accounts', query);
    if (!result) return;
    sendJson(request.res, 200, {
      ...(result.nextToken ? { nextToken: result.nextToken } : {}),
      accountList: result.items.map((a) => ({ accountId: a.accountId, accountName: a.accountName, emailAddress: a.emailAddress })),
    }, request.requestId);
  }

  function listAccountRoles(request: EmulatorRequest): void {
    const query = parseQuery(request, rolesQuerySchema);
    if (!query) return;
    const session = authenticate(request);
    if (!session) return;
    const roles = checkAccount(request, session, query.account_id);
    if (!roles) return;
    const result = page(request, roles, `roles:${query.account_id}`, query);
    if (!result) return;
    sendJson(request.res, 200, {
      ...(result.nextToken ? { nextToken: result.nextToken } : {}),
      roleList: result.items.map((roleName) => ({ roleName, accountId: query.account_id })),
    }, request.requestId);
  }

  function getRoleCredentials(request: EmulatorRequest): void {
    const query = parseQuery(request, credentialsQuerySchema);
    if (!query) return;
    const session = authenticate(request);
    if (!session) return;
    const index = indexDirectory(ctx.directory);
    const role = index.role(query.role_name);
    // One answer for every role the person cannot use, as AWS gives it (doc §2.5): an unassigned role,
    // a permission set that does not exist and an account outside the organisation all get 403
    // "No access". A 404 for the last two would let any signed-in caller probe which account ids and
    // permission set names exist.
    if (!role || !index.rolesOf(session.userName, query.account_id).includes(role.roleName)) {
      sendPortalError(request.res, request.requestId, 403, 'ForbiddenException', 'No access');
      return;
    }
    const now = ctx.clock.now();
    const credentials: RoleCredentialSession = {
      accessKeyId: `ASIA${secureString(UPPER_ALNUM, 16)}`,
      secretAccessKey: randomBase64(30),
      // Real session tokens are long base64 blobs that start with this prefix.
      sessionToken: `IQoJb3JpZ2luX2Vj${randomBase64(600)}`,
      accountId: query.account_id,
      roleName: role.roleName,
      userName: session.userName,
      ...roleIdentity(query.account_id, role.roleName),
      expiresAtMs: now + (ctx.knobs.roleCredentialTtlSeconds || role.sessionDurationSeconds) * 1000,
    };
    ctx.roleCredentials.set(credentials.accessKeyId, credentials);
    pruneCredentials(now);
    sendJson(request.res, 200, {
      roleCredentials: {
        accessKeyId: credentials.accessKeyId,
        secretAccessKey: credentials.secretAccessKey,
        sessionToken: credentials.sessionToken,
        expiration: credentials.expiresAtMs,
      },
    }, request.requestId);
  }

  /** Keeps recently expired credentials (so STS can say "expired") but not forever. */
  function pruneCredentials(now: number): void {
    credentialsIssued += 1;
    if (credentialsIssued % 1000 !== 0) return;
    for (const [key, c] of ctx.roleCredentials) if (now >= c.expiresAtMs + CREDENTIAL_GRACE_MS) ctx.roleCredentials.delete(key);
  }

  function logout(request: EmulatorRequest): void {
    const session = authenticate(request);
    if (!session) return;
    store.logout(session);
    sendEmpty(request.res, 200, request.requestId);
  }

  return { listAccounts, listAccountRoles, getRoleCredentials, logout };
}
