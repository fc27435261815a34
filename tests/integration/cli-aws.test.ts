import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { accountsOfUser, rolesOfUser } from '../../emulator/directory';
import { createEmulator, type RunningEmulator } from '../../emulator/server';
import { emulatorAdmin } from '../../scripts/support/emulator-admin';
import { type RunningPortal, startPortal } from '../../scripts/support/portal-process';
import { type CliHome, cliHome, gatehouse, installFromPortal, type InstalledCli, login, runCommand } from '../support/gatehouse-cli';

/**
 * Profiles written by `gatehouse config` used by the real AWS CLI and the AWS SDK for JavaScript's
 * default provider chain against the emulator's STS; `gatehouse exec`; and the portal's cache making
 * ten AWS CLI commands cost one GetRoleCredentials.
 */

const AWS = '/usr/bin/aws';
const SDK_SCRIPT = fileURLToPath(new URL('../support/sdk-sts.mjs', import.meta.url));
const USER = 'developer';

interface Profile {
  name: string;
  accountId: string;
  roleName: string;
}

describe('gatehouse profiles in ~/.aws/config, the AWS CLI and the SDK', () => {
  let emulator: RunningEmulator;
  let portal: RunningPortal;
  let cli: InstalledCli;
  let home: CliHome;
  let profiles: Profile[];

  const arnOf = (profile: Profile) => new RegExp(`^arn:aws:sts::${profile.accountId}:assumed-role/AWSReservedSSO_${profile.roleName}_[0-9a-f]{16}/${USER}$`);
  const aws = (args: string[], env: Record<string, string> = {}) =>
    runCommand(AWS, [...args, '--endpoint-url', emulator.url, '--output', 'json'], { ...home.env, ...env }, { timeoutMs: 60_000 });

  beforeAll(async () => {
    emulator = await createEmulator({ port: 0 });
    portal = await startPortal({ emulatorPort: emulator.port });
    cli = await installFromPortal(portal.url);
    home = cliHome(cli);
    const signedIn = await login(home, portal.url, USER);
    if (signedIn.code !== 0) throw new Error(`gatehouse login failed: ${signedIn.stderr}`);
    profiles = accountsOfUser(emulator.ctx.directory, USER).flatMap((account) =>
      [...rolesOfUser(emulator.ctx.directory, USER, account.accountId)].sort().map((roleName) => ({ name: '', accountId: account.accountId, roleName })),
    );
  });
  afterAll(async () => {
    await portal?.stop();
    await emulator?.close();
    home?.remove();
    cli?.remove();
  });

  /** The profile names the command wrote, read back from the file: `[profile NAME]` before its credential_process line. */
  const writtenProfiles = (): Profile[] => {
    const text = readFileSync(home.awsConfig, 'utf8');
    return [...text.matchAll(/^\[profile (\S+)\]\r?\ncredential_process = gatehouse credential-process --account (\d{12}) --role (\S+) --portal (\S+)\r?\n/gm)].map((match) => {
      expect(match[4]).toBe(portal.url);
      return { name: match[1]!, accountId: match[2]!, roleName: match[3]! };
    });
  };

  it('writes one profile per role into a marked block, keeping the rest of the file, and again changes nothing', async () => {
    const foreign = '# mine\r\n[default]\r\nregion = eu-north-1\r\n\r\n[profile   hand-made ]\r\noutput=text\r\n';
    const { mkdirSync } = await import('node:fs');
    mkdirSync(path.dirname(home.awsConfig), { recursive: true });
    writeFileSync(home.awsConfig, foreign);
    const first = await gatehouse(home, ['config']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toBe('');
    expect(first.stderr).toMatch(new RegExp(`^Wrote ${profiles.length} profiles to ${home.awsConfig.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} \\(the old file is in .*gatehouse-backup-\\d{8}T\\d{9}Z\\)\\.$`, 'm'));
    const text = readFileSync(home.awsConfig, 'utf8');
    expect(text.startsWith(foreign)).toBe(true);
    expect(text).toContain(`# >>> gatehouse (${portal.url}, instance `);
    expect(text.trimEnd().endsWith('# <<< gatehouse <<<')).toBe(true);
    const written = writtenProfiles();
    expect(written.map(({ accountId, roleName }) => `${accountId}/${roleName}`).sort()).toEqual(profiles.map((p) => `${p.accountId}/${p.roleName}`).sort());
    profiles = written;
    const backups = readdirSync(path.dirname(home.awsConfig)).filter((name) => name.startsWith('config.gatehouse-backup-'));
    expect(backups).toHaveLength(1);
    expect(readFileSync(path.join(path.dirname(home.awsConfig), backups[0]!), 'utf8')).toBe(foreign);

    const again = await gatehouse(home, ['config']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/already has these \d+ profiles: nothing to change/);
    expect(readFileSync(home.awsConfig, 'utf8')).toBe(text);
  });

  it('does not write twice a profile the file already has outside the block, and says so', async () => {
    const taken = profiles[0]!;
    const before = readFileSync(home.awsConfig, 'utf8');
    writeFileSync(home.awsConfig, `${before}\n[profile ${taken.name}]\nregion = ap-south-1\n`);
    const result = await gatehouse(home, ['config']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`Skipped ${taken.name}: already in ${home.awsConfig} outside the gatehouse block.`);
    const text = readFileSync(home.awsConfig, 'utf8');
    expect(text.match(new RegExp(`^\\[profile ${taken.name.replace(/\./g, '\\.')}\\]`, 'gm'))).toHaveLength(1);
    writeFileSync(home.awsConfig, before);
  });

  it('the AWS CLI resolves the account and role of a profile through `gatehouse credential-process`', { timeout: 60_000 }, async () => {
    const profile = profiles[0]!;
    const result = await aws(['sts', 'get-caller-identity', '--profile', profile.name]);
    expect(result.code, result.stderr).toBe(0);
    const identity = JSON.parse(result.stdout) as { Account: string; Arn: string };
    expect(identity.Account).toBe(profile.accountId);
    expect(identity.Arn).toMatch(arnOf(profile));
  });

  it('the SDK\'s default provider chain resolves the same through AWS_PROFILE', async () => {
    const profile = profiles.at(-1)!;
    const result = await runCommand(process.execPath, [SDK_SCRIPT, 'once'], { ...home.env, AWS_PROFILE: profile.name, AWS_ENDPOINT_URL_STS: emulator.url });
    expect(result.code, result.stderr).toBe(0);
    const identity = JSON.parse(result.stdout) as { Account: string; Arn: string };
    expect(identity.Account).toBe(profile.accountId);
    expect(identity.Arn).toMatch(arnOf(profile));
  });

  it('ten AWS CLI commands with one profile cost one GetRoleCredentials (the portal keeps the credentials)', { timeout: 120_000 }, async () => {
    // A role no test here has used yet, so nothing is kept for it before the first command.
    const profile = profiles[1]!;
    const admin = emulatorAdmin(emulator);
    await admin.resetStats();
    for (let i = 0; i < 10; i += 1) {
      const result = await aws(['sts', 'get-caller-identity', '--profile', profile.name]);
      expect(result.code, result.stderr).toBe(0);
    }
    const calls = await admin.calls();
    expect(calls.GetCallerIdentity).toBe(10);
    expect(calls.GetRoleCredentials).toBe(1);
  });

  it('`gatehouse exec` runs a command with the credentials and region, without AWS_PROFILE, and exits with its code', { timeout: 60_000 }, async () => {
    const profile = profiles[0]!;
    const role = ['--account', profile.accountId, '--role', profile.roleName];
    const identity = await gatehouse(home, ['exec', ...role, '--', AWS, 'sts', 'get-caller-identity', '--endpoint-url', emulator.url, '--output', 'json'], {
      env: { AWS_PROFILE: 'does-not-exist' },
    });
    expect(identity.code, identity.stderr).toBe(0);
    expect((JSON.parse(identity.stdout) as { Arn: string }).Arn).toMatch(arnOf(profile));

    const shell = await gatehouse(home, ['exec', ...role, '--region', 'eu-west-3', '--', 'sh', '-c', 'echo "$AWS_REGION $AWS_DEFAULT_REGION ${AWS_PROFILE:-none} ${AWS_CREDENTIAL_EXPIRATION:-none}"; exit 7'], {
      env: { AWS_PROFILE: 'other' },
    });
    expect(shell.code).toBe(7);
    expect(shell.stdout).toMatch(/^eu-west-3 eu-west-3 none \d{4}-\d\d-\d\dT\S+\n$/);

    // Without --region or AWS_REGION: the instance's default region, as the portal gives it.
    const token = (JSON.parse(readFileSync(path.join(home.configDir, 'sessions.json'), 'utf8')) as { sessions: { token: string }[] }).sessions[0]!.token;
    const session = (await (await fetch(`${portal.url}/api/cli/session`, { headers: { authorization: `Bearer ${token}` } })).json()) as { instance: { region: string } };
    const defaulted = await gatehouse(home, ['exec', ...role, '--', 'sh', '-c', 'echo "$AWS_REGION $AWS_DEFAULT_REGION"']);
    expect(defaulted.code, defaulted.stderr).toBe(0);
    expect(defaulted.stdout).toBe(`${session.instance.region} ${session.instance.region}\n`);
  });

  it('`gatehouse config --favorites` with no favorites writes nothing and says why', async () => {
    const before = readFileSync(home.awsConfig);
    const backups = () => readdirSync(path.dirname(home.awsConfig)).filter((name) => name.includes('gatehouse-backup'));
    const backupsBefore = backups();
    const result = await gatehouse(home, ['config', '--favorites']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `You have no favorites at ${portal.url}: star roles or accounts on the portal's accounts page, or run \`gatehouse config\` without --favorites. Nothing was written.\n`,
    );
    expect(readFileSync(home.awsConfig)).toEqual(before);
    expect(backups()).toEqual(backupsBefore);
  });
});
