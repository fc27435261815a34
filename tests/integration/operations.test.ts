import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { accountsOfUser, rolesOfUser } from '../../emulator/directory';
import { createEmulator, type RunningEmulator } from '../../emulator/server';
import { emulatorAdmin } from '../../scripts/support/emulator-admin';
import { signIn } from '../../scripts/support/portal-client';
import { portalEnvironment, type RunningPortal, spawnPortal, startPortal, waitForHealth } from '../../scripts/support/portal-process';
import { freePort } from '../../scripts/support/processes';
import { METRICS_TOKEN, sample, scrape } from '../support/metrics';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('operations: metrics, readiness', () => {
  let emulator: RunningEmulator;
  let portal: RunningPortal;

  beforeAll(async () => {
    emulator = await createEmulator({ port: 0 });
    portal = await startPortal({ emulatorPort: emulator.port, env: { METRICS_TOKEN } });
  });
  afterAll(async () => {
    await portal.stop();
    await emulator.close();
  });

  it('is ready when the store and Identity Center answer', async () => {
    const response = await fetch(`${portal.url}/api/ready`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ready', checks: { store: 'ok', identityCenter: 'ok' } });
  });

  it('moves the counters after a sign-in and a credential hand-out', async () => {
    const before = await scrape(portal.url);
    const client = await signIn(portal.url, emulator, 'operator');
    await (await client.get('/api/accounts/stream')).text();
    const account = accountsOfUser(emulator.ctx.directory, 'operator')[0]!;
    const roleName = rolesOfUser(emulator.ctx.directory, 'operator', account.accountId)[0]!;
    expect((await client.post('/api/credentials', { accountId: account.accountId, roleName })).status).toBe(200);

    const response = await fetch(`${portal.url}/api/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const after = await response.text();
    const moved = (name: string, labels: Record<string, string>) => sample(after, name, labels) - sample(before, name, labels);
    expect(moved('gatehouse_sign_ins_total', { outcome: 'approved' })).toBe(1);
    expect(moved('gatehouse_handouts_total', { kind: 'credentials' })).toBe(1);
    expect(moved('gatehouse_http_requests_total', { route: '/api/credentials', method: 'POST', status: '200' })).toBe(1);
    // One per account, and the sign-in's own (it learns who signed in from the first account's roles).
    expect(moved('gatehouse_aws_calls_total', { operation: 'ListAccountRoles', outcome: 'success' })).toBe(
      accountsOfUser(emulator.ctx.directory, 'operator').length + 1,
    );
    expect(moved('gatehouse_aws_calls_total', { operation: 'CreateToken', outcome: 'success' })).toBeGreaterThanOrEqual(1);
    expect(sample(after, 'gatehouse_active_sessions')).toBeGreaterThanOrEqual(1);
    expect(sample(after, 'gatehouse_aws_limiter_wait_seconds_count', { priority: 'background' })).toBeGreaterThan(0);
    // Labels are patterns, never ids.
    expect(after).not.toContain(account.accountId);
  });

  it('serves /api/metrics on the portal\'s port only to the bearer of METRICS_TOKEN', async () => {
    for (const authorization of [undefined, 'Bearer wrong-token-wrong-token-wrong-token-00', `Basic ${METRICS_TOKEN}`, METRICS_TOKEN]) {
      const response = await fetch(`${portal.url}/api/metrics`, { headers: authorization ? { authorization } : {} });
      expect(response.status, String(authorization)).toBe(401);
      expect(await response.json()).toMatchObject({ error: { code: 'unauthenticated' } });
    }
  });

  it('has no metrics on the portal\'s port without METRICS_TOKEN, and serves them on METRICS_PORT, on loopback', async () => {
    const metricsPort = await freePort();
    const open = await startPortal({ emulatorPort: emulator.port, env: { METRICS_PORT: String(metricsPort) } });
    try {
      const onPortal = await fetch(`${open.url}/api/metrics`);
      expect(onPortal.status).toBe(404);
      expect(await onPortal.json()).toMatchObject({ error: { code: 'not_found' } });
      const listener = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
      expect(listener.status).toBe(200);
      expect(listener.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(await listener.text()).toContain('# HELP gatehouse_http_requests_total');
      expect((await fetch(`http://127.0.0.1:${metricsPort}/anything-else`)).status).toBe(404);
    } finally {
      await open.stop();
    }
  });

  it('is not ready, and says why, when Identity Center cannot be reached', async () => {
    const unreachable = await startPortal({ emulatorPort: await freePort() });
    try {
      const response = await fetch(`${unreachable.url}/api/ready`);
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({ status: 'not_ready', checks: { store: 'ok', identityCenter: 'unreachable' } });
      expect((await fetch(`${unreachable.url}/api/health`)).status).toBe(200);
    } finally {
      await unreachable.stop();
    }
  });
});

describe('graceful shutdown', () => {
  it('finishes the requests in flight when told to stop (SIGTERM)', async () => {
    const emulator = await createEmulator({ port: 0 });
    const port = await freePort();
    const dataDir = mkdtempSync(path.join(tmpdir(), 'gatehouse-sigterm-'));
    const { child, output } = spawnPortal(port, { EMULATOR_PORT: String(emulator.port), DATA_DIR: dataDir });
    const url = `http://127.0.0.1:${port}`;
    try {
      await waitForHealth(url, child, output, 20_000);
      const client = await signIn(url, emulator, 'developer');
      // Identity Center now takes two seconds per answer: the listing below is in flight when the signal comes.
      await emulatorAdmin(emulator).knobs({ latencyMs: 2000 });
      const inFlight = client.get('/api/accounts');
      const called = () => emulatorAdmin(emulator).calls();
      for (const deadline = Date.now() + 10_000; ((await called()).ListAccounts ?? 0) === 0; ) {
        if (Date.now() > deadline) throw new Error('the listing never reached Identity Center');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const response = await inFlight;
      expect(response.status).toBe(200);
      expect(((await response.json()) as { accounts: unknown[] }).accounts.length).toBe(accountsOfUser(emulator.ctx.directory, 'developer').length);
      await exited;
      // Stopped: nothing listens any more.
      expect(await fetch(`${url}/api/health`).then(() => 'answered', () => 'refused')).toBe('refused');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await emulator.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('the standalone server', () => {
  it('starts with `node .next/standalone/server.js` and passes the smoke test', async () => {
    const dist = process.env.NEXT_DIST_DIR || '.next';
    const server = path.join(root, dist, 'standalone', 'server.js');
    expect(existsSync(server)).toBe(true);
    const emulator = await createEmulator({ port: 0 });
    const port = await freePort();
    const dataDir = mkdtempSync(path.join(tmpdir(), 'gatehouse-standalone-'));
    const child = spawn(process.execPath, [server], {
      cwd: path.dirname(server),
      env: portalEnvironment({ PORT: String(port), HOSTNAME: '127.0.0.1', EMULATOR_PORT: String(emulator.port), DATA_DIR: dataDir }),
      stdio: 'ignore',
    });
    const url = `http://127.0.0.1:${port}`;
    try {
      await waitForHealth(url, child, () => '(the standalone server\'s output is not kept)', 20_000);
      const home = await (await fetch(url)).text();
      expect(home).toContain('Demo mode.');
      const chunk = /\/_next\/static\/chunks\/[^"]+\.js/.exec(home)?.[0];
      expect(chunk).toBeDefined();
      expect((await fetch(`${url}${chunk}`)).status).toBe(200);
      expect((await fetch(`${url}/api/ready`)).status).toBe(200);
      const client = await signIn(url, emulator, 'developer');
      const session = (await (await client.get('/api/session')).json()) as { signedIn: boolean };
      expect(session.signedIn).toBe(true);
    } finally {
      child.kill('SIGTERM');
      await emulator.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
