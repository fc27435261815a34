import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import path from 'node:path';

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import type { Environment } from '../../cli/environment';
import { IDLE_TIMEOUT_MS } from '../../cli/http';
import { answerJson, type PortalDouble, type SeenRequest, startNdjson, startPortalDouble } from '../support/cli-portal-double';
import { isolatedHome, runCli, snapshotTree } from '../support/cli-io';
import { until } from '../support/api-session';

/**
 * The command never waits silently on a whole listing: a role named by id needs no listing, a region
 * comes with the credentials, an account named by name is looked up in the accounts (which come
 * before any role) and the stream is left then; `accounts` and `config` say how far the listing has
 * come on a terminal; a portal that falls silent fails the command in 15 s. Against a stand-in portal.
 */

const ROOT = path.resolve(__dirname, '../..');
const TOKEN = 't'.repeat(43);
const CREDENTIALS = {
  accessKeyId: 'ASIAEXAMPLE123456789',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  sessionToken: 'FwoGZXIvYXdzEXAMPLETOKEN0123456789',
  expiration: '2030-01-01T13:00:00Z',
  region: 'eu-central-1',
};

const account = (id: string, name: string, nickname?: string) => ({ accountId: id, accountName: name, emailAddress: `${name}@example.com`, ...(nickname ? { nickname } : {}) });
const PAYMENTS = account('111111111111', 'payments-prod', 'pay');
const LEDGER = account('222222222222', 'ledger-dev');
const AUDIT = account('333333333333', 'audit-prod');
const TWIN = account('444444444444', 'ledger-dev');
const DONE = { type: 'done', accounts: 3, roles: 4, failedAccounts: 0 };

type Answer = (request: SeenRequest, response: ServerResponse) => unknown;

describe('the listing, streamed: never waited for whole', () => {
  let home: string;
  let env: Environment;
  let portal: PortalDouble;
  let answer: Record<string, Answer>;
  /** Streams the test left open, closed at its end. */
  let open: ServerResponse[];
  /** Whether the command closed the listing's connection. */
  let streamClosed: boolean;

  beforeAll(async () => {
    const route = (key: string): Answer => (request, response) => answer[key]?.(request, response);
    portal = await startPortalDouble({
      'POST /api/cli/credentials': route('credentials'),
      'GET /api/cli/session': route('session'),
      'GET /api/cli/accounts/stream': route('stream'),
      'GET /api/cli/favorites': route('favorites'),
      'GET /api/cli/accounts': route('accounts'),
      'GET /api/cli/aws-config-profiles': route('profiles'),
    });
  });
  afterAll(() => portal.close());
  beforeEach(() => {
    ({ home, env } = isolatedHome());
    env = { ...env, GATEHOUSE_TOKEN: TOKEN, GATEHOUSE_PORTAL: portal.url };
    open = [];
    streamClosed = false;
    portal.requests.length = 0;
    answer = {
      credentials: (_request, response) => answerJson(response, 200, CREDENTIALS),
      session: (_request, response) =>
        answerJson(response, 200, { user: 'developer', instance: { key: 'default', name: 'Demo', region: 'eu-west-3' }, expiresAt: '2030-01-01T00:00:00Z' }),
    };
  });
  afterEach(() => {
    for (const response of open) response.destroy();
    rmSync(home, { recursive: true, force: true });
  });

  /** A listing whose accounts all arrive, and whose roles never do (a cold 2,000-account listing, for as long as a test cares). */
  const accountsThenNothing: Answer = (_request, response) => {
    const stream = startNdjson(response);
    open.push(response);
    response.on('close', () => (streamClosed = true));
    stream.send({ type: 'start', cached: false, listedAt: '2026-01-01T00:00:00Z' });
    stream.send({ type: 'accounts', accounts: [PAYMENTS, LEDGER] });
    stream.send({ type: 'accounts', accounts: [AUDIT] });
    stream.send({ type: 'accounts-complete', total: 3 });
  };

  const paths = () => portal.requests.map((request) => `${request.method} ${request.path}`);

  it('credential-process, env and exec with --account ID --role NAME ask for the credentials only', async () => {
    for (const argv of [
      ['credential-process', '--account', PAYMENTS.accountId, '--role', 'Admin'],
      ['env', '--account', PAYMENTS.accountId, '--role', 'Admin'],
      ['exec', '--account', PAYMENTS.accountId, '--role', 'Admin', '--', 'true'],
    ]) {
      portal.requests.length = 0;
      const result = await runCli(argv, env);
      expect(result.code, result.stderr).toBe(0);
      expect(paths()).toEqual(['POST /api/cli/credentials']);
    }
  });

  it('exec without a region takes the one that came with the credentials: no second request, no listing', async () => {
    const out = path.join(home, 'region');
    const result = await runCli(['exec', '--account', PAYMENTS.accountId, '--role', 'Admin', '--', 'sh', '-c', `echo "$AWS_REGION $AWS_DEFAULT_REGION" > '${out}'`], env);
    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe('eu-central-1 eu-central-1\n');
    expect(paths()).toEqual(['POST /api/cli/credentials']);
    // Set in the environment, or given, it wins.
    await runCli(['exec', '--account', PAYMENTS.accountId, '--role', 'Admin', '--', 'sh', '-c', `echo "$AWS_REGION" > '${out}'`], { ...env, AWS_REGION: 'ap-south-1' });
    expect(readFileSync(out, 'utf8')).toBe('ap-south-1\n');
  });

  it('exec takes the session\'s region when the credentials carry none: one small request, still no listing', async () => {
    answer.credentials = (_request, response) => answerJson(response, 200, { ...CREDENTIALS, region: undefined });
    const out = path.join(home, 'region');
    const result = await runCli(['exec', '--account', PAYMENTS.accountId, '--role', 'Admin', '--', 'sh', '-c', `echo "$AWS_REGION" > '${out}'`], env);
    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe('eu-west-3\n');
    expect(paths()).toEqual(['POST /api/cli/credentials', 'GET /api/cli/session']);
  });

  it('serve with --account ID --role NAME asks for the credentials only', { timeout: 30_000 }, async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'cli', 'bin.ts'), 'serve', '--account', PAYMENTS.accountId, '--role', 'Admin'], {
      cwd: ROOT,
      env: { ...env, NODE_ENV: 'test' } as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    try {
      await until('the export lines of gatehouse serve', () => (/AWS_CONTAINER_AUTHORIZATION_TOKEN=/.test(stdout) ? true : undefined));
    } finally {
      child.kill('SIGTERM');
    }
    expect(paths()).toEqual(['POST /api/cli/credentials']);
  });

  it('--account NAME reads the listing only until every account is known, then leaves it', async () => {
    answer.stream = accountsThenNothing;
    for (const name of ['payments-prod', 'pay']) {
      portal.requests.length = 0;
      const result = await runCli(['credential-process', '--account', name, '--role', 'Admin'], env);
      expect(result.code, result.stderr).toBe(0);
      expect(paths()).toEqual(['GET /api/cli/accounts/stream', 'POST /api/cli/credentials']);
      expect(JSON.parse(portal.to('/api/cli/credentials')[0]!.body)).toEqual({ accountId: PAYMENTS.accountId, roleName: 'Admin' });
    }
    await until('the command closed the listing\'s connection', () => (streamClosed ? true : undefined));
  });

  it('--account NAME that names no account, or two: one line, and no credentials asked for', async () => {
    answer.stream = accountsThenNothing;
    expect(await runCli(['env', '--account', 'nope', '--role', 'Admin'], env)).toEqual({ code: 1, stdout: '', stderr: 'You have no account called nope.\n' });
    answer.stream = (_request, response) => {
      const stream = startNdjson(response);
      open.push(response);
      stream.send({ type: 'accounts', accounts: [PAYMENTS, LEDGER] });
      stream.send({ type: 'accounts', accounts: [TWIN] });
      stream.send({ type: 'accounts-complete', total: 3 });
    };
    const twice = await runCli(['env', '--account', 'ledger-dev', '--role', 'Admin'], env);
    expect(twice).toEqual({
      code: 2,
      stdout: '',
      stderr: 'More than one account is called ledger-dev (222222222222, 444444444444): give its 12-digit id.\n',
    });
    expect(portal.to('/api/cli/credentials')).toEqual([]);
  });

  describe('`accounts` and `config`: progress on a terminal, quiet when piped', () => {
    const slowListing: Answer = async (_request, response) => {
      const stream = startNdjson(response);
      stream.send({ type: 'start', cached: false, listedAt: '2026-01-01T00:00:00Z' });
      stream.send({ type: 'accounts', accounts: [PAYMENTS, LEDGER, AUDIT] });
      stream.send({ type: 'accounts-complete', total: 3 });
      stream.send({ type: 'roles', accountId: PAYMENTS.accountId, roles: [{ roleName: 'Admin' }, { roleName: 'ReadOnly' }] });
      await new Promise((resolve) => setTimeout(resolve, 300));
      stream.send({ type: 'roles', accountId: LEDGER.accountId, roles: [{ roleName: 'Developer' }] });
      stream.send({ type: 'roles', accountId: AUDIT.accountId, roles: [{ roleName: 'Auditor' }] });
      stream.send(DONE);
      stream.end();
    };

    it.each([['accounts'], ['config']])('%s', async (command) => {
      answer.stream = slowListing;
      const tty = await runCli([command], env, { stderrIsTty: true });
      expect(tty.code, tty.stderr).toBe(0);
      expect(tty.stderr).toContain('\r\u001b[2KListing your accounts: roles for 1 of 3 accounts loaded…');
      // The line is erased before anything else is said.
      expect(tty.stderr.replace(/\r\u001b\[2K[^\r\n]*(?=\r)/g, '')).toMatch(/^\r\u001b\[2K(Wrote 4 profiles|$)/);

      const piped = await runCli([command], env, { stderrIsTty: false });
      expect(piped.code, piped.stderr).toBe(0);
      expect(piped.stderr).not.toContain('Listing');
      expect(piped.stderr).not.toContain('\u001b');
    });
  });

  it('accounts lists every account with its roles, in the page\'s order, read to the end of the stream', async () => {
    answer.stream = (_request, response) => {
      const stream = startNdjson(response);
      stream.send({ type: 'accounts', accounts: [PAYMENTS, LEDGER, AUDIT] });
      stream.send({ type: 'accounts-complete', total: 3 });
      stream.send({ type: 'roles', accountId: PAYMENTS.accountId, roles: [{ roleName: 'ReadOnly' }, { roleName: 'Admin' }] });
      stream.send({ type: 'roles', accountId: AUDIT.accountId, roles: [{ roleName: 'Auditor' }] });
      stream.send({ type: 'roles-error', accountId: LEDGER.accountId, message: 'Identity Center did not answer.' });
      stream.send(DONE);
      stream.end();
    };
    const result = await runCli(['accounts', '--json'], env);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      accounts: [
        { ...AUDIT, roles: ['Auditor'] },
        { ...LEDGER, roles: [] },
        { ...PAYMENTS, roles: ['Admin', 'ReadOnly'] },
      ],
    });
    expect(result.stderr).toBe('The roles of 1 account could not be loaded just now; run this again to retry.\n');
    expect(paths()).toEqual(['GET /api/cli/accounts/stream']);
  });

  describe('gatehouse config --favorites with no favorites', () => {
    it('writes nothing and says why (the file keeps its 301 profiles)', async () => {
      const file = env.AWS_CONFIG_FILE!;
      mkdirSync(path.dirname(file), { recursive: true });
      const block = [`# >>> gatehouse (${portal.url}, instance default) >>>`];
      for (let i = 0; i < 301; i += 1) block.push(`[profile p${i}.Admin]`, `credential_process = gatehouse credential-process --account 111111111111 --role Admin --portal ${portal.url}`, 'region = eu-west-1', '');
      block.push('# <<< gatehouse <<<', '');
      writeFileSync(file, block.join('\n'));
      const before = await snapshotTree(home);
      answer.favorites = (_request, response) => answerJson(response, 200, { accounts: [], roles: [], recent: [] });
      answer.stream = accountsThenNothing;
      // What an older portal answered for favorites that are empty: no profile at all.
      answer.profiles = (_request, response) => answerJson(response, 200, { sessionName: 'd-1', region: 'eu-west-1', profiles: [] });
      const result = await runCli(['config', '--favorites'], env);
      expect(result).toEqual({
        code: 1,
        stdout: '',
        stderr: `You have no favorites at ${portal.url}: star roles or accounts on the portal's accounts page, or run \`gatehouse config\` without --favorites. Nothing was written.\n`,
      });
      expect(await snapshotTree(home)).toEqual(before);
      expect(paths()).toEqual(['GET /api/cli/favorites']);
    });

    it('writes the favorites (a starred account brings all its roles) with the session\'s region', async () => {
      answer.favorites = (_request, response) => answerJson(response, 200, { accounts: [AUDIT.accountId], roles: [`${PAYMENTS.accountId}/ReadOnly`], recent: [] });
      answer.stream = (_request, response) => {
        const stream = startNdjson(response);
        stream.send({ type: 'accounts', accounts: [PAYMENTS, LEDGER, AUDIT] });
        stream.send({ type: 'accounts-complete', total: 3 });
        stream.send({ type: 'roles', accountId: PAYMENTS.accountId, roles: [{ roleName: 'Admin' }, { roleName: 'ReadOnly' }] });
        stream.send({ type: 'roles', accountId: LEDGER.accountId, roles: [{ roleName: 'Developer' }] });
        stream.send({ type: 'roles', accountId: AUDIT.accountId, roles: [{ roleName: 'Auditor' }, { roleName: 'ReadOnly' }] });
        stream.send(DONE);
        stream.end();
      };
      const result = await runCli(['config', '--favorites'], env);
      expect(result.code, result.stderr).toBe(0);
      const text = readFileSync(env.AWS_CONFIG_FILE!, 'utf8');
      expect([...text.matchAll(/^\[profile (\S+)\]$/gm)].map((match) => match[1])).toEqual(['audit-prod.Auditor', 'audit-prod.ReadOnly', 'pay.ReadOnly']);
      expect(text.match(/^region = (\S+)$/gm)).toEqual(['region = eu-west-3', 'region = eu-west-3', 'region = eu-west-3']);
      expect(existsSync(`${env.AWS_CONFIG_FILE!}.gatehouse-backup`)).toBe(false);
    });
  });
});

describe('a portal that accepts the connection and falls silent', () => {
  let home: string;
  let env: Environment;
  let portal: PortalDouble;
  const held: ServerResponse[] = [];

  beforeAll(async () => {
    portal = await startPortalDouble({
      // Never answers.
      'POST /api/cli/credentials': (_request, response) => void held.push(response),
      // Some of the listing, then nothing.
      'GET /api/cli/accounts/stream': (_request, response) => {
        held.push(response);
        const stream = startNdjson(response);
        stream.send({ type: 'accounts', accounts: [PAYMENTS] });
      },
      // Slow but alive: a keep-alive line every 200 ms for 2.5 s, then the listing.
      'GET /api/cli/session': (_request, response) => answerJson(response, 200, {}),
    });
  });
  afterAll(async () => {
    for (const response of held) response.destroy();
    await portal.close();
  });
  beforeEach(() => {
    ({ home, env } = isolatedHome());
    env = { ...env, GATEHOUSE_TOKEN: TOKEN, GATEHOUSE_PORTAL: portal.url };
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  it('fails a request with no answer after 15 s, in one line', { timeout: 40_000 }, async () => {
    expect(IDLE_TIMEOUT_MS).toBe(15_000);
    const result = await runCli(['credential-process', '--account', PAYMENTS.accountId, '--role', 'Admin'], env);
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr: `The portal at ${portal.url} did not answer for 15 s: it may be overloaded or down. Try again.\n`,
    });
  });

  it('fails a stream after the same silence without a byte, however much came before', async () => {
    const result = await runCli(['accounts'], env, { idleMs: 1_000 });
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr: `The portal at ${portal.url} did not answer for 1 s: it may be overloaded or down. Try again.\n`,
    });
  });
});

describe('a listing that is slow but alive', () => {
  let portal: PortalDouble;
  let home: string;
  let env: Environment;
  beforeAll(async () => {
    portal = await startPortalDouble({
      'GET /api/cli/accounts/stream': (_request, response) => {
        const stream = startNdjson(response);
        stream.send({ type: 'accounts', accounts: [PAYMENTS] });
        stream.send({ type: 'accounts-complete', total: 1 });
        // The portal's keep-alive: an empty line while Identity Center keeps it waiting.
        const beat = setInterval(() => stream.line(''), 200);
        setTimeout(() => {
          clearInterval(beat);
          stream.send({ type: 'roles', accountId: PAYMENTS.accountId, roles: [{ roleName: 'Admin' }] });
          stream.send({ type: 'done', accounts: 1, roles: 1, failedAccounts: 0 });
          stream.end();
        }, 2_500);
      },
    });
  });
  afterAll(() => portal.close());
  beforeEach(() => {
    ({ home, env } = isolatedHome());
    env = { ...env, GATEHOUSE_TOKEN: TOKEN, GATEHOUSE_PORTAL: portal.url };
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  it('is read to its end however long it takes, as long as a byte comes within the silence allowed', async () => {
    const result = await runCli(['accounts', '--json'], env, { idleMs: 1_000 });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ accounts: [{ ...PAYMENTS, roles: ['Admin'] }] });
  });
});
