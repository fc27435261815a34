import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { accountsOfUser, rolesOfUser } from '../../emulator/directory';
import { createEmulator, type RunningEmulator } from '../../emulator/server';
import { emulatorAdmin } from '../../scripts/support/emulator-admin';
import { stopChild } from '../../scripts/support/processes';
import { type RunningPortal, startPortal } from '../../scripts/support/portal-process';
import { until } from '../support/api-session';
import { type CliHome, cliHome, installFromPortal, type InstalledCli, login, runCommand } from '../support/gatehouse-cli';

/**
 * `gatehouse serve` as the AWS SDK's container provider uses it, with role credentials that live
 * seconds: a process calling STS the whole time sees no failure across several expiries, because the
 * endpoint renews before they run out.
 */

const SDK_SCRIPT = fileURLToPath(new URL('../support/sdk-sts.mjs', import.meta.url));
const USER = 'developer';
const TTL_SECONDS = 8;
const EXPIRIES = 3;

describe('gatehouse serve: the container-credentials endpoint', () => {
  let emulator: RunningEmulator;
  let portal: RunningPortal;
  let cli: InstalledCli;
  let home: CliHome;
  let serve: ChildProcess | undefined;

  beforeAll(async () => {
    emulator = await createEmulator({ port: 0 });
    portal = await startPortal({ emulatorPort: emulator.port });
    cli = await installFromPortal(portal.url);
    home = cliHome(cli);
    const signedIn = await login(home, portal.url, USER);
    if (signedIn.code !== 0) throw new Error(`gatehouse login failed: ${signedIn.stderr}`);
  });
  afterAll(async () => {
    if (serve) await stopChild(serve, 5_000);
    await portal?.stop();
    await emulator?.close();
    home?.remove();
    cli?.remove();
  });

  it(`keeps an SDK client working across ${EXPIRIES} expiries of ${TTL_SECONDS}-second credentials`, { timeout: 90_000 }, async () => {
    const account = accountsOfUser(emulator.ctx.directory, USER)[0]!;
    const roleName = [...rolesOfUser(emulator.ctx.directory, USER, account.accountId)].sort()[0]!;
    const admin = emulatorAdmin(emulator);
    await admin.knobs({ roleCredentialTtlSeconds: TTL_SECONDS });
    await admin.resetStats();

    serve = spawn('gatehouse', ['serve', '--account', account.accountId, '--role', roleName], { env: home.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    serve.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    serve.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exports = await until('the export lines of gatehouse serve', () => {
      const uri = /^export AWS_CONTAINER_CREDENTIALS_FULL_URI=(\S+)$/m.exec(stdout)?.[1];
      const token = /^export AWS_CONTAINER_AUTHORIZATION_TOKEN=(\S+)$/m.exec(stdout)?.[1];
      if (serve?.exitCode !== null) throw new Error(`gatehouse serve exited: ${stderr}`);
      return uri && token ? { uri, token } : undefined;
    });
    expect(exports.uri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    expect(stdout.trimEnd().split('\n')).toHaveLength(2);

    // Without the token, or with another, no credentials.
    expect((await fetch(exports.uri)).status).toBe(401);
    expect((await fetch(exports.uri, { headers: { authorization: 'guess' } })).status).toBe(403);

    const seconds = TTL_SECONDS * EXPIRIES + TTL_SECONDS / 2;
    const result = await runCommand(
      process.execPath,
      [SDK_SCRIPT, 'loop', String(seconds)],
      {
        ...home.env,
        AWS_CONTAINER_CREDENTIALS_FULL_URI: exports.uri,
        AWS_CONTAINER_AUTHORIZATION_TOKEN: exports.token,
        AWS_ENDPOINT_URL_STS: emulator.url,
        AWS_REGION: 'us-east-1',
      },
      { timeoutMs: (seconds + 30) * 1000 },
    );
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout) as { calls: number; failures: string[]; accounts: string[]; firstAt: number; lastAt: number };
    expect(summary.failures).toEqual([]);
    expect(summary.accounts).toEqual([account.accountId]);
    expect(summary.lastAt - summary.firstAt).toBeGreaterThanOrEqual(TTL_SECONDS * EXPIRIES * 1000);
    expect(summary.calls).toBeGreaterThan(TTL_SECONDS * EXPIRIES * 2);
    // Renewed at least once per lifetime (each set lives TTL_SECONDS): more than EXPIRIES sets were handed out.
    const calls = await admin.calls();
    expect(calls.GetRoleCredentials).toBeGreaterThan(EXPIRIES);
    expect(calls.GetCallerIdentity).toBe(summary.calls);
    expect(stderr).not.toMatch(/failed/);
  });
});
