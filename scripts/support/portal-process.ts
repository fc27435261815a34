/**
 * The production portal on 127.0.0.1 and a free port, for tests, the bench and scripts: the server
 * production runs (`.next/standalone/server.js`, as in the image), not `next start`; needs a current
 * production build (scripts/production-build.ts also puts the static files beside it).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { distDir } from '../production-build';
import { freePort, hasExited, stopChild } from './processes';

export interface RunningPortal {
  url: string;
  port: number;
  /** The server's process id (the load bench samples its memory and CPU). */
  pid: number | undefined;
  /** Everything the server printed so far (stdout and stderr). */
  output(): string;
  stop(): Promise<void>;
}

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The portal's environment: nothing inherited but PATH and HOME (and where temporary files and the build go), so a run never depends on the shell. */
export function portalEnvironment(overrides: Record<string, string>): NodeJS.ProcessEnv {
  const base: Record<string, string> = { NEXT_TELEMETRY_DISABLED: '1' };
  for (const name of ['PATH', 'HOME', 'TMPDIR', 'NEXT_DIST_DIR']) {
    const value = process.env[name];
    if (value !== undefined) base[name] = value;
  }
  return { ...base, ...overrides, NODE_ENV: 'production' };
}

export function spawnPortal(port: number, env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const child: ChildProcess = spawn(process.execPath, [path.join(root, distDir(), 'standalone', 'server.js')], {
    cwd: root,
    env: portalEnvironment({ PORT: String(port), HOSTNAME: '127.0.0.1', ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { child, output: () => text };
}

/** Waits until the portal at `url` answers /api/health; fails when its process exits first or at the deadline. */
export async function waitForHealth(url: string, child: ChildProcess, output: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (hasExited(child)) {
      // A build removed under a running test (another `next build`) shows up as a portal that will not start.
      const hint = existsSync(path.join(root, distDir(), 'BUILD_ID')) ? '' : ' (the production build is gone: is another `next build` running?)';
      throw new Error(`the portal exited with ${child.exitCode ?? child.signalCode}${hint}:\n${output()}`);
    }
    try {
      const response = await fetch(`${url}/api/health`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the portal did not become healthy within ${timeoutMs} ms:\n${output()}`);
}

export interface PortalOptions {
  emulatorPort: number;
  env?: Record<string, string>;
  /** Keep state across portals (a restart): the caller owns and removes this directory. */
  dataDir?: string;
  /** How long the portal may take to answer /api/health. */
  startTimeoutMs?: number;
  /** How long `stop` waits after SIGTERM before SIGKILL (Next waits for open responses, a listing stream among them). */
  stopGraceMs?: number;
}

export async function startPortal(options: PortalOptions): Promise<RunningPortal> {
  const port = await freePort();
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'gatehouse-portal-'));
  const url = `http://127.0.0.1:${port}`;
  const production = options.env?.SSO_START_URL !== undefined || options.env?.GATEHOUSE_CONFIG !== undefined;
  const { child, output } = spawnPortal(port, {
    EMULATOR_PORT: String(options.emulatorPort),
    DATA_DIR: dataDir,
    // Outside demo mode the portal must be told where people reach it: here, where the caller does.
    ...(production ? { PUBLIC_URL: url } : {}),
    ...options.env,
  });
  let stopping: Promise<void> | undefined;
  const stop = (graceMs: number) =>
    (stopping ??= (async () => {
      await stopChild(child, graceMs);
      if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
    })());
  try {
    await waitForHealth(url, child, output, options.startTimeoutMs ?? 30_000);
  } catch (error) {
    await stop(0);
    throw error;
  }
  return { url, port, pid: child.pid, output, stop: () => stop(options.stopGraceMs ?? 10_000) };
}
