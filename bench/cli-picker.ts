/**
 * `npm run bench:cli-picker`: how soon `gatehouse` shows its account and role picker in a 2,000-account
 * organisation whose listing is cold (a portal that has never listed the person), from starting the
 * command in a pseudo-terminal to the picker's first line on screen; then to its first role. Beside it,
 * what the command waited before it could show anything when it read the whole listing first (the
 * time `GET /api/cli/accounts` takes on a cold listing of the same organisation).
 *
 *   npm run bench:cli-picker [-- --runs N] [--accounts N] [--out DIR]
 *
 * Each run is a new portal (its own empty store, so the listing is cold) against the same emulator:
 * 25 ms per call, 20 requests a second, as `npm run bench`.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { z } from 'zod';

import { generateOrganisation } from '../emulator/directory';
import { createEmulator, type RunningEmulator } from '../emulator/server';
import { ensureProductionBuild } from '../scripts/production-build';
import { emulatorAdmin } from '../scripts/support/emulator-admin';
import { type CliHome, cliHome, installFromPortal, type InstalledCli, startLogin } from '../scripts/support/gatehouse-cli';
import { type RunningPortal, startPortal } from '../scripts/support/portal-process';
import { confirmTerminalSignIn } from '../scripts/support/terminal-sign-in';
import { count, ms, renderMarkdown, renderText, type Table } from './report';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const USER = 'operator';
const LATENCY_MS = 25;
const RATE_LIMIT = 20;

const argsSchema = z.object({
  runs: z.string().regex(/^\d+$/).transform(Number).pipe(z.number().int().min(1).max(20)).default(3),
  accounts: z.string().regex(/^\d+$/).transform(Number).pipe(z.number().int().min(100).max(20_000)).default(2_000),
  out: z.string().min(1).default('bench/results'),
});

interface PickerRun {
  /** From spawning the command to the picker's question on screen. */
  firstLineMs: number;
  /** From spawning the command to the first role row. */
  firstRoleMs: number | undefined;
  /** What the picker said about the listing when it first showed a role, or when the run ended. */
  status: string;
}

const plain = (text: string) => text.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');

/** `gatehouse credential-process` in a pseudo-terminal (util-linux's script), timed to what it shows; then Ctrl-C. */
function timePicker(home: CliHome, giveUpMs: number): Promise<PickerRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('script', ['--quiet', '--command', 'gatehouse credential-process', '/dev/null'], {
      env: { ...home.env, TERM: 'xterm-256color', COLUMNS: '160', LINES: '40' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let shown = '';
    let firstLineMs: number | undefined;
    let settled = false;
    const finish = (run: PickerRun | Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.stdin.write('\u0003');
      setTimeout(() => child.kill('SIGKILL'), 500);
      if (run instanceof Error) reject(run);
      else resolve(run);
    };
    const statusOf = (screen: string) => /(Listing your accounts[^\n]*|roles still loading[^\n]*)/.exec(screen.split('Account / role').at(-1) ?? '')?.[1]?.trim() ?? '(nothing loading)';
    const onData = (chunk: Buffer) => {
      shown += chunk.toString();
      const screen = plain(shown);
      const now = performance.now() - started;
      if (firstLineMs === undefined && screen.includes('Account / role (type to filter)')) firstLineMs = now;
      if (firstLineMs !== undefined && screen.includes('❯ ')) finish({ firstLineMs, firstRoleMs: now, status: statusOf(screen) });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('close', () => finish(new Error(`the command ended before the picker showed a role:\n${plain(shown)}`)));
    const timer = setTimeout(() => {
      if (firstLineMs === undefined) finish(new Error(`no picker after ${giveUpMs} ms:\n${plain(shown)}`));
      else finish({ firstLineMs, firstRoleMs: undefined, status: statusOf(plain(shown)) });
    }, giveUpMs);
  });
}

/** A portal of its own (a cold listing) with the command signed in to it. */
async function signedInPortal(emulator: RunningEmulator, cli: InstalledCli | undefined): Promise<{ portal: RunningPortal; cli: InstalledCli; home: CliHome }> {
  const portal = await startPortal({ emulatorPort: emulator.port, env: { IDC_RATE_LIMIT: String(RATE_LIMIT) }, startTimeoutMs: 60_000, stopGraceMs: 3000 });
  const installed = cli ?? (await installFromPortal(portal.url));
  const home = cliHome(installed);
  const login = await startLogin(home, portal.url);
  await confirmTerminalSignIn(login.link, USER, { admin: emulatorAdmin(emulator) });
  const signedIn = await login.finished;
  if (signedIn.code !== 0) throw new Error(`gatehouse login failed: ${signedIn.stderr}`);
  return { portal, cli: installed, home };
}

async function main(): Promise<number> {
  const { values } = parseArgs({ args: process.argv.slice(2), options: { runs: { type: 'string' }, accounts: { type: 'string' }, out: { type: 'string' } } });
  const parsed = argsSchema.safeParse(values);
  if (!parsed.success) {
    console.error(`usage: npm run bench:cli-picker -- [--runs N (1-20, default 3)] [--accounts N (default 2000)] [--out DIR]`);
    return 2;
  }
  const { runs, accounts, out } = parsed.data;
  await ensureProductionBuild(ROOT);
  const directory = generateOrganisation({ accounts, rolesPerAccount: { min: 1, max: 4 }, users: [USER], seed: 1 });
  const emulator = await createEmulator({ port: 0, directory, latencyMs: LATENCY_MS, rateLimit: RATE_LIMIT, seed: 1 });
  let cli: InstalledCli | undefined;
  const samples: PickerRun[] = [];
  let wholeListingMs: number | undefined;
  try {
    for (let run = 0; run < runs; run += 1) {
      const signedIn = await signedInPortal(emulator, cli);
      cli = signedIn.cli;
      try {
        const sample = await timePicker(signedIn.home, 60_000);
        samples.push(sample);
        console.log(`run ${run + 1}: picker's first line ${ms(sample.firstLineMs)}, first role ${ms(sample.firstRoleMs)} (${sample.status})`);
      } finally {
        await signedIn.portal.stop();
        signedIn.home.remove();
      }
    }
    // What the command waited before it showed anything, when it read the whole listing first.
    const signedIn = await signedInPortal(emulator, cli);
    try {
      const { token } = (JSON.parse(readFileSync(path.join(signedIn.home.configDir, 'sessions.json'), 'utf8')) as { sessions: { token: string }[] }).sessions[0]!;
      const started = performance.now();
      const response = await fetch(`${signedIn.portal.url}/api/cli/accounts`, { headers: { authorization: `Bearer ${token}` } });
      await response.text();
      if (response.status !== 200) throw new Error(`GET /api/cli/accounts answered ${response.status}`);
      wholeListingMs = performance.now() - started;
      console.log(`the whole listing (GET /api/cli/accounts, cold): ${ms(wholeListingMs)}`);
    } finally {
      await signedIn.portal.stop();
      signedIn.home.remove();
    }
  } finally {
    cli?.remove();
    await emulator.close();
  }

  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];
  const measuredAt = new Date();
  const table: Table = {
    title: `gatehouse picker in a ${count(accounts)}-account organisation, listing cold (${runs} runs, median)`,
    headers: ['Measure', 'Time'],
    rows: [
      ['Picker\'s first line on screen', ms(median(samples.map((sample) => sample.firstLineMs)))],
      ['First role in the picker', ms(median(samples.flatMap((sample) => (sample.firstRoleMs === undefined ? [] : [sample.firstRoleMs]))))],
      ['Before: the whole listing, which the command waited for before showing anything', ms(wholeListingMs)],
    ],
    notes: [
      `Each run: a new portal (cold listing), \`gatehouse credential-process\` started in a pseudo-terminal; emulator ${LATENCY_MS} ms per call, ${RATE_LIMIT} requests/s; IDC_RATE_LIMIT=${RATE_LIMIT}.`,
      `When the first role showed, the picker said: ${samples.map((sample) => `"${sample.status}"`).join(', ')}.`,
      `${os.cpus().length} CPUs, Node ${process.version}, ${measuredAt.toISOString().slice(0, 16).replace('T', ' ')} UTC; \`npm run bench:cli-picker\`.`,
    ],
  };
  console.log();
  console.log(renderText(table));
  const outDir = path.resolve(ROOT, out);
  mkdirSync(outDir, { recursive: true });
  writeFileSync(
    path.join(outDir, 'cli-picker.json'),
    `${JSON.stringify({ measuredAt: measuredAt.toISOString(), machine: { cpus: os.cpus().length, node: process.version }, accounts, latencyMs: LATENCY_MS, rateLimit: RATE_LIMIT, samples, wholeListingMs }, null, 2)}\n`,
  );
  writeFileSync(path.join(outDir, 'cli-picker.md'), `${renderMarkdown(table)}\n`);
  console.log(`\nResults: ${path.join(out, 'cli-picker.json')}, ${path.join(out, 'cli-picker.md')}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
