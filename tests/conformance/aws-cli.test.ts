/**
 * The real AWS CLI v2 (botocore, Debian's awscli at /usr/bin/aws) against the emulator: the portal
 * operations with --endpoint-url, then STS GetCallerIdentity with the role credentials it obtained.
 * The environment is isolated: a temporary HOME, no config or credentials files, no instance metadata.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { indexDirectory } from '../../emulator/directory';
import type { RunningEmulator } from '../../emulator/server';
import { REGION, type SignedIn } from '../../scripts/support/emulator-sdk';
import { admin, signIn, startEmulator } from '../support/emulator';

// An AWS CLI v1 comes first on PATH on this machine; always the absolute path to v2.
const AWS = '/usr/bin/aws';
const run = promisify(execFile);

let emu: RunningEmulator;
let session: SignedIn;
let home: string;

beforeAll(async () => {
  emu = await startEmulator();
  session = await signIn(emu, 'operator');
  home = mkdtempSync(path.join(tmpdir(), 'aws-cli-home-'));
});
afterAll(async () => {
  await emu.close();
  rmSync(home, { recursive: true, force: true });
});

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI asynchronously (the emulator lives in this process, so blocking would deadlock). */
async function aws(args: string[], extraEnv: Record<string, string> = {}): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = {
    NODE_ENV: 'test',
    PATH: '/usr/bin:/bin',
    HOME: home,
    AWS_CONFIG_FILE: path.join(home, 'no-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'no-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
    ...extraEnv,
  };
  try {
    const { stdout, stderr } = await run(AWS, [...args, '--region', REGION, '--endpoint-url', emu.url, '--output', 'json'], { env, timeout: 20_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

function parse<T>(result: CliResult): T {
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as T;
}

function firstAssignment(): { accountId: string; roleName: string } {
  const index = indexDirectory(emu.ctx.directory);
  const account = index.accountsOf('operator')[0];
  const roleName = account ? index.rolesOf('operator', account.accountId)[0] : undefined;
  if (!account || !roleName) throw new Error('no assignment for operator');
  return { accountId: account.accountId, roleName };
}

describe('AWS CLI v2 against the emulator', () => {
  test('is the v2 CLI', async () => {
    const { stdout } = await run(AWS, ['--version'], { env: { NODE_ENV: 'test', PATH: '/usr/bin:/bin', HOME: home } });
    expect(stdout).toMatch(/^aws-cli\/2\./);
  });

  test('sso list-accounts pages through all 120 accounts; list-account-roles lists the roles', async () => {
    const { accountId } = firstAssignment();
    const [accounts, roles] = await Promise.all([
      aws(['sso', 'list-accounts', '--access-token', session.accessToken]),
      aws(['sso', 'list-account-roles', '--access-token', session.accessToken, '--account-id', accountId]),
    ]);
    const accountList = parse<{ accountList: { accountId: string }[] }>(accounts).accountList;
    expect(accountList.map((a) => a.accountId)).toEqual(indexDirectory(emu.ctx.directory).accountsOf('operator').map((a) => a.accountId));
    const roleList = parse<{ roleList: { roleName: string; accountId: string }[] }>(roles).roleList;
    expect(roleList).toEqual(indexDirectory(emu.ctx.directory).rolesOf('operator', accountId).map((roleName) => ({ roleName, accountId })));
  });

  test('get-role-credentials, then sts get-caller-identity with them shows the SSO assumed-role ARN', async () => {
    const { accountId, roleName } = firstAssignment();
    const creds = parse<{ roleCredentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string; expiration: number } }>(
      await aws(['sso', 'get-role-credentials', '--access-token', session.accessToken, '--account-id', accountId, '--role-name', roleName]),
    ).roleCredentials;
    expect(creds.accessKeyId).toMatch(/^ASIA[A-Z0-9]{16}$/);
    expect(Number.isInteger(creds.expiration)).toBe(true);

    const identity = parse<{ UserId: string; Account: string; Arn: string }>(
      await aws(['sts', 'get-caller-identity'], {
        AWS_ACCESS_KEY_ID: creds.accessKeyId,
        AWS_SECRET_ACCESS_KEY: creds.secretAccessKey,
        AWS_SESSION_TOKEN: creds.sessionToken,
      }),
    );
    expect(identity.Account).toBe(accountId);
    expect(identity.Arn).toMatch(new RegExp(`^arn:aws:sts::${accountId}:assumed-role/AWSReservedSSO_${roleName}_[0-9a-f]{16}/operator$`));
    expect(identity.UserId).toMatch(/^AROA[A-Z0-9]{17}:operator$/);
  });

  test('a bad token surfaces as UnauthorizedException with the AWS message', async () => {
    const result = await aws(['sso', 'list-accounts', '--access-token', 'aoaNOPE:AAAA']);
    expect(result.code).toBe(254);
    expect(result.stderr).toContain('An error occurred (UnauthorizedException) when calling the ListAccounts operation: Session token not found or invalid');
  });

  test('register-client with the sso-session scope succeeds; an unknown scope is InvalidScopeException', async () => {
    const registered = parse<{ clientId: string; clientSecret: string; clientSecretExpiresAt: number }>(
      await aws(['sso-oidc', 'register-client', '--client-name', 'botocore-client-gatehouse', '--client-type', 'public', '--scopes', 'sso:account:access']),
    );
    expect(registered.clientId).toEqual(expect.any(String));
    expect(Number.isInteger(registered.clientSecretExpiresAt)).toBe(true);
    const refused = await aws(['sso-oidc', 'register-client', '--client-name', 'botocore-client-gatehouse', '--client-type', 'public', '--scopes', 'sso:account:admin']);
    expect(refused.code).toBe(254);
    expect(refused.stderr).toContain('An error occurred (InvalidScopeException) when calling the RegisterClient operation');
  });

  test('get-role-credentials for a role the user does not have is ForbiddenException "No access"', async () => {
    const { accountId } = firstAssignment();
    const result = await aws(['sso', 'get-role-credentials', '--access-token', session.accessToken, '--account-id', accountId, '--role-name', 'NoSuchPermissionSet']);
    expect(result.code).toBe(254);
    expect(result.stderr).toContain('An error occurred (ForbiddenException) when calling the GetRoleCredentials operation: No access');
  });

  test('botocore retries the emulator\'s 429 like AWS\'s', async () => {
    await admin(emu, 'faults', { throttle: 1 });
    const result = await aws(['sso', 'list-accounts', '--access-token', session.accessToken, '--max-items', '5']);
    expect(parse<{ accountList: unknown[] }>(result).accountList).toHaveLength(5);
    expect((await admin(emu, 'stats')).json).toMatchObject({ throttled: 1 });
  });
});
