import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { accountsOfUser, rolesOfUser } from '../../emulator/directory';
import { createEmulator, type RunningEmulator } from '../../emulator/server';
import { distDir } from '../../scripts/production-build';
import { type RunningPortal, startPortal, waitForHealth } from '../../scripts/support/portal-process';
import { freePort, stopChild } from '../../scripts/support/processes';
import { type CliHome, cliHome, gatehouse, installFromPortal, type InstalledCli, login } from '../support/gatehouse-cli';

/**
 * The portal runs on the Node.js 24 that npm installs with the project; this machine's own Node.js
 * (the one that runs npm, 20 here) is what people's laptops have. The `gatehouse` command must work
 * there, and a server started on it by mistake (its native store module compiled for 24) must say
 * it is not ready instead of failing every request behind a green health check.
 */

const root = path.resolve(import.meta.dirname, '../..');
/**
 * The machine's own Node.js: the first `node` on PATH outside node_modules (npm puts the project's
 * node_modules/.bin, with its Node.js 24, first; what started npm is not telling, as npx itself then
 * runs on 24).
 */
function machineNode(): string {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir === '' || dir.split(path.sep).includes('node_modules')) continue;
    const candidate = path.join(dir, 'node');
    if (existsSync(candidate)) return candidate;
  }
  return '/usr/bin/node';
}
const MACHINE_NODE = machineNode();
const USER = 'developer';

function versionOf(node: string): string {
  return execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
}

describe('Node.js versions', () => {
  let emulator: RunningEmulator;
  let portal: RunningPortal;
  let cli: InstalledCli;
  let home: CliHome;

  beforeAll(async () => {
    emulator = await createEmulator({ port: 0 });
    portal = await startPortal({ emulatorPort: emulator.port });
    cli = await installFromPortal(portal.url);
    // The machine's Node.js first on PATH: the command's `#!/usr/bin/env node` finds it.
    home = cliHome(cli);
    home.env.PATH = [cli.binDir, path.dirname(MACHINE_NODE), '/usr/bin', '/bin'].join(path.delimiter);
  }, 180_000);
  afterAll(async () => {
    await portal?.stop();
    await emulator?.close();
    home?.remove();
    cli?.remove();
  });

  it('the tests run on Node.js 24, and the machine has an older one to try the command on', () => {
    expect(process.versions.node.split('.')[0]).toBe('24');
    const [major = 0, minor = 0] = versionOf(MACHINE_NODE).slice(1).split('.').map(Number);
    expect(major * 100 + minor, `${MACHINE_NODE} is ${versionOf(MACHINE_NODE)}`).toBeGreaterThanOrEqual(2009);
    expect(major, `${MACHINE_NODE} is ${versionOf(MACHINE_NODE)}`).toBeLessThan(24);
  });

  it('the installed gatehouse command signs in, lists and hands out credentials on the machine\'s Node.js', { timeout: 120_000 }, async () => {
    // The `node` the command's shebang finds is the machine's, not the tests' 24.
    expect(execFileSync('node', ['--version'], { env: home.env, encoding: 'utf8' }).trim()).toBe(versionOf(MACHINE_NODE));
    const ran = await gatehouse(home, ['--version']);
    expect(ran.code, ran.stderr).toBe(0);

    const signedIn = await login(home, portal.url, USER);
    expect(signedIn.code, signedIn.stderr).toBe(0);
    expect(signedIn.stderr).toContain(`Signed in as ${USER}`);

    const account = accountsOfUser(emulator.ctx.directory, USER)[0]!;
    const roleName = [...rolesOfUser(emulator.ctx.directory, USER, account.accountId)].sort()[0]!;
    const listed = await gatehouse(home, ['accounts', '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toContain(account.accountId);

    const handedOut = await gatehouse(home, ['credential-process', '--account', account.accountId, '--role', roleName]);
    expect(handedOut.code, handedOut.stderr).toBe(0);
    expect(JSON.parse(handedOut.stdout)).toMatchObject({ Version: 1, AccessKeyId: expect.stringMatching(/^ASIA/) as unknown });
  });

  it('a server started on another Node.js than its store module was built for is alive but not ready, and every route says the store is unavailable', { timeout: 60_000 }, async () => {
    const port = await freePort();
    const dataDir = mkdtempSync(path.join(tmpdir(), 'gatehouse-node-mismatch-'));
    const url = `http://127.0.0.1:${port}`;
    let printed = '';
    const child = spawn(MACHINE_NODE, [path.join(root, distDir(), 'standalone', 'server.js')], {
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'production',
        NEXT_TELEMETRY_DISABLED: '1',
        HOSTNAME: '127.0.0.1',
        PORT: String(port),
        PUBLIC_URL: url,
        DATA_DIR: dataDir,
        SESSION_SECRET: randomBytes(32).toString('base64url'),
        SSO_START_URL: 'https://d-1234567890.awsapps.com/start',
        SSO_REGION: 'us-east-1',
        AWS_ENDPOINT_URL: `http://127.0.0.1:${emulator.port}`,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk: Buffer) => (printed += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (printed += chunk.toString()));
    try {
      await waitForHealth(url, child, () => printed, 30_000);
      const health = await fetch(`${url}/api/health`);
      expect(health.status).toBe(200);

      const ready = await fetch(`${url}/api/ready`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({ status: 'not_ready', checks: { store: 'unavailable', identityCenter: 'ok' } });

      // Starting a sign-in keeps its state in the store.
      const signIn = await fetch(`${url}/api/auth/device`, { method: 'POST', headers: { origin: url, 'content-type': 'application/json' }, body: '{}' });
      expect(signIn.status).toBe(503);
      expect(await signIn.json()).toMatchObject({ error: { code: 'store_unavailable' } });

      // Said once in the log, with why; no stack trace in any answer.
      expect(printed).toContain('"event":"store_unavailable"');
      expect(printed).toContain('NODE_MODULE_VERSION');
    } finally {
      await stopChild(child, 5_000);
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
