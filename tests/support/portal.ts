/**
 * Starts the production portal (`next start`) on a port the test chose, on 127.0.0.1, and stops it.
 * Requires a current production build (`npm test` makes one first).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { freePort } from './ports';

export interface RunningPortal {
  url: string;
  port: number;
  /** Everything the server printed so far (stdout and stderr). */
  output(): string;
  stop(): Promise<void>;
}

const root = fileURLToPath(new URL('../..', import.meta.url));

export function nextBinary(): string {
  return createRequire(path.join(root, 'package.json')).resolve('next/dist/bin/next');
}

/** The portal's environment: nothing inherited but PATH and HOME, so tests never depend on the shell. */
export function portalEnvironment(overrides: Record<string, string>): NodeJS.ProcessEnv {
  const base: Record<string, string> = { NEXT_TELEMETRY_DISABLED: '1' };
  for (const name of ['PATH', 'HOME', 'TMPDIR', 'NEXT_DIST_DIR']) {
    const value = process.env[name];
    if (value !== undefined) base[name] = value;
  }
  return { ...base, ...overrides, NODE_ENV: 'production' };
}

export function spawnPortal(port: number, env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const child: ChildProcess = spawn(process.execPath, [nextBinary(), 'start', '-H', '127.0.0.1', '-p', String(port)], {
    cwd: root,
    env: portalEnvironment({ PORT: String(port), ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { child, output: () => text };
}

/**
 * Stops a server process: SIGTERM, and SIGKILL if it has not exited after `graceMs` (a stream left
 * open must not hang a test's clean-up). Returns at once for a process that already exited.
 */
export async function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

async function waitForHealth(url: string, child: ChildProcess, output: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the portal exited with ${child.exitCode}:\n${output()}`);
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

export async function startPortal(options: {
  emulatorPort: number;
  env?: Record<string, string>;
  /** Keep state across portals (a restart): the caller owns and removes this directory. */
  dataDir?: string;
}): Promise<RunningPortal> {
  const port = await freePort();
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'gatehouse-test-'));
  const url = `http://127.0.0.1:${port}`;
  const production = options.env?.SSO_START_URL !== undefined || options.env?.GATEHOUSE_CONFIG !== undefined;
  const { child, output } = spawnPortal(port, {
    EMULATOR_PORT: String(options.emulatorPort),
    DATA_DIR: dataDir,
    // Outside demo mode the portal must be told where people reach it: here, where the test does.
    ...(production ? { PUBLIC_URL: url } : {}),
    ...options.env,
  });
  try {
    await waitForHealth(url, child, output, 30_000);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    url,
    port,
    output,
    stop: async () => {
      await stopChild(child);
      if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
