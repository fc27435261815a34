/** Running the gatehouse command's code in-process for unit tests: its output captured, its environment chosen. */
import type { Environment } from '../../cli/environment';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { Io } from '../../cli/context';
import { run } from '../../cli/program';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** A home of its own (HOME, XDG_CONFIG_HOME, AWS_CONFIG_FILE inside it) and nothing else of this machine's environment. */
export function isolatedHome(): { home: string; env: Environment } {
  const home = mkdtempSync(path.join(tmpdir(), 'gatehouse-cli-home-'));
  return {
    home,
    env: {
      PATH: process.env.PATH,
      HOME: home,
      XDG_CONFIG_HOME: path.join(home, '.config'),
      AWS_CONFIG_FILE: path.join(home, '.aws', 'config'),
    },
  };
}

export async function runCli(argv: string[], env: Environment, options: Partial<Io> = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    stdinIsTty: false,
    env,
    platform: 'linux',
    now: Date.now,
    ...options,
  });
  return { code, stdout, stderr };
}

/** Every file under `directory` with its bytes, to compare a tree before and after. */
export async function snapshotTree(directory: string): Promise<Record<string, string>> {
  const { readdirSync, readFileSync, existsSync, statSync } = await import('node:fs');
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else out[path.relative(directory, full)] = `${(statSync(full).mode & 0o777).toString(8)} ${readFileSync(full).toString('base64')}`;
    }
  };
  walk(directory);
  return out;
}
