/**
 * SSO portal API conformance (doc §2, §9) through the real @aws-sdk/client-sso: ListAccounts (with the
 * SDK paginator), ListAccountRoles, GetRoleCredentials, Logout, and every error the SDK can raise.
 */
import {
  GetRoleCredentialsCommand,
  InvalidRequestException,
  ListAccountRolesCommand,
  ListAccountsCommand,
  LogoutCommand,
  paginateListAccountRoles,
  paginateListAccounts,
  ResourceNotFoundException,
  SSOServiceException,
  UnauthorizedException,
  type AccountInfo,
} from '@aws-sdk/client-sso';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { generateOrganisation, indexDirectory } from '../../emulator/directory';
import type { RunningEmulator } from '../../emulator/server';
import { REGION, type SignedIn, ssoClient } from '../../scripts/support/emulator-sdk';
import { FakeClock } from '../support/clock';
import { failure, signIn, startEmulator } from '../support/emulator';

const clock = new FakeClock();
let emu: RunningEmulator;
let operator: SignedIn;

beforeAll(async () => {
  emu = await startEmulator({ clock });
  operator = await signIn(emu, 'operator');
});
afterAll(async () => {
  await emu.close();
});

function portalGet(path: string, token?: string): Promise<Response> {
  return fetch(`${emu.url}${path}`, { headers: token ? { 'x-amz-sso_bearer_token': token } : {} });
}

/** An account operator has, and one of its roles. */
function operatorAssignment(): { accountId: string; roleName: string } {
  const index = indexDirectory(emu.ctx.directory);
  const account = index.accountsOf('operator')[0];
  const roleName = account ? index.rolesOf('operator', account.accountId)[0] : undefined;
  if (!account || !roleName) throw new Error('demo directory has no operator assignment');
  return { accountId: account.accountId, roleName };
}

describe('ListAccounts', () => {
  test('first page has 20 accounts (default size) and a nextToken', async () => {
    const out = await ssoClient(emu).send(new ListAccountsCommand({ accessToken: operator.accessToken }));
    expect(out.accountList).toHaveLength(20);
    expect(out.nextToken).toEqual(expect.any(String));
    expect(out.accountList?.[0]).toEqual({
      accountId: expect.stringMatching(/^\d{12}$/),
      accountName: expect.any(String),
      emailAddress: expect.stringMatching(/@/),
    });
  });

  test('the paginator walks all 120 demo accounts for operator, sorted by name, nothing repeated', async () => {
    const accounts: AccountInfo[] = [];
    let pages = 0;
    for await (const page of paginateListAccounts({ client: ssoClient(emu), pageSize: 100 }, { accessToken: operator.accessToken })) {
      pages += 1;
      accounts.push(...(page.accountList ?? []));
    }
    expect(pages).toBe(2);
    expect(accounts).toHaveLength(120);
    expect(new Set(accounts.map((a) => a.accountId)).size).toBe(120);
    const names = accounts.map((a) => a.accountName ?? '');
    expect(names).toEqual([...names].sort());
    // Stable: the same listing twice gives the same order.
    const again = await ssoClient(emu).send(new ListAccountsCommand({ accessToken: operator.accessToken, maxResults: 100 }));
    expect(again.accountList?.map((a) => a.accountId)).toEqual(accounts.slice(0, 100).map((a) => a.accountId));
  });

  test('the last page carries no nextToken', async () => {
    const first = await ssoClient(emu).send(new ListAccountsCommand({ accessToken: operator.accessToken, maxResults: 100 }));
    const last = await ssoClient(emu).send(new ListAccountsCommand({ accessToken: operator.accessToken, maxResults: 100, nextToken: first.nextToken }));
    expect(last.accountList).toHaveLength(20);
    expect(last.nextToken).toBeUndefined();
    const raw = await portalGet(`/assignment/accounts?max_result=100&next_token=${encodeURIComponent(first.nextToken ?? '')}`, operator.accessToken);
    expect(Object.keys((await raw.json()) as object)).toEqual(['accountList']);
  });

  test('developer sees 4 accounts and newcomer none', async () => {
    const developer = await signIn(emu, 'developer');
    const newcomer = await signIn(emu, 'newcomer');
    const dev = await ssoClient(emu).send(new ListAccountsCommand({ accessToken: developer.accessToken }));
    expect(dev.accountList).toHaveLength(4);
    const none = await ssoClient(emu).send(new ListAccountsCommand({ accessToken: newcomer.accessToken }));
    expect(none.accountList).toEqual([]);
    expect(none.nextToken).toBeUndefined();
  });

  test('maxResults outside 1..100 is InvalidRequestException with the AWS message', async () => {
    for (const maxResults of [0, 101, 1000]) {
      const error = await failure(ssoClient(emu).send(new ListAccountsCommand({ accessToken: operator.accessToken, maxResults })));
      expect(error).toBeInstanceOf(InvalidRequestException);
      expect(error.message).toBe('ResultSize parameter must be within the valid limits of: 1-100');
      expect(error.$metadata).toMatchObject({ httpStatusCode: 400 });
    }
  });

  test('a max_result that is not an integer gets the same 400 on the wire', async () => {
    for (const value of ['abc', '1.5', '-1', '']) {
      const response = await portalGet(`/assignment/accounts?max_result=${value}`, operator.accessToken);
      expect(response.status).toBe(400);
      expect(response.headers.get('x-amzn-errortype')).toBe('InvalidRequestException');
      expect(await response.json()).toEqual({
        message: 'ResultSize parameter must be within the valid limits of: 1-100',
        __type: 'com.amazonaws.switchboard.portal#InvalidRequestException',
      });
    }
  });

  test('a forged or foreign next token is InvalidRequestException', async () => {
    const roles = await ssoClient(emu).send(new ListAccountRolesCommand({ accessToken: operator.accessToken, accountId: operatorAssignment().accountId, maxResults: 1 }));
    const first = await ssoClient(emu).send(new ListAccountsCommand({ accessToken: operator.accessToken }));
    const forged = `${Buffer.from(JSON.stringify({ s: 'accounts', o: 5 })).toString('base64url')}.AAAAAAAAAAAAAAAAAAAAAA`;
    for (const nextToken of ['garbage', forged, `${first.nextToken ?? ''}x`, roles.nextToken]) {
      if (nextToken === undefined) continue;
      const error = await failure(ssoClient(emu).send(new ListAccountsCommand({ accessToken: operator.accessToken, nextToken })));
      expect(error).toBeInstanceOf(InvalidRequestException);
    }
  });

  test('pages through 1,000 generated accounts with the SDK paginator at maxResults 100', async () => {
    const big = await startEmulator({ directory: generateOrganisation({ accounts: 1000, rolesPerAccount: 3, seed: 7 }) });
    try {
      const session = await signIn(big, 'operator');
      const ids: string[] = [];
      const sizes: number[] = [];
      for await (const page of paginateListAccounts({ client: ssoClient(big), pageSize: 100 }, { accessToken: session.accessToken })) {
        sizes.push(page.accountList?.length ?? 0);
        ids.push(...(page.accountList ?? []).map((a) => a.accountId ?? ''));
      }
      expect(sizes).toEqual(Array(10).fill(100));
      expect(new Set(ids).size).toBe(1000);
    } finally {
      await big.close();
    }
  });
});

describe('ListAccountRoles', () => {
  test('lists the roles of an assigned account, sorted, with accountId', async () => {
    const { accountId } = operatorAssignment();
    const expected = indexDirectory(emu.ctx.directory).rolesOf('operator', accountId);
    const out = await ssoClient(emu).send(new ListAccountRolesCommand({ accessToken: operator.accessToken, accountId }));
    expect(out.roleList).toEqual(expected.map((roleName) => ({ roleName, accountId })));
    expect(out.nextToken).toBeUndefined();
  });

  test('the paginator pages roles one at a time', async () => {
    const index = indexDirectory(emu.ctx.directory);
    const account = index.accountsOf('operator').find((a) => index.rolesOf('operator', a.accountId).length >= 3);
    if (!account) throw new Error('no account with 3 roles');
    const names: string[] = [];
    for await (const page of paginateListAccountRoles({ client: ssoClient(emu), pageSize: 1 }, { accessToken: operator.accessToken, accountId: account.accountId })) {
      expect(page.roleList).toHaveLength(1);
      names.push(page.roleList?.[0]?.roleName ?? '');
    }
    expect(names).toEqual([...index.rolesOf('operator', account.accountId)]);
  });

  test('an account outside the organisation is ResourceNotFoundException (404)', async () => {
    const error = await failure(ssoClient(emu).send(new ListAccountRolesCommand({ accessToken: operator.accessToken, accountId: '000000000000' })));
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect(error.$metadata).toMatchObject({ httpStatusCode: 404 });
  });

  test('an account the user has no role in is the unmodeled ForbiddenException (403, "No access")', async () => {
    const developer = await signIn(emu, 'developer');
    const index = indexDirectory(emu.ctx.directory);
    const foreign = index.accountsOf('operator').find((a) => index.rolesOf('developer', a.accountId).length === 0);
    if (!foreign) throw new Error('no operator-only account');
    const error = await failure(ssoClient(emu).send(new ListAccountRolesCommand({ accessToken: developer.accessToken, accountId: foreign.accountId })));
    expect(error).toBeInstanceOf(SSOServiceException);
    expect(error.name).toBe('ForbiddenException');
    expect(error.message).toBe('No access');
    expect(error.$metadata).toMatchObject({ httpStatusCode: 403 });
  });

  test('a missing account_id is InvalidRequestException', async () => {
    const response = await portalGet('/assignment/roles', operator.accessToken);
    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toBe('InvalidRequestException');
    expect(((await response.json()) as { message: string }).message).toMatch(/accountId/);
  });
});

describe('GetRoleCredentials', () => {
  test('returns ASIA credentials expiring after the permission set\'s session duration (epoch ms)', async () => {
    const { accountId, roleName } = operatorAssignment();
    const duration = indexDirectory(emu.ctx.directory).role(roleName)?.sessionDurationSeconds ?? 0;
    const out = await ssoClient(emu).send(new GetRoleCredentialsCommand({ accessToken: operator.accessToken, accountId, roleName }));
    const c = out.roleCredentials;
    expect(c?.accessKeyId).toMatch(/^ASIA[A-Z0-9]{16}$/);
    expect(c?.secretAccessKey).toMatch(/^[A-Za-z0-9+/]{40}$/);
    expect(c?.sessionToken?.length).toBeGreaterThan(400);
    expect(c?.sessionToken).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(c?.expiration).toBe(clock.now() + duration * 1000);

    const raw = await portalGet(`/federation/credentials?account_id=${accountId}&role_name=${roleName}`, operator.accessToken);
    const body = (await raw.json()) as { roleCredentials: { expiration: unknown } };
    expect(Number.isInteger(body.roleCredentials.expiration)).toBe(true);
  });

  test('the roleCredentialTtlSeconds knob sets the credentials\' lifetime, and STS refuses them once it has passed; 0 restores the permission set\'s', async () => {
    const { accountId, roleName } = operatorAssignment();
    const duration = indexDirectory(emu.ctx.directory).role(roleName)?.sessionDurationSeconds ?? 0;
    emu.ctx.knobs.roleCredentialTtlSeconds = 30;
    try {
      const out = await ssoClient(emu).send(new GetRoleCredentialsCommand({ accessToken: operator.accessToken, accountId, roleName }));
      const c = out.roleCredentials;
      if (!c?.accessKeyId || !c.secretAccessKey || !c.sessionToken) throw new Error('no credentials');
      expect(c.expiration).toBe(clock.now() + 30_000);
      const sts = () =>
        new STSClient({
          region: REGION,
          endpoint: emu.url,
          credentials: { accessKeyId: c.accessKeyId!, secretAccessKey: c.secretAccessKey!, sessionToken: c.sessionToken! },
          systemClockOffset: clock.now() - Date.now(),
        }).send(new GetCallerIdentityCommand({}));
      expect((await sts()).Account).toBe(accountId);
      clock.advance(30_000);
      const expired = await failure(sts());
      expect(expired.name).toBe('ExpiredToken');
    } finally {
      emu.ctx.knobs.roleCredentialTtlSeconds = 0;
    }
    const out = await ssoClient(emu).send(new GetRoleCredentialsCommand({ accessToken: operator.accessToken, accountId, roleName }));
    expect(out.roleCredentials?.expiration).toBe(clock.now() + duration * 1000);
  });

  test('records the session for STS with a stable role suffix and role id per account and role', async () => {
    const { accountId, roleName } = operatorAssignment();
    const a = await ssoClient(emu).send(new GetRoleCredentialsCommand({ accessToken: operator.accessToken, accountId, roleName }));
    const b = await ssoClient(emu).send(new GetRoleCredentialsCommand({ accessToken: operator.accessToken, accountId, roleName }));
    const sa = emu.ctx.roleCredentials.get(a.roleCredentials?.accessKeyId ?? '');
    const sb = emu.ctx.roleCredentials.get(b.roleCredentials?.accessKeyId ?? '');
    expect(sa).toMatchObject({ accountId, roleName, userName: 'operator', secretAccessKey: a.roleCredentials?.secretAccessKey, sessionToken: a.roleCredentials?.sessionToken });
    expect(sa?.roleSuffix).toMatch(/^[0-9a-f]{16}$/);
    expect(sa?.roleId).toMatch(/^AROA[A-Z0-9]{17}$/);
    expect(sb?.accessKeyId).not.toBe(sa?.accessKeyId);
    expect(sb?.roleSuffix).toBe(sa?.roleSuffix);
    expect(sb?.roleId).toBe(sa?.roleId);
  });

  test('an unassigned role, an unknown permission set and an account outside the organisation all get one answer: 403 "No access"', async () => {
    const { accountId } = operatorAssignment();
    const index = indexDirectory(emu.ctx.directory);
    const unassigned = emu.ctx.directory.roles.find((r) => !index.rolesOf('operator', accountId).includes(r.roleName));
    if (!unassigned) throw new Error('operator has every role in the account');
    const refused = [
      { accountId, roleName: unassigned.roleName },
      { accountId, roleName: 'NoSuchPermissionSet' },
      { accountId: '000000000000', roleName: unassigned.roleName },
    ];
    const wire = new Set<string>();
    for (const input of refused) {
      // The SDK has no class for this unmodeled error: the service base exception, named by the header.
      const error = await failure(ssoClient(emu).send(new GetRoleCredentialsCommand({ accessToken: operator.accessToken, ...input })));
      expect(error).toBeInstanceOf(SSOServiceException);
      expect(error).not.toBeInstanceOf(ResourceNotFoundException);
      expect(error.name).toBe('ForbiddenException');
      expect(error.message).toBe('No access');
      expect(error.$metadata).toMatchObject({ httpStatusCode: 403 });
      const response = await portalGet(`/federation/credentials?account_id=${input.accountId}&role_name=${input.roleName}`, operator.accessToken);
      wire.add(`${response.status} ${response.headers.get('x-amzn-errortype')} ${await response.text()}`);
    }
    // Byte for byte the same, so a caller cannot tell which accounts and permission sets exist.
    expect([...wire]).toEqual(['403 ForbiddenException {"message":"No access","__type":"com.amazonaws.switchboard.portal#ForbiddenException"}']);
  });

  test('missing role_name or account_id is InvalidRequestException', async () => {
    const { accountId, roleName } = operatorAssignment();
    for (const query of [`account_id=${accountId}`, `role_name=${roleName}`]) {
      const response = await portalGet(`/federation/credentials?${query}`, operator.accessToken);
      expect(response.status).toBe(400);
      expect(response.headers.get('x-amzn-errortype')).toBe('InvalidRequestException');
    }
  });
});

describe('bearer token', () => {
  test('a wrong token is UnauthorizedException with the AWS message', async () => {
    const error = await failure(ssoClient(emu).send(new ListAccountsCommand({ accessToken: 'aoaNOTATOKEN:AAAA' })));
    expect(error).toBeInstanceOf(UnauthorizedException);
    expect(error.message).toBe('Session token not found or invalid');
    expect(error.$metadata).toMatchObject({ httpStatusCode: 401 });
  });

  test('a missing header is a 401 UnauthorizedException on the wire for every operation', async () => {
    const { accountId, roleName } = operatorAssignment();
    const calls = [
      portalGet('/assignment/accounts'),
      portalGet(`/assignment/roles?account_id=${accountId}`),
      portalGet(`/federation/credentials?account_id=${accountId}&role_name=${roleName}`),
      fetch(`${emu.url}/logout`, { method: 'POST' }),
    ];
    for (const response of await Promise.all(calls)) {
      expect(response.status).toBe(401);
      expect(response.headers.get('x-amzn-errortype')).toBe('UnauthorizedException');
      expect(await response.json()).toEqual({
        message: 'Session token not found or invalid',
        __type: 'com.amazonaws.switchboard.portal#UnauthorizedException',
      });
    }
  });
});

describe('Logout', () => {
  test('answers 200 with an empty body and revokes the token; issued role credentials stay valid', async () => {
    const session = await signIn(emu, 'operator');
    const { accountId, roleName } = operatorAssignment();
    const creds = await ssoClient(emu).send(new GetRoleCredentialsCommand({ accessToken: session.accessToken, accountId, roleName }));

    const raw = await fetch(`${emu.url}/logout`, { method: 'POST', headers: { 'x-amz-sso_bearer_token': session.accessToken } });
    expect(raw.status).toBe(200);
    expect(await raw.text()).toBe('');

    const error = await failure(ssoClient(emu).send(new ListAccountsCommand({ accessToken: session.accessToken })));
    expect(error).toBeInstanceOf(UnauthorizedException);
    expect(await failure(ssoClient(emu).send(new LogoutCommand({ accessToken: session.accessToken })))).toBeInstanceOf(UnauthorizedException);

    const c = creds.roleCredentials;
    const sts = new STSClient({
      region: REGION,
      endpoint: emu.url,
      credentials: { accessKeyId: c?.accessKeyId ?? '', secretAccessKey: c?.secretAccessKey ?? '', sessionToken: c?.sessionToken ?? '' },
      systemClockOffset: clock.now() - Date.now(),
      maxAttempts: 1,
    });
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    expect(identity.Account).toBe(accountId);
  });

  test('the SDK LogoutCommand succeeds', async () => {
    const session = await signIn(emu, 'developer');
    const out = await ssoClient(emu).send(new LogoutCommand({ accessToken: session.accessToken }));
    expect(out.$metadata.httpStatusCode).toBe(200);
  });
});
