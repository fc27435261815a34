/**
 * The container image as a platform team meets it: the project's Dockerfile built with podman from
 * the stand-in base image (scripts/container/base-image.sh; no image registry), started on the host's
 * network against the emulator outside the container, with a podman volume for DATA_DIR.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';

import { accountsOfUser, rolesOfUser } from '../../emulator/directory';
import { createEmulator, type RunningEmulator } from '../../emulator/server';
import { type PortalClient, SESSION_COOKIE, signIn } from '../../scripts/support/portal-client';
import { freePort, stopChild } from '../../scripts/support/processes';
import { type RunningRedis, startRedis } from '../../scripts/support/redis';
import { until } from '../support/api-session';
import { buildImage, type Container, IMAGE, isRunning, podman, podmanOk, removeQuietly, root, run, startContainer } from './podman';

const suffix = randomBytes(4).toString('hex');
const name = `gatehouse-test-${suffix}`;
const volume = `gatehouse-test-data-${suffix}`;
const GATEHOUSE_UID = 1001;

/** A production deployment (not demo mode) whose Identity Center is the emulator, reached through the standard endpoint variable. */
function productionEnv(emulator: RunningEmulator, publicUrl: string): Record<string, string> {
  return {
    SSO_START_URL: emulator.ctx.directory.startUrl,
    SSO_REGION: 'us-east-1',
    SESSION_SECRET: `container-test-secret-${suffix}`.padEnd(48, 'x'),
    AWS_ENDPOINT_URL: emulator.url,
    PUBLIC_URL: publicUrl,
  };
}

async function signedIn(client: PortalClient): Promise<boolean> {
  const response = await client.get('/api/session');
  if (response.status !== 200) return false;
  return ((await response.json()) as { signedIn: boolean }).signedIn;
}

let emulator: RunningEmulator;

// A cold build (no cached layers) compiles better-sqlite3 and runs next build inside the image.
beforeAll(async () => {
  await buildImage();
  emulator = await createEmulator({ port: 0 });
}, 20 * 60_000);

afterAll(async () => {
  await emulator?.close();
});

describe('the container image', () => {
  let container: Container;
  let port: number;
  let env: Record<string, string>;

  beforeAll(async () => {
    port = await freePort();
    env = productionEnv(emulator, `http://127.0.0.1:${port}`);
    await podmanOk('volume', 'create', volume);
    container = await startContainer({ name, port, env, volume });
  });

  afterAll(async () => {
    await removeQuietly('container', name);
    await removeQuietly('volume', volume);
  });

  it('runs the server as the non-root user gatehouse', async () => {
    // PID 1 is the server itself (CMD node server.js): its real and effective uid, as the kernel reports them.
    const status = await podmanOk('exec', name, 'cat', '/proc/1/status');
    const uids = /^Uid:\s+(\d+)\s+(\d+)/m.exec(status);
    expect(uids?.slice(1, 3)).toEqual([String(GATEHOUSE_UID), String(GATEHOUSE_UID)]);
    expect(await podmanOk('exec', name, 'id', '-un')).toBe('gatehouse');
  });

  it('answers health and readiness, and the image\'s own health check passes', async () => {
    const health = await fetch(`${container.url}/api/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${container.url}/api/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { store: 'ok', identityCenter: 'ok' } });
    const check = await podman('healthcheck', 'run', name);
    expect(check.code, check.stdout + check.stderr).toBe(0);
  });

  it('signs a person in through the device flow and hands out role credentials', async () => {
    const client = await signIn(container.url, emulator, 'developer');
    expect(await signedIn(client)).toBe(true);
    const account = accountsOfUser(emulator.ctx.directory, 'developer')[0]!;
    const roleName = rolesOfUser(emulator.ctx.directory, 'developer', account.accountId)[0]!;
    // Credentials are handed out for roles the portal has listed for the person.
    const listing = await client.get('/api/accounts/stream');
    expect(listing.status).toBe(200);
    expect(await listing.text()).toContain(account.accountId);
    const response = await client.post('/api/credentials', { accountId: account.accountId, roleName });
    expect(response.status).toBe(200);
    const credentials = (await response.json()) as Record<string, string>;
    expect(Object.keys(credentials).sort()).toEqual(['accessKeyId', 'expiration', 'secretAccessKey', 'sessionToken']);
    expect(credentials.accessKeyId).toMatch(/^ASIA[A-Z0-9]{12,}$/);
    expect(new Date(credentials.expiration!).getTime()).toBeGreaterThan(Date.now());
  });

  it('keeps the SQLite session store on the /data volume, owned by gatehouse', async () => {
    const declared = JSON.parse(await podmanOk('image', 'inspect', '--format', '{{json .Config.Volumes}}', IMAGE)) as Record<string, unknown>;
    expect(Object.keys(declared)).toEqual(['/data']);
    const mountpoint = await podmanOk('volume', 'inspect', '--format', '{{.Mountpoint}}', volume);
    const files = readdirSync(mountpoint);
    expect(files.some((file) => /\.(db|sqlite)$/.test(file)), files.join(', ')).toBe(true);
    for (const file of files) expect(statSync(path.join(mountpoint, file)).uid, file).toBe(GATEHOUSE_UID);
  });

  it('keeps a person signed in when the container is replaced by a new one on the same volume', async () => {
    const client = await signIn(container.url, emulator, 'developer');
    expect(client.cookies.get(SESSION_COOKIE)).toBeDefined();
    await podmanOk('rm', '--force', '--time', '10', name);
    container = await startContainer({ name, port, env, volume });
    expect(await signedIn(client)).toBe(true);
    const listing = await client.get('/api/accounts/stream');
    expect(listing.status).toBe(200);
    expect(await listing.text()).toContain(accountsOfUser(emulator.ctx.directory, 'developer')[0]!.accountId);
  });

  it('stops within a few seconds of SIGTERM', async () => {
    const started = Date.now();
    await podmanOk('kill', '--signal', 'TERM', name);
    await until('the container to stop after SIGTERM', async () => ((await isRunning(name)) ? undefined : true), { timeoutMs: 15_000, intervalMs: 100 });
    const elapsedMs = Date.now() - started;
    expect(elapsedMs).toBeLessThan(5_000);
    // Ended by its own handling of the signal (0, or 143 = 128 + SIGTERM), not killed (137).
    expect(['0', '143']).toContain(await podmanOk('container', 'inspect', '--format', '{{.State.ExitCode}}', name));
    expect(await fetch(`${container.url}/api/health`).then(() => 'answered', () => 'refused')).toBe('refused');
  });

  it('adds to the base image only the standalone server, its static files and public/', async () => {
    const size = Number(await podmanOk('image', 'inspect', '--format', '{{.Size}}', IMAGE));
    const base = Number(await podmanOk('image', 'inspect', '--format', '{{.Size}}', 'docker.io/library/node:24-bookworm-slim'));
    // What the runtime stage copies, measured inside the image: the files' own sizes, in bytes.
    const app = await podmanOk('run', '--rm', '--network', 'none', '--entrypoint', 'du', IMAGE, '-s', '--block-size=1', '--apparent-size', '/app');
    const appBytes = Number(app.split(/\s/)[0]);
    expect(appBytes).toBeGreaterThan(1_000_000);
    // A few MB for the user, /data and file metadata; a copied node_modules or build tools would be hundreds.
    expect(size - base - appBytes).toBeLessThan(5_000_000);
  });
});

/** The value compose gives `${NAME:?message}`, `${NAME:-default}` and `${NAME}`, from `variables`. */
function interpolate(value: string, variables: Record<string, string>): string {
  return value.replace(/\$\{([A-Z_][A-Z0-9_]*)(?::([?-])([^}]*))?\}/g, (_match, variable: string, kind?: string, rest?: string) => {
    const given = variables[variable];
    if (given !== undefined && given !== '') return given;
    if (kind === '?') throw new Error(`compose.yaml needs ${variable}: ${rest ?? ''}`);
    return kind === '-' ? (rest ?? '') : '';
  });
}

/** Replaces `from` in the shipped configuration, which must hold it exactly once (a changed file fails loudly here). */
function replaceOnce(text: string, from: string, to: string): string {
  const parts = text.split(from);
  if (parts.length !== 2) throw new Error(`deploy/nginx.conf has ${parts.length - 1} occurrences of ${JSON.stringify(from)}, expected 1`);
  return parts.join(to);
}

describe("compose.yaml's topology: two portal containers, one Redis, deploy/nginx.conf in front", () => {
  const portals = [`gatehouse-test-portal-1-${suffix}`, `gatehouse-test-portal-2-${suffix}`];
  let containers: Container[] = [];
  let redis: RunningRedis;
  let nginx: ChildProcess | undefined;
  let nginxOutput = '';
  let work: string;
  let proxyUrl: string;
  const previousTlsSetting = process.env.NODE_TLS_REJECT_UNAUTHORIZED;

  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'gatehouse-compose-'));
    chmodSync(work, 0o755);
    redis = await startRedis({ persist: true });
    const [proxyPort, ...portalPorts] = await Promise.all([freePort(), freePort(), freePort()]);
    proxyUrl = `https://127.0.0.1:${proxyPort}`;

    // The portals' environment is compose.yaml's, with the values an operator puts in .env.
    const compose = parseYaml(readFileSync(path.join(root, 'compose.yaml'), 'utf8')) as {
      services: Record<string, { environment?: Record<string, string> }>;
    };
    const composeEnv = compose.services['portal-1']?.environment ?? {};
    expect(compose.services['portal-2']?.environment).toEqual(composeEnv);
    const variables = {
      ...productionEnv(emulator, proxyUrl),
      NEXT_SERVER_ACTIONS_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    };
    const env: Record<string, string> = {};
    for (const [variable, value] of Object.entries(composeEnv)) env[variable] = interpolate(String(value), variables);
    // Compose reaches Redis by its service name; here it is Debian's redis-server on loopback.
    expect(env.REDIS_URL).toBe('redis://redis:6379');
    env.REDIS_URL = redis.url;
    // What compose leaves to the real AWS endpoints: the emulator here.
    env.AWS_ENDPOINT_URL = emulator.url;

    containers = await Promise.all(portals.map((portal, index) => startContainer({ name: portal, port: portalPorts[index]!, env })));

    mkdirSync(path.join(work, 'tls'));
    const certificate = await run('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
      '-keyout', path.join(work, 'tls', 'privkey.pem'), '-out', path.join(work, 'tls', 'fullchain.pem'),
    ]);
    expect(certificate.code, certificate.stderr).toBe(0);

    // The shipped configuration with only its addresses changed: loopback and free ports instead of
    // 443 and compose's service names. Debian 12's nginx (1.22) predates `http2 on;` (1.25.1), so
    // HTTP/2 is switched on in the listen directive, its older spelling.
    let site = readFileSync(path.join(root, 'deploy', 'nginx.conf'), 'utf8');
    site = replaceOnce(site, 'listen 443 ssl;', `listen 127.0.0.1:${proxyPort} ssl http2;`);
    site = replaceOnce(site, 'http2 on;', '');
    site = replaceOnce(site, 'server portal-1:3000;', `server 127.0.0.1:${portalPorts[0]};`);
    site = replaceOnce(site, 'server portal-2:3000;', `server 127.0.0.1:${portalPorts[1]};`);
    site = site.replaceAll('/etc/nginx/tls/', `${work}/tls/`);
    writeFileSync(path.join(work, 'site.conf'), site);
    const temp = path.join(work, 'temp');
    mkdirSync(temp, { mode: 0o777 });
    writeFileSync(
      path.join(work, 'nginx.conf'),
      [
        'daemon off;',
        `pid ${work}/nginx.pid;`,
        'error_log stderr warn;',
        'events {}',
        'http {',
        '  access_log off;',
        ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((kind) => `  ${kind}_temp_path ${temp}/${kind};`),
        `  include ${work}/site.conf;`,
        '}',
        '',
      ].join('\n'),
    );
    nginx = spawn('/usr/sbin/nginx', ['-c', path.join(work, 'nginx.conf'), '-p', work], { stdio: ['ignore', 'pipe', 'pipe'] });
    nginx.stdout?.on('data', (chunk: Buffer) => (nginxOutput += chunk.toString()));
    nginx.stderr?.on('data', (chunk: Buffer) => (nginxOutput += chunk.toString()));

    // The certificate is the test's own, made above.
    process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
    await until(
      'nginx to pass /api/health on to a portal',
      async () => {
        if (nginx && (nginx.exitCode !== null || nginx.signalCode !== null)) throw new Error(`nginx exited:\n${nginxOutput}`);
        const response = await fetch(`${proxyUrl}/api/health`).catch(() => undefined);
        return response?.ok ? true : undefined;
      },
      { timeoutMs: 15_000, intervalMs: 100 },
    );
  });

  afterAll(async () => {
    if (nginx) await stopChild(nginx);
    await removeQuietly('container', ...portals);
    await redis?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
    if (previousTlsSetting === undefined) delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
    else process.env.NODE_TLS_REJECT_UNAUTHORIZED = previousTlsSetting;
  });

  it('signs a person in through the proxy on one portal, and the other portal carries on', async () => {
    const [first, second] = containers as [Container, Container];
    // Only the first portal is up: nginx passes the whole sign-in to it.
    await podmanOk('stop', '--time', '10', second.name);
    const client = await signIn(proxyUrl, emulator, 'developer');
    expect(await signedIn(client)).toBe(true);

    // Then only the second: the session and the listing it keeps come from Redis.
    await podmanOk('start', second.name);
    await until(`${second.name} to answer again`, async () => ((await fetch(`${second.url}/api/health`).catch(() => undefined))?.ok ? true : undefined), {
      timeoutMs: 30_000,
      intervalMs: 200,
    });
    await podmanOk('stop', '--time', '10', first.name);
    await until('nginx to reach the second portal', async () => ((await fetch(`${proxyUrl}/api/health`).catch(() => undefined))?.ok ? true : undefined));

    expect(await signedIn(client)).toBe(true);
    const account = accountsOfUser(emulator.ctx.directory, 'developer')[0]!;
    const roleName = rolesOfUser(emulator.ctx.directory, 'developer', account.accountId)[0]!;
    const listing = await client.get('/api/accounts/stream');
    expect(listing.status).toBe(200);
    expect(await listing.text()).toContain(account.accountId);
    const credentials = await client.post('/api/credentials', { accountId: account.accountId, roleName });
    expect(credentials.status).toBe(200);
    expect(((await credentials.json()) as { accessKeyId: string }).accessKeyId).toMatch(/^ASIA/);
  });

  it('keeps the metrics off the proxy', async () => {
    expect((await fetch(`${proxyUrl}/api/metrics`)).status).toBe(404);
  });
});
