import { rmSync } from 'node:fs';

import type { Environment } from '../../cli/environment';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { browserOpener } from '../../cli/browser';
import { execEnvironment } from '../../cli/exec-env';
import { ENV_FORMAT_NAMES, ENV_FORMATS, isEnvFormat, portalFormat } from '../../cli/formats';
import { configDirectory, saveSession } from '../../cli/token-store';
import { CREDENTIAL_FORMATS } from '../../lib/shared/credential-text';
import { isolatedHome, runCli, snapshotTree } from '../support/cli-io';

describe('env formats', () => {
  it('maps the names people type to the portal\'s format values', () => {
    expect(ENV_FORMATS).toEqual({
      bash: 'env',
      'no-export': 'env-no-export',
      fish: 'fish',
      powershell: 'powershell',
      cmd: 'windows-cmd',
      dotenv: 'dotenv',
      ini: 'ini',
    });
    expect(portalFormat('cmd')).toBe('windows-cmd');
    expect(isEnvFormat('toString')).toBe(false);
    expect(isEnvFormat('process')).toBe(false);
  });

  it('asks only for formats the portal has', () => {
    for (const name of ENV_FORMAT_NAMES) expect(CREDENTIAL_FORMATS).toContain(portalFormat(name));
  });
});

describe('bad command lines: one line on stderr, exit 2, nothing asked or written', () => {
  let home: string;
  let env: Environment;
  beforeEach(() => {
    ({ home, env } = isolatedHome());
    // A stored session for a portal nobody listens on: any request would fail with another line.
    saveSession(configDirectory(env), {
      portal: 'http://127.0.0.1:9',
      instance: { key: 'default', name: 'Default' },
      instanceChosen: false,
      token: 't'.repeat(43),
      expiresAt: '2030-01-01T00:00:00Z',
      savedAt: '2026-01-01T00:00:00Z',
    });
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  const cases: [string[], RegExp][] = [
    [['accounts', '--bogus'], /^error: unknown option '--bogus'$/],
    [['nonsense'], /^error: unknown command 'nonsense'$/],
    [['credential-process'], /^Say which role with --account ID --role NAME \(there is no terminal to choose one in\)\.$/],
    [['credential-process', '--account', '111122223333'], /^Say which role with --account ID --role NAME/],
    [['env', '--account', '111122223333', '--role', 'R', '--format', 'zsh'], /^error: option '--format <format>' argument 'zsh' is invalid\. Allowed choices are bash, no-export, fish, powershell, cmd, dotenv, ini\.$/],
    [['env', '--account', '111122223333', '--role', 'R', '--region', 'mars-1'], /^--region takes an AWS region such as eu-west-1, not "mars-1"\.$/],
    [['env', '--account', '111122223333', '--role', 'R', '--format', 'ini', '--profile-name', 'a]b'], /^--profile-name takes a profile name/],
    [['credential-process', '--account', '111122223333', '--role', 'bad role'], /^--role takes a role \(permission set\) name \(1 to 64 of A-Z a-z 0-9 \+ = , \. @ _ -\), not "bad role"\.$/],
    [['exec', '--account', '111122223333', '--role', 'R'], /^error: missing required argument 'command'$/],
    [['serve', '--account', '111122223333', '--role', 'R', '--port', '70000'], /^--port takes a port number \(1-65535\), not "70000"\.$/],
    [['accounts', '--instance', 'Not A Key'], /^--instance takes an instance key such as production/],
    [['accounts', '--portal', 'http://gatehouse.example.com'], /^The portal URL http:\/\/gatehouse.example.com\/ must start with https:\/\/ \(plain http only for this machine\)\.$/],
    [['accounts', '--portal', 'not a url'], /^The portal URL "not a url" is not a URL/],
    [['login', '--portal', 'ftp://x'], /^The portal URL ftp:\/\/x\/ must start with https:\/\/\.$/],
    [['config', '--region', 'nowhere'], /^--region takes an AWS region/],
  ];

  it.each(cases)('gatehouse %j', async (argv, line) => {
    const before = await snapshotTree(home);
    const result = await runCli(argv, env);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.endsWith('\n')).toBe(true);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr.trimEnd()).toMatch(line);
    expect(await snapshotTree(home)).toEqual(before);
  });

  it('without a stored session: "run `gatehouse login`", exit 1', async () => {
    rmSync(configDirectory(env), { recursive: true, force: true });
    const result = await runCli(['credential-process', '--account', '111122223333', '--role', 'R'], env);
    expect(result).toEqual({ code: 1, stdout: '', stderr: 'You are not signed in: run `gatehouse login --portal URL`.\n' });
    const login = await runCli(['login'], env);
    expect(login).toEqual({ code: 2, stdout: '', stderr: 'Which portal? Run `gatehouse login --portal https://gatehouse.example.com` (or set GATEHOUSE_PORTAL).\n' });
  });

  it('a portal that is down: one line naming it, exit 1', async () => {
    const result = await runCli(['credential-process', '--account', '111122223333', '--role', 'R'], env);
    expect(result).toEqual({ code: 1, stdout: '', stderr: 'The portal at http://127.0.0.1:9 could not be reached.\n' });
  });

  it('--help and --version print on stdout and exit 0', async () => {
    const help = await runCli(['exec', '--help'], env);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: gatehouse exec [options] <command...>');
    const version = await runCli(['--version'], env);
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('exec environment', () => {
  it('sets the credentials, expiry and region, and removes what would take precedence over them', () => {
    const env = execEnvironment(
      {
        PATH: '/usr/bin',
        AWS_PROFILE: 'other',
        AWS_DEFAULT_PROFILE: 'other',
        AWS_ACCESS_KEY_ID: 'AKIAOLD',
        AWS_SECURITY_TOKEN: 'old',
        AWS_WEB_IDENTITY_TOKEN_FILE: '/tmp/t',
        AWS_ROLE_ARN: 'arn:aws:iam::1:role/x',
        AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://127.0.0.1:1/x',
        AWS_CONTAINER_AUTHORIZATION_TOKEN: 'x',
        GATEHOUSE_TOKEN: 'secret',
        AWS_CONFIG_FILE: '/keep/me',
      },
      { accessKeyId: 'ASIANEW', secretAccessKey: 'S', sessionToken: 'T', expiration: '2030-01-01T00:00:00Z' },
      'eu-west-1',
    );
    expect(env).toEqual({
      PATH: '/usr/bin',
      AWS_CONFIG_FILE: '/keep/me',
      AWS_ACCESS_KEY_ID: 'ASIANEW',
      AWS_SECRET_ACCESS_KEY: 'S',
      AWS_SESSION_TOKEN: 'T',
      AWS_CREDENTIAL_EXPIRATION: '2030-01-01T00:00:00Z',
      AWS_REGION: 'eu-west-1',
      AWS_DEFAULT_REGION: 'eu-west-1',
    });
  });
});

describe('opening a browser', () => {
  it('only on a desktop: a display on Linux, not over SSH on macOS and Windows', () => {
    expect(browserOpener('linux', {})).toBeUndefined();
    expect(browserOpener('linux', { SSH_CONNECTION: '1 2 3 4' })).toBeUndefined();
    expect(browserOpener('linux', { DISPLAY: ':0' })).toEqual(['xdg-open']);
    expect(browserOpener('linux', { WAYLAND_DISPLAY: 'wayland-0' })).toEqual(['xdg-open']);
    expect(browserOpener('darwin', {})).toEqual(['open']);
    expect(browserOpener('darwin', { SSH_TTY: '/dev/ttys001' })).toBeUndefined();
    expect(browserOpener('win32', {})).toEqual(['rundll32', 'url.dll,FileProtocolHandler']);
    expect(browserOpener('win32', { SSH_CLIENT: 'x' })).toBeUndefined();
  });
});
