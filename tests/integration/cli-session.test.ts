import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { accountsOfUser, rolesOfUser } from '../../emulator/directory';
import { createEmulator, type RunningEmulator } from '../../emulator/server';
import { freePort } from '../../scripts/support/processes';
import { type RunningPortal, startPortal } from '../../scripts/support/portal-process';
import rootPackage from '../../package.json';
import { type CliHome, type CliResult, cliHome, fakeBrowser, gatehouse, inTerminal, installFromPortal, type InstalledCli, login } from '../support/gatehouse-cli';
import { snapshotTree } from '../support/cli-io';

/**
 * The gatehouse command against the production portal and the emulator, installed from the portal's
 * own /cli/gatehouse.tgz: signing in without a browser, status, the listing, credentials in the
 * shapes people paste, the console link, every bad input as one line with nothing written, sign-out,
 * and no AWS token or secret anywhere on the laptop's side.
 */

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

const MARKER = `CANARY${randomBytes(6).toString('hex')}`;
const USER = 'developer';

describe('the gatehouse command: sign-in, the listing, credentials and bad input', () => {
  let emulator: RunningEmulator;
  let portal: RunningPortal;
  let cli: InstalledCli;
  let home: CliHome;
  let browser: { opened: () => string[] };
  let accountId: string;
  let roleName: string;
  /** Everything the command printed in this file, to look for secrets in. */
  const printed: CliResult[] = [];
  const run = async (args: string[], env: Record<string, string> = {}) => {
    const result = await gatehouse(home, args, { env });
    printed.push(result);
    return result;
  };

  beforeAll(async () => {
    emulator = await createEmulator({ port: 0, secretMarker: MARKER });
    portal = await startPortal({ emulatorPort: emulator.port });
    cli = await installFromPortal(portal.url);
    // A desktop session (DISPLAY) with a browser that records what it is asked to open.
    home = cliHome(cli, { DISPLAY: ':0' });
    browser = fakeBrowser(home);
    const account = accountsOfUser(emulator.ctx.directory, USER)[0]!;
    accountId = account.accountId;
    roleName = [...rolesOfUser(emulator.ctx.directory, USER, accountId)].sort()[0]!;
  });
  afterAll(async () => {
    await portal?.stop();
    await emulator?.close();
    home?.remove();
    cli?.remove();
  });

  it('is the package the portal serves, of the portal\'s version', async () => {
    const response = await fetch(`${portal.url}/cli/gatehouse.tgz`);
    expect(response.status).toBe(200);
    const bytes = Buffer.from(await response.arrayBuffer());
    expect([...bytes.subarray(0, 2)]).toEqual([0x1f, 0x8b]);
    const installed = JSON.parse(readFileSync(path.join(cli.prefix, 'lib', 'node_modules', 'gatehouse', 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(installed).toMatchObject({ name: 'gatehouse', version: rootPackage.version, bin: { gatehouse: 'gatehouse.mjs' }, engines: { node: '>=20.9.0' } });
    expect(installed.dependencies).toBeUndefined();
    expect((await run(['--version'])).stdout.trim()).toBe(rootPackage.version);
  });

  it('signs in with --no-browser: prints the portal\'s confirmation link and its words, opens no browser, keeps the token 0600 in a 0700 folder', async () => {
    const result = await login(home, portal.url, USER);
    printed.push(result);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.link).toMatch(new RegExp(`^${escape(portal.url)}/terminal/confirm\\?request=[A-Za-z0-9_-]{43}$`));
    expect(result.stderr).toContain(`\nand check that it shows the words ${result.words} before you confirm.\n`);
    // Piped: the wait on a line of its own (and then "Confirmed; waiting for Identity Center…" when a poll
    // sees the confirmation before the approval), and no Identity Center link or code.
    expect(result.stderr).toMatch(/^Waiting for you to confirm in the portal…$/m);
    expect(result.stderr.match(/https?:\/\/[^\s)]+/g)?.filter((url) => url !== portal.url)).toEqual([result.link]);
    expect(result.stderr).not.toMatch(/[A-Z]{4}-[A-Z]{4}/);
    expect(result.stderr).toMatch(new RegExp(`^Signed in as ${USER} to ${portal.url.replace(/[.:/]/g, '\\$&')} `, 'm'));
    expect(browser.opened()).toEqual([]);
    expect(statSync(home.configDir).mode & 0o777).toBe(0o700);
    expect(readdirSync(home.configDir)).toEqual(['sessions.json']);
    expect(statSync(path.join(home.configDir, 'sessions.json')).mode & 0o777).toBe(0o600);
    const stored = JSON.parse(readFileSync(path.join(home.configDir, 'sessions.json'), 'utf8')) as { sessions: { portal: string; token: string }[] };
    expect(stored.sessions).toHaveLength(1);
    expect(stored.sessions[0]!.portal).toBe(portal.url);
    expect(stored.sessions[0]!.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('says who is signed in, where, and until when', async () => {
    const result = await run(['status']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(new RegExp(`^Portal: +${portal.url.replace(/[.:/]/g, '\\$&')}$`, 'm'));
    expect(result.stdout).toMatch(new RegExp(`^User: +${USER}$`, 'm'));
    expect(result.stdout).toMatch(/^Ends: +\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(in /m);
  });

  it('lists the accounts and roles the person has, as a table and as JSON', async () => {
    const expected = accountsOfUser(emulator.ctx.directory, USER).map((account) => ({
      accountId: account.accountId,
      roles: [...rolesOfUser(emulator.ctx.directory, USER, account.accountId)].sort(),
    }));
    const json = await run(['accounts', '--json']);
    expect(json.code, json.stderr).toBe(0);
    const listed = (JSON.parse(json.stdout) as { accounts: { accountId: string; roles: string[] }[] }).accounts;
    expect(listed.map((a) => ({ accountId: a.accountId, roles: [...a.roles].sort() })).sort((a, b) => a.accountId.localeCompare(b.accountId))).toEqual(
      expected.sort((a, b) => a.accountId.localeCompare(b.accountId)),
    );
    const table = await run(['accounts']);
    expect(table.stdout.split('\n')[0]).toMatch(/^ACCOUNT +NAME +ROLES$/);
    for (const account of expected) expect(table.stdout).toMatch(new RegExp(`^${account.accountId} .*${account.roles[0]}`, 'm'));
  });

  it('prints credential_process JSON and nothing else on stdout', async () => {
    const result = await run(['credential-process', '--account', accountId, '--role', roleName]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
    const parsed = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(parsed).toEqual({
      Version: 1,
      AccessKeyId: expect.stringMatching(/^ASIA/),
      SecretAccessKey: expect.any(String),
      SessionToken: expect.any(String),
      Expiration: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
  });

  it('in a terminal, without --account and --role, lets the person choose the role by typing a few letters of it', async () => {
    const directory = emulator.ctx.directory;
    const target = accountsOfUser(directory, USER).at(-1)!;
    const targetRole = [...rolesOfUser(directory, USER, target.accountId)].sort().at(-1)!;
    const terminal = inTerminal(home, ['credential-process']);
    await terminal.waitFor(/Account \/ role \(type to filter\)/);
    const before = terminal.screen().length;
    // As the accounts page searches: the start of the account id (a number never matches inside an id),
    // and the role's name in lower case.
    const typed = `${target.accountId.slice(0, 6)} ${targetRole.toLowerCase()}`;
    terminal.type(typed);
    await terminal.waitFor(new RegExp(`❯ [^\\n]*${target.accountId} / ${escape(targetRole)}`), before);
    terminal.type('\r');
    const code = await terminal.finished;
    printed.push({ code, stdout: terminal.screen(), stderr: '' });
    expect(code).toBe(0);
    const json = /\{\s*"Version": 1,[^}]*\}/.exec(terminal.screen())?.[0];
    const handedOut = JSON.parse(json ?? '{}') as { AccessKeyId: string; SecretAccessKey: string; SessionToken: string };
    // The credentials are the chosen role's, as STS says.
    const sts = new STSClient({ region: 'us-east-1', endpoint: emulator.url, credentials: { accessKeyId: handedOut.AccessKeyId, secretAccessKey: handedOut.SecretAccessKey, sessionToken: handedOut.SessionToken } });
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    expect(identity.Arn).toMatch(new RegExp(`^arn:aws:sts::${target.accountId}:assumed-role/AWSReservedSSO_${escape(targetRole)}_[0-9a-f]{16}/${USER}$`));
  });

  it('prints the shell and file formats the portal writes, by their friendly names', async () => {
    const expectations: [string, RegExp][] = [
      ['bash', /^export AWS_ACCESS_KEY_ID=/m],
      ['no-export', /^AWS_ACCESS_KEY_ID=/m],
      ['fish', /^set -gx AWS_ACCESS_KEY_ID /m],
      ['powershell', /^\$Env:AWS_ACCESS_KEY_ID\s*=/m],
      ['cmd', /^set AWS_ACCESS_KEY_ID=/m],
      ['dotenv', /^AWS_ACCESS_KEY_ID=/m],
      ['ini', /^aws_access_key_id = /m],
    ];
    for (const [format, shape] of expectations) {
      const result = await run(['env', '--format', format, '--account', accountId, '--role', roleName]);
      expect(result.code, `${format}: ${result.stderr}`).toBe(0);
      expect(result.stdout, format).toMatch(shape);
    }
  });

  it('writes each text byte for byte as the portal writes it, from the credentials JSON alone', async () => {
    const token = (JSON.parse(readFileSync(path.join(home.configDir, 'sessions.json'), 'utf8')) as { sessions: { token: string }[] }).sessions[0]!.token;
    const portalText = async (format: string, extra: Record<string, string> = {}) => {
      const response = await fetch(`${portal.url}/api/cli/credentials?format=${format}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ accountId, roleName, ...extra }),
      });
      expect(response.status).toBe(200);
      return response.text();
    };
    // The portal keeps the role's credentials for the session: both sides write the same ones.
    const formats: [string, string][] = [['bash', 'env'], ['no-export', 'env-no-export'], ['fish', 'fish'], ['powershell', 'powershell'], ['cmd', 'windows-cmd'], ['dotenv', 'dotenv']];
    for (const [name, format] of formats) {
      const result = await run(['env', '--format', name, '--region', 'eu-west-2', '--account', accountId, '--role', roleName]);
      expect(result.stdout, name).toBe(await portalText(format, { region: 'eu-west-2' }));
    }
    const ini = await run(['env', '--format', 'ini', '--profile-name', 'work', '--account', accountId, '--role', roleName]);
    expect(ini.stdout).toBe(await portalText('ini', { profileName: 'work' }));
    expect((await run(['credential-process', '--account', accountId, '--role', roleName])).stdout).toBe(await portalText('process'));
  });

  it('takes --account by name, reading the listing only as far as the accounts', async () => {
    const account = accountsOfUser(emulator.ctx.directory, USER).find((each) => each.accountId === accountId)!;
    const result = await run(['credential-process', '--account', account.accountName, '--role', roleName]);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ Version: 1 });
  });

  it('prints the console link with --print, and opens it in the browser without', async () => {
    const printedLink = await run(['console', '--account', accountId, '--role', roleName, '--print']);
    expect(printedLink.code, printedLink.stderr).toBe(0);
    expect(printedLink.stdout).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/federation\?Action=login&.*SigninToken=/);
    expect(browser.opened()).toEqual([]);
    const opened = await run(['console', '--account', accountId, '--role', roleName, '--destination', '/ec2/home']);
    expect(opened.code, opened.stderr).toBe(0);
    expect(opened.stdout).toBe('');
    expect(browser.opened()).toHaveLength(1);
    expect(browser.opened()[0]).toContain('SigninToken=');
  });

  it('signs in again, opening the link in the browser on a desktop, and the portal ends the session it replaces', async () => {
    const storedToken = () => (JSON.parse(readFileSync(path.join(home.configDir, 'sessions.json'), 'utf8')) as { sessions: { token: string }[] }).sessions[0]!.token;
    const old = storedToken();
    const openedBefore = browser.opened().length;
    const result = await login(home, portal.url, USER, []);
    printed.push(result);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('(Opened in your browser.)');
    expect(browser.opened().slice(openedBefore)).toEqual([result.link]);
    expect(storedToken()).not.toBe(old);
    const replay = await run(['status', '--portal', portal.url], { GATEHOUSE_TOKEN: old });
    expect(replay).toMatchObject({ code: 1 });
    expect(replay.stderr).toMatch(/^Your Gatehouse session was signed out on \d{4}-\d\d-\d\d at \d\d:\d\d UTC \(gatehouse logout, or a new sign-in from this machine\)\. Run `gatehouse login`\.\n$/);
    expect((await run(['status'])).code).toBe(0);
  });

  describe('bad input: one line on stderr, a non-zero exit, nothing on stdout, nothing written', () => {
    const expectRefused = async (args: string[], line: string | RegExp, env: Record<string, string> = {}) => {
      const before = await snapshotTree(home.home);
      const result = await run(args, env);
      expect(result.code, result.stderr).not.toBe(0);
      expect(result.stdout).toBe('');
      expect(result.stderr.endsWith('\n')).toBe(true);
      expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
      if (typeof line === 'string') expect(result.stderr.trimEnd()).toBe(line);
      else expect(result.stderr.trimEnd()).toMatch(line);
      expect(await snapshotTree(home.home)).toEqual(before);
    };

    it('a role the person does not have (the portal\'s 403)', async () => {
      await expectRefused(['credential-process', '--account', accountId, '--role', 'NoSuchRole'], `You do not have role NoSuchRole in account ${accountId}.`);
      await expectRefused(['env', '--account', '000000000000', '--role', roleName], `You do not have role ${roleName} in account 000000000000.`);
      await expectRefused(['console', '--print', '--account', '000000000000', '--role', roleName], `You do not have role ${roleName} in account 000000000000.`);
    });

    it('a portal that is down', async () => {
      const down = `http://127.0.0.1:${await freePort()}`;
      await expectRefused(['credential-process', '--account', accountId, '--role', roleName, '--portal', down], `The portal at ${down} could not be reached.`, {
        GATEHOUSE_TOKEN: 'x'.repeat(43),
      });
    });

    it('a token for another portal or instance: refused before it is sent', async () => {
      const other = `http://127.0.0.1:${await freePort()}`;
      await expectRefused(
        ['accounts', '--portal', other],
        new RegExp(`^Your Gatehouse session is for ${escape(portal.url)} \\(instance [a-z0-9-]+\\), not for ${escape(other)}: run \`gatehouse login --portal ${escape(other)}\`\\.$`),
      );
      await expectRefused(['accounts', '--instance', 'sandbox'], new RegExp(`not for ${portal.url.replace(/[.:/]/g, '\\$&')} \\(instance sandbox\\)`));
    });

    it('no terminal and no --account/--role', async () => {
      await expectRefused(['credential-process'], 'Say which role with --account ID --role NAME (there is no terminal to choose one in).');
      await expectRefused(['exec', '--role', roleName, '--', 'true'], 'Say which role with --account ID --role NAME (there is no terminal to choose one in).');
    });

    it('a token the portal does not know (ended, revoked or made up): the portal\'s 401', async () => {
      await expectRefused(['credential-process', '--account', accountId, '--role', roleName], 'Your Gatehouse session has ended or was revoked. Run `gatehouse login`.', {
        GATEHOUSE_TOKEN: 'A'.repeat(43),
      });
    });
  });

  it('signs out: the portal ends the session, the token is forgotten, and replaying it gets the 401 line', async () => {
    const stored = JSON.parse(readFileSync(path.join(home.configDir, 'sessions.json'), 'utf8')) as { sessions: { token: string }[] };
    const token = stored.sessions[0]!.token;
    const result = await run(['logout']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe(`Signed out of ${portal.url}.\n`);
    expect(readFileSync(path.join(home.configDir, 'sessions.json'), 'utf8')).not.toContain(token);
    const replay = await run(['status', '--portal', portal.url], { GATEHOUSE_TOKEN: token });
    expect(replay).toMatchObject({ code: 1, stdout: '' });
    expect(replay.stderr).toMatch(/^Your Gatehouse session was signed out on .* UTC \(gatehouse logout, or a new sign-in from this machine\)\. Run `gatehouse login`\.\n$/);
    const after = await run(['status']);
    expect(after).toMatchObject({ code: 1, stderr: 'You are not signed in: run `gatehouse login --portal URL`.\n' });
  });

  it('left no AWS token, client secret or device code in the config folder, the command\'s output or the portal\'s log', async () => {
    expect(printed.length).toBeGreaterThan(10);
    for (const result of printed) {
      expect(result.stdout).not.toContain(MARKER);
      expect(result.stderr).not.toContain(MARKER);
    }
    const files = await snapshotTree(home.home);
    expect(Object.keys(files).length).toBeGreaterThan(0);
    for (const [name, content] of Object.entries(files)) {
      expect(Buffer.from(content.split(' ')[1]!, 'base64').toString('utf8'), name).not.toContain(MARKER);
    }
    expect(portal.output()).not.toContain(MARKER);
    // The role secrets handed out went to stdout only: never to stderr, a file or the portal's log.
    const secrets = printed.flatMap((result) => {
      try {
        const parsed = JSON.parse(result.stdout) as { SecretAccessKey?: string; SessionToken?: string };
        return [parsed.SecretAccessKey, parsed.SessionToken].filter((value): value is string => typeof value === 'string');
      } catch {
        return [];
      }
    });
    expect(secrets.length).toBeGreaterThan(0);
    for (const secret of secrets) {
      expect(portal.output()).not.toContain(secret);
      for (const result of printed) expect(result.stderr).not.toContain(secret);
      for (const content of Object.values(files)) expect(Buffer.from(content.split(' ')[1]!, 'base64').toString('utf8')).not.toContain(secret);
    }
  });
});
