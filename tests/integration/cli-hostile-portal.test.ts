import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Environment } from '../../cli/environment';
import { answerJson, type PortalDouble, startNdjson, startPortalDouble } from '../support/cli-portal-double';
import { runCli } from '../support/cli-io';

const run = promisify(execFile);
const AWS = '/usr/bin/aws';
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * `gatehouse config` against a portal that lies: names, roles and nicknames written to break out of
 * a `[profile …]` header or a credential_process line, or to run a shell. The file it writes is read
 * back by the real AWS CLI (v2) and by the AWS SDK for JavaScript's provider chain: they find only
 * the intended profile, its credential_process runs the command with exactly the intended arguments,
 * and nothing else runs.
 */
describe('gatehouse config from a hostile portal', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'gatehouse-hostile-cli-'));
  const canary = path.join(work, 'ran');
  const calls = path.join(work, 'calls.log');
  const configFile = path.join(work, 'home', '.aws', 'config');
  /** Stands in for `gatehouse`: records its arguments, one per line, and hands out static credentials. */
  const recorder = path.join(work, 'bin', 'gatehouse-recorder');
  const touch = `touch ${canary}`;
  let portal: PortalDouble;
  let env: Environment;

  beforeAll(async () => {
    mkdirSync(path.dirname(recorder), { recursive: true });
    writeFileSync(
      recorder,
      `#!/bin/sh\nfor arg in "$@"; do printf '%s\\n' "$arg" >> '${calls}'; done\necho '--' >> '${calls}'\n` +
        `printf '{"Version":1,"AccessKeyId":"AKIAEXAMPLE123456789","SecretAccessKey":"secretsecretsecretsecret","SessionToken":"tokentokentokentoken"}\\n'\n`,
    );
    chmodSync(recorder, 0o755);
    portal = await startPortalDouble({
      'GET /api/cli/session': (_request, response) =>
        answerJson(response, 200, { user: 'developer', instance: { key: 'default', name: 'Demo', region: 'eu-west-1' }, expiresAt: '2030-01-01T00:00:00Z' }),
      'GET /api/cli/accounts/stream': (_request, response) => {
        const stream = startNdjson(response);
        stream.send({
          type: 'accounts',
          accounts: [
            { accountId: '111122223333', accountName: 'payments-prod', emailAddress: 'p@example.com' },
            { accountId: '999999999999', accountName: `Evil\n[profile pwn]\ncredential_process = /bin/sh -c '${touch}'`, emailAddress: 'e@example.com' },
            { accountId: '999999999998', accountName: 'nick', emailAddress: 'n@example.com', nickname: `x]\n[profile pwn]\ncredential_process = ${touch}` },
            { accountId: '$(touch x)', accountName: 'bad id', emailAddress: 'b@example.com' },
          ],
        });
        stream.send({ type: 'accounts-complete', total: 4 });
        stream.send({
          type: 'roles',
          accountId: '111122223333',
          roles: [{ roleName: 'Admin' }, { roleName: `$(${touch})` }, { roleName: `R\n[profile pwn]\ncredential_process = ${touch}` }, { roleName: "a'b" }, { roleName: 'x`id`' }],
        });
        stream.send({ type: 'roles', accountId: '999999999999', roles: [{ roleName: 'Admin' }] });
        stream.send({ type: 'roles', accountId: '999999999998', roles: [{ roleName: 'Admin' }] });
        stream.send({ type: 'done', accounts: 4, roles: 7, failedAccounts: 0 });
        stream.end();
      },
    });
    env = {
      PATH: '/usr/bin:/bin',
      HOME: path.join(work, 'home'),
      XDG_CONFIG_HOME: path.join(work, 'home', '.config'),
      AWS_CONFIG_FILE: configFile,
      AWS_SHARED_CREDENTIALS_FILE: path.join(work, 'none'),
      GATEHOUSE_TOKEN: 't'.repeat(43),
      GATEHOUSE_PORTAL: portal.url,
    };
  });
  afterAll(async () => {
    await portal.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('writes only the profiles that pass the portal\'s rules, and says how many it left out', async () => {
    const result = await runCli(['config'], env, { runningScript: recorder });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe(`Left out 7 accounts or roles the portal listed in a form AWS does not allow.\nWrote 1 profile to ${configFile}.\n`);
    const text = readFileSync(configFile, 'utf8');
    expect(text).not.toMatch(/pwn|touch|\$\(|`/);
    expect(text).toBe(
      [
        `# >>> gatehouse (${portal.url}, instance default) >>>`,
        '[profile payments-prod.Admin]',
        `credential_process = ${recorder} credential-process --account 111122223333 --role Admin --portal ${portal.url}`,
        'region = eu-west-1',
        '# <<< gatehouse <<<',
        '',
      ].join('\n'),
    );
  });

  const awsEnv = (): NodeJS.ProcessEnv => ({ NODE_ENV: 'test', PATH: '/usr/bin:/bin', HOME: env.HOME, AWS_CONFIG_FILE: configFile, AWS_SHARED_CREDENTIALS_FILE: path.join(work, 'none'), AWS_PAGER: '', AWS_EC2_METADATA_DISABLED: 'true' });

  it('the AWS CLI finds that profile alone, runs it with exactly the intended arguments, and nothing else', { timeout: 60_000 }, async () => {
    const { stdout } = await run(AWS, ['configure', 'list-profiles'], { env: awsEnv() });
    expect(stdout.trim().split('\n')).toEqual(['payments-prod.Admin']);
    rmSync(calls, { force: true });
    const exported = await run(AWS, ['configure', 'export-credentials', '--profile', 'payments-prod.Admin', '--format', 'process'], { env: awsEnv() });
    expect(JSON.parse(exported.stdout)).toMatchObject({ AccessKeyId: 'AKIAEXAMPLE123456789' });
    expect(readFileSync(calls, 'utf8')).toBe(['credential-process', '--account', '111122223333', '--role', 'Admin', '--portal', portal.url, '--', ''].join('\n'));
    await expect(run(AWS, ['configure', 'export-credentials', '--profile', 'pwn'], { env: awsEnv() })).rejects.toThrow();
    expect(existsSync(canary)).toBe(false);
  });

  it('the AWS SDK for JavaScript resolves the same profile through its provider chain, and nothing else runs', async () => {
    const resolve = (profile: string) =>
      run(
        process.execPath,
        ['--input-type=module', '-e', "import { STSClient } from '@aws-sdk/client-sts'; const c = await new STSClient({ region: 'eu-west-1' }).config.credentials(); console.log(c.accessKeyId);"],
        { cwd: ROOT, env: { ...awsEnv(), AWS_PROFILE: profile } },
      );
    rmSync(calls, { force: true });
    expect((await resolve('payments-prod.Admin')).stdout.trim()).toBe('AKIAEXAMPLE123456789');
    expect(readFileSync(calls, 'utf8')).toBe(['credential-process', '--account', '111122223333', '--role', 'Admin', '--portal', portal.url, '--', ''].join('\n'));
    await expect(resolve('pwn')).rejects.toThrow();
    expect(existsSync(canary)).toBe(false);
  });
});
