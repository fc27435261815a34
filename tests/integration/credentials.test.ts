import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { accountsOfUser, rolesOfUser } from '../../emulator/directory';
import { createEmulator, type RunningEmulator } from '../../emulator/server';
import { CREDENTIAL_FORMATS, type CredentialFormat, FORMAT_INFO } from '../../lib/shared/credential-text';
import { emulatorAdmin } from '../../scripts/support/emulator-admin';
import { PortalClient } from '../../scripts/support/portal-client';
import { type RunningPortal, startPortal } from '../../scripts/support/portal-process';
import { signInListed } from '../support/api-session';

const run = promisify(execFile);
const AWS = '/usr/bin/aws';

/**
 * The formats the installed AWS CLI's `configure export-credentials` writes, as it lists them when
 * refusing one it does not know. Older versions lack some (fish came later), so the comparison below
 * covers what this CLI can write, and the test after it checks that this is every format it lists.
 */
function installedCliFormats(): string[] {
  const { stderr } = spawnSync(AWS, ['configure', 'export-credentials', '--format', '?'], {
    encoding: 'utf8',
    env: { PATH: '/usr/bin:/bin', HOME: tmpdir(), AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent', NODE_ENV: 'test' },
  });
  const listed = /valid choices are:([\s\S]*)$/.exec(stderr)?.[1] ?? '';
  return listed.split(/[\s|]+/).filter(Boolean);
}
const CLI_FORMATS = installedCliFormats();
const COMPARED_WITH_CLI = CREDENTIAL_FORMATS.filter((format) => FORMAT_INFO[format].awsCli && CLI_FORMATS.includes(format));

describe('credentials, console and ~/.aws/config', () => {
  let emulator: RunningEmulator;
  let portal: RunningPortal;
  let operator: PortalClient;
  let work: string;
  let account: { accountId: string; accountName: string };
  let roleName: string;

  /** An environment with nothing of this machine's AWS set-up: only what a test puts in it. */
  const cleanEnv = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
    PATH: '/usr/bin:/bin',
    HOME: work,
    AWS_CONFIG_FILE: path.join(work, 'no-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(work, 'no-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
    NODE_ENV: 'test',
    ...extra,
  });

  const credentialsText = async (format: string, body: Record<string, unknown> = {}) => {
    const response = await operator.post(`/api/credentials?format=${format}`, { accountId: account.accountId, roleName, ...body });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-store');
    return response.text();
  };

  const expectedArn = () => new RegExp(`^arn:aws:sts::${account.accountId}:assumed-role/AWSReservedSSO_${roleName}_[0-9a-f]{16}/operator$`);

  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'gatehouse-creds-'));
    emulator = await createEmulator({ port: 0 });
    portal = await startPortal({ emulatorPort: emulator.port });
    operator = await signInListed(portal.url, emulator, 'operator');
    account = accountsOfUser(emulator.ctx.directory, 'operator')[0]!;
    roleName = [...rolesOfUser(emulator.ctx.directory, 'operator', account.accountId)].sort()[0]!;
  });
  afterAll(async () => {
    await portal.stop();
    await emulator.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('hands out credentials as JSON, never cached, with an ISO 8601 expiry', async () => {
    const response = await operator.post('/api/credentials', { accountId: account.accountId, roleName });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as Record<string, string>;
    expect(Object.keys(body).sort()).toEqual(['accessKeyId', 'expiration', 'secretAccessKey', 'sessionToken']);
    expect(body.accessKeyId).toMatch(/^ASIA[A-Z0-9]{16}$/);
    expect(body.expiration).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(new Date(body.expiration!).getTime()).toBeGreaterThan(Date.now());
  });

  it('offers every format the installed AWS CLI writes, each marked as the CLI’s (and so compared below)', () => {
    expect(CLI_FORMATS).toEqual(expect.arrayContaining(['process', 'env', 'env-no-export', 'powershell', 'windows-cmd']));
    expect(CLI_FORMATS.filter((format) => !FORMAT_INFO[format as CredentialFormat]?.awsCli)).toEqual([]);
    expect([...COMPARED_WITH_CLI].sort()).toEqual([...CLI_FORMATS].sort());
  });

  it.each(COMPARED_WITH_CLI)(
    'the %s format matches `aws configure export-credentials` on the same credentials, character for character',
    async (format) => {
      const portalText = await credentialsText(format);
      // Hand the very same credentials to the AWS CLI through credential_process.
      const values = Object.fromEntries(
        [...portalText.matchAll(/(AWS_[A-Z_]+|AccessKeyId|SecretAccessKey|SessionToken|Expiration)"?\s*[=:]\s*"?([^"\n]+)"?/g)].map((match) => [
          match[1],
          match[2],
        ]),
      );
      const accessKeyId = values.AWS_ACCESS_KEY_ID ?? values.AccessKeyId;
      const secret = values.AWS_SECRET_ACCESS_KEY ?? values.SecretAccessKey;
      const token = values.AWS_SESSION_TOKEN ?? values.SessionToken;
      const expiration = values.AWS_CREDENTIAL_EXPIRATION ?? values.Expiration;
      expect(accessKeyId).toMatch(/^ASIA/);
      const processJson = path.join(work, `${format}.json`);
      writeFileSync(
        processJson,
        JSON.stringify({ Version: 1, AccessKeyId: accessKeyId, SecretAccessKey: secret, SessionToken: token, Expiration: expiration }),
      );
      const config = path.join(work, `${format}.config`);
      writeFileSync(config, `[profile parity]\ncredential_process = /bin/cat ${processJson}\n`);
      const { stdout } = await run(AWS, ['configure', 'export-credentials', '--profile', 'parity', '--format', format], {
        env: cleanEnv({ AWS_CONFIG_FILE: config }),
      });
      expect(portalText).toBe(stdout);
    },
  );

  it('with the region set, as the page does by default, the first aws command of a clean shell works; without it, the AWS CLI asks for a region', async () => {
    const command = (file: string) => `eval "$(cat ${file})" && exec ${AWS} sts get-caller-identity --output json --endpoint-url "$EMU"`;
    const withRegion = path.join(work, 'clean-shell.with-region');
    writeFileSync(withRegion, await credentialsText('env', { region: 'eu-west-2' }));
    const { stdout } = await run('bash', ['-c', command(withRegion)], { env: cleanEnv({ EMU: emulator.url }) });
    expect((JSON.parse(stdout) as { Arn: string }).Arn).toMatch(expectedArn());
    const without = path.join(work, 'clean-shell.without-region');
    writeFileSync(without, await credentialsText('env'));
    await expect(run('bash', ['-c', command(without)], { env: cleanEnv({ EMU: emulator.url }) })).rejects.toMatchObject({
      stderr: expect.stringMatching(/You must specify a region/) as unknown,
    });
  });

  type ShellCommand = (file: string) => [string, string[]];
  it.each<[string, ShellCommand]>([
    ['env', (file: string) => ['bash', ['-c', `eval "$(cat ${file})" && exec ${AWS} sts get-caller-identity --output json --region us-east-1 --endpoint-url "$EMU"`]]],
    ['env-no-export', (file: string) => ['bash', ['-c', `set -a && . ${file} && set +a && exec ${AWS} sts get-caller-identity --output json --region us-east-1 --endpoint-url "$EMU"`]]],
    ['dotenv', (file: string) => ['bash', ['-c', `set -a && . ${file} && set +a && exec ${AWS} sts get-caller-identity --output json --region us-east-1 --endpoint-url "$EMU"`]]],
    ['fish', (file: string) => ['fish', ['-c', `source ${file}; and ${AWS} sts get-caller-identity --output json --region us-east-1 --endpoint-url $EMU`]]],
  ])('the %s format, run in its shell, lets the AWS CLI sign as operator', async (format, command) => {
    const file = path.join(work, `shell.${format}`);
    writeFileSync(file, await credentialsText(format));
    const [program, args] = command(file);
    const { stdout } = await run(program, args, { env: cleanEnv({ EMU: emulator.url }) });
    expect((JSON.parse(stdout) as { Arn: string }).Arn).toMatch(expectedArn());
  });

  it('the credentials-file profile works with --profile, under the name the person chose', async () => {
    const file = path.join(work, 'credentials');
    writeFileSync(file, await credentialsText('ini', { profileName: 'payments.readonly', region: 'eu-west-1' }));
    const { stdout } = await run(
      AWS,
      ['sts', 'get-caller-identity', '--output', 'json', '--profile', 'payments.readonly', '--endpoint-url', emulator.url],
      { env: cleanEnv({ AWS_SHARED_CREDENTIALS_FILE: file }) },
    );
    expect((JSON.parse(stdout) as { Arn: string }).Arn).toMatch(expectedArn());
  });

  it('the credential_process JSON works as a credential_process', async () => {
    const json = path.join(work, 'process-out.json');
    writeFileSync(json, await credentialsText('process'));
    const config = path.join(work, 'process.config');
    writeFileSync(config, `[profile viaprocess]\ncredential_process = /bin/cat ${json}\n`);
    const { stdout } = await run(
      AWS,
      ['sts', 'get-caller-identity', '--output', 'json', '--profile', 'viaprocess', '--region', 'us-east-1', '--endpoint-url', emulator.url],
      { env: cleanEnv({ AWS_CONFIG_FILE: config }) },
    );
    expect((JSON.parse(stdout) as { Arn: string }).Arn).toMatch(expectedArn());
  });

  it('refuses a role the person does not have with 403, before asking Identity Center', async () => {
    await emulatorAdmin(emulator).resetStats();
    const notAssigned = ['AdministratorAccess', 'ReadOnlyAccess', 'Billing', 'PowerUserAccess', 'SecurityAudit', 'DataScientist', 'NoSuchRole'].find(
      (role) => !rolesOfUser(emulator.ctx.directory, 'operator', account.accountId).includes(role),
    )!;
    const response = await operator.post('/api/credentials', { accountId: account.accountId, roleName: notAssigned });
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ error: { code: 'forbidden', message: 'You do not have that role in that account.' } });
    const foreign = await operator.post('/api/credentials', { accountId: '000000000000', roleName });
    expect(foreign.status).toBe(403);
    const stats = await emulatorAdmin(emulator).stats();
    expect(stats.calls.GetRoleCredentials ?? 0).toBe(0);
  });

  it.each([
    [{ accountId: '12345', roleName: 'Admin' }],
    [{ accountId: '１２３４５６７８９０１２', roleName: 'Admin' }],
    [{ accountId: 123456789012, roleName: 'Admin' }],
    [{ accountId: '123456789012', roleName: '../../etc/passwd' }],
    [{ accountId: '123456789012', roleName: 'a'.repeat(65) }],
    [{ accountId: '123456789012', roleName: 'Admin\n{"event":"fake"}' }],
    [{ accountId: '123456789012' }],
    [{ accountId: '123456789012', roleName: 'Admin', extra: true }],
    [{ accountId: '123456789012', roleName: 'Admin', region: 'mars-1' }],
  ])('answers %j with 400', async (body) => {
    const response = await operator.post('/api/credentials', body);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('bad_request');
  });

  it('answers an unknown format with 400', async () => {
    const response = await operator.post('/api/credentials?format=yaml', { accountId: account.accountId, roleName });
    expect(response.status).toBe(400);
  });

  it('writes one audit line per hand-out, without the secret, and lists the role as recently used', async () => {
    const response = await operator.post('/api/credentials', { accountId: account.accountId, roleName });
    const { accessKeyId, secretAccessKey, sessionToken } = (await response.json()) as Record<string, string>;
    const requestId = response.headers.get('x-request-id');
    const lines = portal
      .output()
      .split('\n')
      .filter((line) => line.includes(`"accessKeyId":"${accessKeyId}"`));
    expect(lines).toHaveLength(1);
    const event = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(event).toMatchObject({ audit: true, event: 'credentials_issued', user: 'operator', accountId: account.accountId, roleName, requestId });
    expect(typeof event.expiration).toBe('string');
    expect(portal.output()).not.toContain(secretAccessKey);
    expect(portal.output()).not.toContain(sessionToken);
    const favorites = (await (await operator.get('/api/favorites')).json()) as { recent: string[] };
    expect(favorites.recent[0]).toBe(`${account.accountId}/${roleName}`);
  });

  it('opens the console: the login lands on the emulator page for the right user, account and role', async () => {
    const response = await operator.post('/api/console', { accountId: account.accountId, roleName, region: 'eu-west-1', destination: '/ec2/home' });
    expect(response.status).toBe(200);
    const { url } = (await response.json()) as { url: string };
    expect(url.startsWith(`${emulator.url}/federation?Action=login`)).toBe(true);
    const page = await (await fetch(url)).text();
    expect(page).toContain('operator');
    expect(page).toContain(account.accountId);
    expect(page).toContain(roleName);
    expect(page).toContain('eu-west-1');
    expect(page).toContain('https://console.aws.amazon.com/ec2/home?region=eu-west-1');
  });

  /** The emulator's console landing page for a login URL, and what it says. */
  const landing = async (url: string) => {
    expect(url.startsWith(`${emulator.url}/federation?Action=login`)).toBe(true);
    const page = await (await fetch(url)).text();
    return {
      page,
      region: /<dt>Region<\/dt>\n {2}<dd><code>([^<]+)<\/code>/.exec(page)?.[1],
      destination: /<dt>Destination<\/dt>\n {2}<dd><a href="([^"]+)"/.exec(page)?.[1]?.replace(/&amp;/g, '&'),
      session: /<dt>Console session<\/dt>\n {2}<dd>([^<]+)<\/dd>/.exec(page)?.[1],
      endsAt: Date.parse(/<dt>Console session expires<\/dt>\n {2}<dd><time datetime="([^"]+)"/.exec(page)?.[1] ?? ''),
    };
  };
  const consoleLanding = async (client: PortalClient, body: Record<string, unknown>) => {
    const response = await client.post('/api/console', body);
    expect(response.status).toBe(200);
    const answer = (await response.json()) as { url: string; sessionHours?: number };
    return { ...(await landing(answer.url)), sessionHours: answer.sessionHours };
  };

  it('opens a regional console page in its own region unless a region is asked for', async () => {
    const regional = 'https://us-west-2.console.aws.amazon.com/ec2/home?region=us-west-2#Instances:';
    const own = await consoleLanding(operator, { accountId: account.accountId, roleName, destination: regional });
    expect(own.region).toBe('us-west-2');
    expect(own.destination).toBe(regional);

    // An explicit region wins, and the page moves to that region's console host.
    const asked = await consoleLanding(operator, { accountId: account.accountId, roleName, destination: regional, region: 'eu-west-1' });
    expect(asked.region).toBe('eu-west-1');
    expect(asked.destination).toBe('https://eu-west-1.console.aws.amazon.com/ec2/home?region=eu-west-1#Instances:');

    // Without a regional host, the page's own region parameter counts.
    const byParameter = await consoleLanding(operator, { accountId: account.accountId, roleName, destination: '/lambda/home?region=ap-southeast-2#/functions' });
    expect(byParameter.region).toBe('ap-southeast-2');
    expect(byParameter.destination).toBe('https://console.aws.amazon.com/lambda/home?region=ap-southeast-2#/functions');

    // The shortcut follows the same rule.
    const shortcut = await operator.get(`/console/${account.accountId}/${roleName}?destination=${encodeURIComponent(regional)}`);
    expect(shortcut.status).toBe(303);
    const fromShortcut = await landing(shortcut.headers.get('location')!);
    expect(fromShortcut.region).toBe('us-west-2');
    expect(fromShortcut.destination).toBe(regional);
  });

  it('sends the console session length chosen to the federation endpoint, and remembers it for the person', async () => {
    const developer = await signInListed(portal.url, emulator, 'developer');
    const own = accountsOfUser(emulator.ctx.directory, 'developer')[0]!;
    const role = [...rolesOfUser(emulator.ctx.directory, 'developer', own.accountId)].sort()[0]!;
    const body = { accountId: own.accountId, roleName: role };
    const hoursFromNow = (hours: number) => emulator.ctx.clock.now() + hours * 3_600_000;

    // Nothing remembered: no SessionDuration, so the console lasts as long as the credentials.
    const unchosen = await consoleLanding(developer, body);
    expect(unchosen.sessionHours).toBeUndefined();
    expect(unchosen.session).toBe('As long as the role credentials (no SessionDuration)');

    const four = await consoleLanding(developer, { ...body, sessionHours: 4 });
    expect(four.sessionHours).toBe(4);
    expect(four.session).toBe('4 hours (SessionDuration 14400 s)');
    expect(Math.abs(four.endsAt - hoursFromNow(4))).toBeLessThan(10_000);

    // Remembered: the next console, and one from another browser, last 4 hours without asking.
    const next = await consoleLanding(developer, body);
    expect(next.sessionHours).toBe(4);
    expect(next.session).toBe('4 hours (SessionDuration 14400 s)');
    const elsewhere = await consoleLanding(await signInListed(portal.url, emulator, 'developer'), body);
    expect(elsewhere.session).toBe('4 hours (SessionDuration 14400 s)');
    expect(Math.abs(elsewhere.endsAt - hoursFromNow(4))).toBeLessThan(10_000);
    // Someone else's consoles are not affected.
    expect((await consoleLanding(operator, { accountId: account.accountId, roleName })).session).not.toContain('4 hours');

    // The shortcut's ?hours= is sent and remembered too.
    const shortcut = await developer.get(`/console/${own.accountId}/${role}?hours=12`);
    expect(shortcut.status).toBe(303);
    expect((await landing(shortcut.headers.get('location')!)).session).toBe('12 hours (SessionDuration 43200 s)');
    expect((await consoleLanding(developer, body)).session).toBe('12 hours (SessionDuration 43200 s)');

    for (const sessionHours of [2, 0, 13, 24, -4, 4.5, '4', null, true, 14400]) {
      const response = await developer.post('/api/console', { ...body, sessionHours });
      expect(response.status, JSON.stringify(sessionHours)).toBe(400);
      const answer = (await response.json()) as { error: { code: string; message: string } };
      expect(Object.keys(answer)).toEqual(['error']);
      expect(answer.error.code).toBe('bad_request');
      expect(typeof answer.error.message).toBe('string');
    }
    const badLink = await developer.get(`/console/${own.accountId}/${role}?hours=2`);
    expect(badLink.status).toBe(400);
    expect(badLink.headers.get('content-type')).toMatch(/^text\/html/);
    // Nothing bad was remembered.
    expect((await consoleLanding(developer, body)).sessionHours).toBe(12);
  });

  it('refuses a console region or page of another AWS partition, before asking Identity Center', async () => {
    await emulatorAdmin(emulator).resetStats();
    for (const refused of [{ region: 'us-gov-west-1' }, { region: 'cn-north-1' }, { destination: 'https://console.amazonaws.cn/ec2/home' }, { destination: 'https://us-gov-east-1.console.amazonaws-us-gov.com/ec2/home' }]) {
      const response = await operator.post('/api/console', { accountId: account.accountId, roleName, ...refused });
      expect(response.status, JSON.stringify(refused)).toBe(400);
      const { error } = (await response.json()) as { error: { code: string; message: string } };
      expect(error.code).toBe('bad_request');
      expect(error.message).toMatch(/AWS commercial regions/);
    }
    const link = await operator.get(`/console/${account.accountId}/${roleName}?region=us-gov-west-1`);
    expect(link.status).toBe(400);
    expect(link.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await link.text()).toContain('AWS commercial regions');
    const stats = await emulatorAdmin(emulator).stats();
    expect(stats.calls.GetRoleCredentials ?? 0).toBe(0);
  });

  it('refuses a destination off the AWS console (no open redirect)', async () => {
    for (const destination of ['https://evil.example/', '//evil.example', 'javascript:alert(1)', 'https://console.aws.amazon.com.evil.example/']) {
      const response = await operator.post('/api/console', { accountId: account.accountId, roleName, destination });
      expect(response.status).toBe(400);
    }
  });

  it('the console shortcut signs in with one GET and can be bookmarked', async () => {
    const shortcut = `/console/${account.accountId}/${roleName}?region=eu-central-1&destination=${encodeURIComponent('/s3/home')}`;
    const response = await operator.get(shortcut);
    expect(response.status).toBe(303);
    const location = response.headers.get('location')!;
    expect(location.startsWith(`${emulator.url}/federation?Action=login`)).toBe(true);
    const page = await (await fetch(location)).text();
    expect(page).toContain(roleName);
    expect(page).toContain('eu-central-1');

    // Signed out, it goes through sign-in and comes back.
    const stranger = await new PortalClient(portal.url).get(shortcut);
    expect(stranger.status).toBe(303);
    // A relative Location: the browser stays on the host it came by.
    expect(new URL(stranger.headers.get('location')!, portal.url).toString()).toBe(`${portal.url}/sign-in?next=${encodeURIComponent(shortcut)}`);
    expect(stranger.headers.get('location')).toMatch(/^\/sign-in\?/);

    expect((await operator.get(`/console/123/${roleName}`)).status).toBe(400);
    expect((await operator.get(`/console/${account.accountId}/NoSuchRole`)).status).toBe(403);
  });

  it('exports a ~/.aws/config that the AWS CLI accepts, with every role as a profile and no secret', async () => {
    const response = await operator.get('/api/aws-config?region=eu-west-1');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="config"');
    const text = await response.text();
    expect(text).not.toMatch(/aws_secret_access_key|aws_session_token|ASIA/);
    const file = path.join(work, 'exported-config');
    writeFileSync(file, text);
    const expected = accountsOfUser(emulator.ctx.directory, 'operator').reduce(
      (sum, entry) => sum + rolesOfUser(emulator.ctx.directory, 'operator', entry.accountId).length,
      0,
    );
    const { stdout } = await run(AWS, ['configure', 'list-profiles'], { env: cleanEnv({ AWS_CONFIG_FILE: file }) });
    const profiles = stdout.trim().split('\n');
    expect(profiles).toHaveLength(expected);
    expect(new Set(profiles).size).toBe(expected);
    const profile = profiles.find((name) => name.endsWith(`.${roleName}`) && name.startsWith(account.accountName.toLowerCase().slice(0, 10)))!;
    const { stdout: id } = await run(AWS, ['configure', 'get', 'sso_account_id', '--profile', profile], {
      env: cleanEnv({ AWS_CONFIG_FILE: file }),
    });
    expect(id.trim()).toBe(account.accountId);
    const { stdout: region } = await run(AWS, ['configure', 'get', 'region', '--profile', profile], { env: cleanEnv({ AWS_CONFIG_FILE: file }) });
    expect(region.trim()).toBe('eu-west-1');
  });

  it('exports only favorites when asked', async () => {
    await operator.post('/api/favorites', { kind: 'role', accountId: account.accountId, roleName, starred: true });
    const text = await (await operator.get('/api/aws-config?favorites=1')).text();
    expect(text.match(/^\[profile /gm)).toHaveLength(1);
    expect(text).toContain(`sso_account_id = ${account.accountId}\nsso_role_name = ${roleName}\n`);
    expect((await operator.get('/api/aws-config?region=nowhere')).status).toBe(400);
  });
});
