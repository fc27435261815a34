/**
 * The production portal for the bench: `next start` on 127.0.0.1 and a free port, like
 * tests/support/portal.ts, but stopped within a bound even while a listing is streaming (Next waits for
 * open responses on SIGTERM): SIGTERM, then SIGKILL after `graceMs`.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { spawnPortal } from '../tests/support/portal';
import { freePort } from '../tests/support/ports';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface BenchPortal {
  url: string;
  port: number;
  output(): string;
  stop(): Promise<void>;
}

export async function startBenchPortal(options: { emulatorPort: number; env: Record<string, string>; graceMs?: number }): Promise<BenchPortal> {
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'gatehouse-bench-'));
  const { child, output } = spawnPortal(port, { EMULATOR_PORT: String(options.emulatorPort), DATA_DIR: dataDir, ...options.env });
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), options.graceMs ?? 3000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dataDir, { recursive: true, force: true });
    })();
    return stopping;
  };

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      const hint = existsSync(path.join(ROOT, '.next', 'BUILD_ID')) ? '' : ' (the production build is gone: is another `next build` running?)';
      throw new Error(`the portal exited with ${child.exitCode}${hint}:\n${output()}`);
    }
    try {
      if ((await fetch(`${url}/api/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the portal did not become healthy within 60 s:\n${output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { url, port, output, stop };
}
