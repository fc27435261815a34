import { rmSync } from 'node:fs';
import type { ServerResponse } from 'node:http';

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import type { Environment } from '../../cli/environment';
import { formatCredentials } from '../../lib/shared/credential-text';
import { type SeenRequest, answerError, answerJson, type PortalDouble, startNdjson, startPortalDouble } from '../support/cli-portal-double';
import { isolatedHome, runCli, snapshotTree } from '../support/cli-io';

/**
 * The command trusts nothing a portal sends: it checks names, ids, regions, keys and credentials with
 * the portal's own rules (lib/shared), writes every text itself with the portal's formatter, reads
 * errors by their code, and keeps terminal control characters off the screen. Against a stand-in
 * portal that lies.
 */

const TOKEN = 't'.repeat(43);
const ACCOUNT = '111122223333';
const ROLE = 'ReadOnly';
const ROLE_ARGS = ['--account', ACCOUNT, '--role', ROLE];

const GOOD = {
  accessKeyId: 'ASIAEXAMPLE123456789',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  sessionToken: 'FwoGZXIvYXdzEXAMPLETOKEN+/=0123456789abcdefghijklmnopqrstuvwxyz',
  expiration: '2030-01-01T13:00:00Z',
  region: 'eu-central-1',
};

describe('the portal\'s own rules, not copies that drifted', () => {
  let home: string;
  let env: Environment;
  let portal: PortalDouble;
  beforeAll(async () => {
    portal = await startPortalDouble({});
  });
  afterAll(() => portal.close());
  beforeEach(() => {
    ({ home, env } = isolatedHome());
    env = { ...env, GATEHOUSE_TOKEN: TOKEN, GATEHOUSE_PORTAL: portal.url };
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  const cases: [string[], RegExp][] = [
    [['env', ...ROLE_ARGS, '--region', 'mars-west-100'], /^--region takes an AWS region such as eu-west-1, not "mars-west-100"\.$/],
    [['exec', ...ROLE_ARGS, '--region', 'mars-west-100', '--', 'true'], /^--region takes an AWS region/],
    [['console', ...ROLE_ARGS, '--region', 'mars-west-100'], /^--region takes an AWS region/],
    [['config', '--region', 'mars-west-100'], /^--region takes an AWS region/],
    [['env', ...ROLE_ARGS, '--format', 'ini', '--profile-name', 'team:dev'], /^--profile-name takes a profile name \(1 to 64 of A-Z a-z 0-9 \. _ @ \+ -\), not "team:dev"\.$/],
    [['credential-process', '--account', ACCOUNT, '--role', 'R'.repeat(100)], /^--role takes a role \(permission set\) name \(1 to 64 /],
    [['credential-process', '--account', ACCOUNT, '--role', 'R'.repeat(65)], /^--role takes a role/],
    [['accounts', '--instance', `a${'b'.repeat(39)}`], /^--instance takes an instance key/],
  ];

  it.each(cases)('refuses gatehouse %j as the portal would, before asking it anything', async (argv, line) => {
    const before = await snapshotTree(home);
    const result = await runCli(argv, env);
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr.trimEnd()).toMatch(line);
    expect(portal.requests).toEqual([]);
    expect(await snapshotTree(home)).toEqual(before);
  });

  it('takes what the portal takes: a 64-character role, eusc-de-east-1, a profile name with @ and +', async () => {
    // These pass the command line and reach the portal (which here knows no route: a 404 in its error shape).
    for (const argv of [
      ['credential-process', '--account', ACCOUNT, '--role', 'R'.repeat(64)],
      ['env', ...ROLE_ARGS, '--region', 'eusc-de-east-1', '--format', 'ini', '--profile-name', 'me@team+dev'],
    ]) {
      const result = await runCli(argv, env);
      expect(result.stderr).toBe('There is no such thing here.\n');
    }
  });
});

describe('a portal that lies', () => {
  let home: string;
  let env: Environment;
  let portal: PortalDouble;
  /** What the stand-in answers next, per route. */
  let answer: Record<string, (request: SeenRequest, response: ServerResponse) => void>;

  beforeAll(async () => {
    const route = (key: string) => (request: SeenRequest, response: ServerResponse) => answer[key]?.(request, response);
    portal = await startPortalDouble({
      'POST /api/cli/credentials': route('credentials'),
      'GET /api/cli/session': route('session'),
      'GET /api/cli/accounts/stream': route('stream'),
      'POST /api/cli/logout': route('logout'),
    });
  });
  afterAll(() => portal.close());
  beforeEach(() => {
    ({ home, env } = isolatedHome());
    env = { ...env, GATEHOUSE_TOKEN: TOKEN, GATEHOUSE_PORTAL: portal.url };
    answer = { credentials: (_request, response) => answerJson(response, 200, GOOD) };
    portal.requests.length = 0;
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  describe('every text is written here, from the credentials JSON, with the portal\'s formatter', () => {
    const formats: [string, Parameters<typeof formatCredentials>[1]][] = [
      ['bash', 'env'],
      ['no-export', 'env-no-export'],
      ['fish', 'fish'],
      ['powershell', 'powershell'],
      ['cmd', 'windows-cmd'],
      ['dotenv', 'dotenv'],
      ['ini', 'ini'],
    ];

    it.each(formats)('env --format %s is byte for byte the portal\'s text, asked for as JSON', async (name, format) => {
      const result = await runCli(['env', ...ROLE_ARGS, '--format', name, '--region', 'eu-west-1', '--profile-name', 'work'], env);
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(result.stdout).toBe(formatCredentials(GOOD, format, { region: 'eu-west-1', profileName: 'work' }));
      const [request] = portal.to('/api/cli/credentials');
      expect(request?.query.get('format')).toBeNull();
      expect(JSON.parse(request?.body ?? '{}')).toEqual({ accountId: ACCOUNT, roleName: ROLE });
    });

    it('credential-process prints the portal\'s process JSON, written here', async () => {
      const result = await runCli(['credential-process', ...ROLE_ARGS], env);
      expect(result).toEqual({ code: 0, stdout: formatCredentials(GOOD, 'process'), stderr: '' });
      expect(portal.to('/api/cli/credentials')[0]?.query.get('format')).toBeNull();
    });

    it('refuses credentials outside AWS\'s alphabets, and a text the portal wrote, printing nothing', async () => {
      const hostile: Record<string, unknown>[] = [
        { ...GOOD, accessKeyId: 'ASIA$(touch /tmp/pwned)' },
        { ...GOOD, secretAccessKey: "x'; touch /tmp/pwned; '" },
        { ...GOOD, sessionToken: 'abc\nexport AWS_PROFILE=evil' },
        { ...GOOD, expiration: '2030-01-01T00:00:00Z`id`' },
        { ...GOOD, region: 'eu-west-1; touch /tmp/pwned' },
      ];
      for (const body of hostile) {
        answer.credentials = (_request, response) => answerJson(response, 200, body);
        for (const argv of [['env', ...ROLE_ARGS], ['env', ...ROLE_ARGS, '--format', 'fish'], ['credential-process', ...ROLE_ARGS]]) {
          const result = await runCli(argv, env);
          expect(result).toEqual({
            code: 1,
            stdout: '',
            stderr: `The portal at ${portal.url} gave an answer this command does not understand: is it a Gatehouse portal?\n`,
          });
        }
      }
      // A portal that answers the text itself is not a portal this command reads.
      answer.credentials = (_request, response) => response.writeHead(200, { 'content-type': 'text/plain' }).end('export AWS_ACCESS_KEY_ID=$(id)\n');
      expect((await runCli(['env', ...ROLE_ARGS], env)).stdout).toBe('');
    });
  });

  describe('errors are read by the portal\'s error code, not by HTTP status', () => {
    it('forbidden is the role line whatever the status; session_ended is the session line even as a 403', async () => {
      answer.credentials = (_request, response) => answerError(response, 500, 'forbidden', 'You do not have that role in that account.');
      expect((await runCli(['credential-process', ...ROLE_ARGS], env)).stderr).toBe(`You do not have role ${ROLE} in account ${ACCOUNT}.\n`);
      answer.credentials = (_request, response) => answerError(response, 403, 'session_ended', 'Your Gatehouse session ended because the portal\'s session key changed.');
      expect((await runCli(['credential-process', ...ROLE_ARGS], env)).stderr).toBe(
        'Your Gatehouse session ended because the portal\'s session key changed. Run `gatehouse login`.\n',
      );
      answer.credentials = (_request, response) => answerError(response, 401, 'rate_limited', 'Too many requests.', { 'retry-after': '7' });
      expect((await runCli(['credential-process', ...ROLE_ARGS], env)).stderr).toBe('The portal asks to slow down: try again in 7 s.\n');
      // A code not in the table, or no error shape at all: not read as anything it is not.
      answer.credentials = (_request, response) => answerError(response, 403, 'totally_forbidden', 'Nope');
      expect((await runCli(['credential-process', ...ROLE_ARGS], env)).stderr).toBe(
        `The portal at ${portal.url} answered 403 without a Gatehouse error: check the URL, or update the portal.\n`,
      );
    });

    it('an ended session: the portal\'s reason in one line, control characters removed, at most 300 characters, then what to do', async () => {
      const reason = 'Your Gatehouse session was revoked on 2026-12-06 at 10:02 UTC by developer from the portal\'s Activity page.';
      answer.session = (_request, response) => answerError(response, 401, 'session_ended', `${reason}\n\u001b]0;owned\u0007\u001b[2J\u202e`);
      const result = await runCli(['status'], env);
      expect(result).toEqual({ code: 1, stdout: '', stderr: `${reason} ]0;owned[2J. Run \`gatehouse login\`.\n` });
      answer.session = (_request, response) => answerError(response, 401, 'session_ended', 'x'.repeat(5000));
      const long = await runCli(['status'], env);
      expect(long.stderr).toBe(`${'x'.repeat(299)}…. Run \`gatehouse login\`.\n`);
    });
  });

  describe('terminal control characters never reach the screen', () => {
    it('refuses a session whose user or instance name carries them', async () => {
      for (const session of [
        { user: 'dev\u001b[31m', instance: { key: 'default', name: 'Production' }, expiresAt: '2030-01-01T00:00:00Z' },
        { user: 'developer', instance: { key: 'default', name: 'Prod\u001b]0;x\u0007' }, expiresAt: '2030-01-01T00:00:00Z' },
        { user: 'developer', instance: { key: 'default', name: 'Prod\u202euction' }, expiresAt: '2030-01-01T00:00:00Z' },
        { user: 'developer', instance: { key: 'Bad Key', name: 'Production' }, expiresAt: '2030-01-01T00:00:00Z' },
      ]) {
        answer.session = (_request, response) => answerJson(response, 200, session);
        expect(await runCli(['status'], env)).toEqual({
          code: 1,
          stdout: '',
          stderr: `The portal at ${portal.url} gave an answer this command does not understand: is it a Gatehouse portal?\n`,
        });
      }
    });

    it('leaves out of `accounts` the accounts and roles whose names break the rules, and says how many', async () => {
      answer.stream = (_request, response) => {
        const stream = startNdjson(response);
        stream.send({ type: 'start', cached: false, listedAt: '2026-01-01T00:00:00Z' });
        stream.send({
          type: 'accounts',
          accounts: [
            { accountId: ACCOUNT, accountName: 'payments-prod', emailAddress: 'p@example.com' },
            { accountId: '222233334444', accountName: 'evil\u001b[2J\u001b]0;owned\u0007', emailAddress: 'e@example.com' },
            { accountId: '333344445555', accountName: 'bidi', emailAddress: 'x@example.com', nickname: 'left\u202eright' },
          ],
        });
        stream.send({ type: 'accounts-complete', total: 3 });
        stream.send({ type: 'roles', accountId: ACCOUNT, roles: [{ roleName: ROLE }, { roleName: '$(touch /tmp/pwned)' }, { roleName: 'A\u001b[31m' }] });
        stream.send({ type: 'done', accounts: 3, roles: 3, failedAccounts: 0 });
        stream.end();
      };
      for (const json of [false, true]) {
        const result = await runCli(['accounts', ...(json ? ['--json'] : [])], env);
        expect(result.code, result.stderr).toBe(0);
        expect(result.stdout).not.toMatch(/[\u001b\u0007\u202e]|evil|pwned/);
        expect(result.stdout).toContain(ROLE);
        expect(result.stderr).toBe('Left out 4 accounts or roles the portal listed in a form AWS does not allow.\n');
      }
    });
  });
});
