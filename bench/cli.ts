/**
 * `npm run bench:cli`: what `gatehouse credential-process` costs each `aws` command that uses a
 * gatehouse profile, against what the AWS CLI itself spends reading a profile with static keys
 * (`aws configure export-credentials --profile static`), in one run on this machine: wall time of 50
 * runs each, interleaved, with the portal's credentials cache warm; and the GetRoleCredentials calls
 * the emulator saw. Then what the portal's checks of kept credentials with Identity Center cost: two
 * terminals of the same person each run `credential-process` once a second for three minutes, and
 * the emulator counts the Identity Center calls, scaled to an hour. The command is the one the
 * portal serves, installed with npm.
 *
 *   npm run bench:cli [-- --runs N] [--check-seconds S] [--out DIR]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

import { z } from 'zod';

import { accountsOfUser, rolesOfUser } from '../emulator/directory';
import { createEmulator, type RunningEmulator } from '../emulator/server';
import { ensureProductionBuild } from '../scripts/production-build';
import { emulatorAdmin } from '../scripts/support/emulator-admin';
import { type CliHome, cliHome, type CliResult, installFromPortal, type InstalledCli, runCommand, startLogin } from '../scripts/support/gatehouse-cli';
import { confirmTerminalSignIn } from '../scripts/support/terminal-sign-in';
import { type RunningPortal, startPortal } from '../scripts/support/portal-process';
import { count, ms, ratio, renderMarkdown, renderText, yesNo, type Table } from './report';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const AWS = '/usr/bin/aws';
const USER = 'developer';
const TARGET_P50_RATIO = 1.0;
const TARGET_GET_ROLE_CREDENTIALS = 1;
/** Kept credentials are checked with Identity Center at most once per person and account every 45 s (80 an hour). */
const CHECK_EVERY_S = 45;
/** Kept credentials are handed out until this long before they expire (lib/server/credentials). */
const KEPT_UNTIL_BEFORE_EXPIRY_S = 600;
/** The portal's calls to Identity Center's portal API, as the emulator counts them. */
const IDENTITY_CENTER_CALLS = ['ListAccounts', 'ListAccountRoles', 'GetRoleCredentials', 'CreateToken'] as const;

const argsSchema = z.object({
  runs: z.string().regex(/^\d+$/).transform(Number).pipe(z.number().int().min(5).max(1000)).default(50),
  'check-seconds': z.string().regex(/^\d+$/).transform(Number).pipe(z.number().int().min(30).max(3600)).default(180),
  out: z.string().min(1).default('bench/results'),
});

function percentile(sorted: number[], p: number): number {
  // Nearest rank.
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] ?? Number.NaN;
}

interface Timing {
  samplesMs: number[];
  p50Ms: number;
  p95Ms: number;
  minMs: number;
  maxMs: number;
}

function summarise(samples: number[]): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  return { samplesMs: samples.map((v) => Math.round(v * 10) / 10), p50Ms: percentile(sorted, 50), p95Ms: percentile(sorted, 95), minMs: sorted[0] ?? NaN, maxMs: sorted.at(-1) ?? NaN };
}

async function timed(command: string, args: string[], env: NodeJS.ProcessEnv, check: (result: CliResult) => void): Promise<number> {
  const start = performance.now();
  const result = await runCommand(command, args, env);
  const elapsed = performance.now() - start;
  check(result);
  return elapsed;
}

/**
 * Each terminal runs the command once a second for `seconds` (all at the top of the second), counted
 * from a reset of the emulator's counters: the Identity Center calls they caused.
 */
async function askEverySecond(
  admin: ReturnType<typeof emulatorAdmin>,
  homes: CliHome[],
  args: string[],
  seconds: number,
): Promise<{ seconds: number; handOuts: number; failed: number; calls: Record<string, number> }> {
  await admin.resetStats();
  const started = performance.now();
  let handOuts = 0;
  let failed = 0;
  for (let second = 0; second < seconds; second += 1) {
    const wait = started + second * 1000 - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const results = await Promise.all(homes.map((home) => runCommand('gatehouse', args, home.env)));
    for (const result of results) {
      if (result.code === 0 && result.stdout.includes('"AccessKeyId"')) handOuts += 1;
      else failed += 1;
    }
  }
  // The calls are counted from the reset to the last answer: the window they are scaled to an hour from.
  return { seconds: (performance.now() - started) / 1000, handOuts, failed, calls: await admin.calls() };
}

async function main(): Promise<number> {
  const { values } = parseArgs({ args: process.argv.slice(2), options: { runs: { type: 'string' }, 'check-seconds': { type: 'string' }, out: { type: 'string' } } });
  const parsed = argsSchema.safeParse(values);
  if (!parsed.success) {
    console.error(
      `usage: npm run bench:cli -- [--runs N (5-1000, default 50)] [--check-seconds S (30-3600, default 180)] [--out DIR]\n${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n')}`,
    );
    return 2;
  }
  const { runs, out } = parsed.data;
  const checkSeconds = parsed.data['check-seconds'];
  await ensureProductionBuild(ROOT);

  let emulator: RunningEmulator | undefined;
  let portal: RunningPortal | undefined;
  let cli: InstalledCli | undefined;
  let home: CliHome | undefined;
  let secondHome: CliHome | undefined;
  try {
    emulator = await createEmulator({ port: 0 });
    portal = await startPortal({ emulatorPort: emulator.port });
    cli = await installFromPortal(portal.url);
    home = cliHome(cli);
    const admin = emulatorAdmin(emulator);

    const login = await startLogin(home, portal.url);
    await confirmTerminalSignIn(login.link, USER, { admin });
    const signedIn = await login.finished;
    if (signedIn.code !== 0) throw new Error(`gatehouse login failed: ${signedIn.stderr}`);

    const account = accountsOfUser(emulator.ctx.directory, USER)[0];
    const roleName = account ? [...rolesOfUser(emulator.ctx.directory, USER, account.accountId)].sort()[0] : undefined;
    if (!account || !roleName) throw new Error(`${USER} has no role in the emulator's directory`);

    // The AWS CLI reading a profile with static keys: its own cost of starting and resolving a profile.
    mkdirSync(path.dirname(home.awsConfig), { recursive: true });
    writeFileSync(home.awsConfig, '[profile static]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\nregion = us-east-1\n');

    const gatehouseArgs = ['credential-process', '--account', account.accountId, '--role', roleName];
    const awsArgs = ['configure', 'export-credentials', '--profile', 'static', '--format', 'process'];
    const gatehouseOk = (result: CliResult) => {
      if (result.code !== 0 || !result.stdout.includes('"AccessKeyId"')) throw new Error(`gatehouse credential-process failed: ${result.stderr}`);
    };
    const awsOk = (result: CliResult) => {
      if (result.code !== 0 || !result.stdout.includes('AKIAIOSFODNN7EXAMPLE')) throw new Error(`aws configure export-credentials failed: ${result.stderr}`);
    };

    // Warm-up: the first call fills the portal's cache (the one GetRoleCredentials); one of each warms the disk cache.
    await admin.resetStats();
    await timed('gatehouse', gatehouseArgs, home.env, gatehouseOk);
    await timed(AWS, awsArgs, home.env, awsOk);

    const gatehouseSamples: number[] = [];
    const awsSamples: number[] = [];
    // Interleaved, so both see the same load on the machine.
    for (let i = 0; i < runs; i += 1) {
      gatehouseSamples.push(await timed('gatehouse', gatehouseArgs, home.env, gatehouseOk));
      awsSamples.push(await timed(AWS, awsArgs, home.env, awsOk));
    }
    const calls = await admin.calls();
    const getRoleCredentials = calls.GetRoleCredentials ?? 0;

    // The checks of kept credentials: a second terminal of the same person, then both asking once a second.
    secondHome = cliHome(cli);
    const secondLogin = await startLogin(secondHome, portal.url);
    await confirmTerminalSignIn(secondLogin.link, USER, { admin });
    const secondSignedIn = await secondLogin.finished;
    if (secondSignedIn.code !== 0) throw new Error(`the second gatehouse login failed: ${secondSignedIn.stderr}`);
    // A new session checks the person's kept listing first (a listing of every account), as before: done before counting.
    const listed = await runCommand('gatehouse', ['accounts', '--json'], secondHome.env);
    if (listed.code !== 0) throw new Error(`gatehouse accounts failed: ${listed.stderr}`);
    const checks = await askEverySecond(admin, [home, secondHome], gatehouseArgs, checkSeconds);
    const lifetimeS = emulator.ctx.directory.roles.find((role) => role.roleName === roleName)?.sessionDurationSeconds ?? 3600;
    const renewalsPerHour = 3600 / (lifetimeS - KEPT_UNTIL_BEFORE_EXPIRY_S);
    const perHour = (n: number) => (n * 3600) / checks.seconds;

    const gatehouseTiming = summarise(gatehouseSamples);
    const awsTiming = summarise(awsSamples);
    const p50Ratio = gatehouseTiming.p50Ms / awsTiming.p50Ms;

    const measuredAt = new Date();
    const table: Table = {
      title: `gatehouse credential-process against the AWS CLI reading a static profile, ${runs} runs each`,
      headers: ['Command', 'p50', 'p95', 'min', 'max'],
      rows: [
        ['gatehouse credential-process (portal cache warm)', ms(gatehouseTiming.p50Ms), ms(gatehouseTiming.p95Ms), ms(gatehouseTiming.minMs), ms(gatehouseTiming.maxMs)],
        ['aws configure export-credentials --profile static', ms(awsTiming.p50Ms), ms(awsTiming.p95Ms), ms(awsTiming.minMs), ms(awsTiming.maxMs)],
      ],
      notes: [
        `Wall time from spawning the command to its exit, on ${os.cpus().length} CPUs, Node ${process.version}, ${measuredAt.toISOString().slice(0, 16).replace('T', ' ')} UTC; \`npm run bench:cli\`.`,
      ],
    };
    const targets: Table = {
      title: 'Targets',
      headers: ['Target', 'Met', 'Measured'],
      rows: [
        [`p50 ratio ≤ ${TARGET_P50_RATIO.toFixed(1)}`, yesNo(p50Ratio <= TARGET_P50_RATIO), `${ms(gatehouseTiming.p50Ms)} / ${ms(awsTiming.p50Ms)} = ${ratio(gatehouseTiming.p50Ms, awsTiming.p50Ms)} (p95: ${ratio(gatehouseTiming.p95Ms, awsTiming.p95Ms)})`],
        [
          `GetRoleCredentials for the warm-up and ${runs} runs = ${TARGET_GET_ROLE_CREDENTIALS}`,
          yesNo(getRoleCredentials === TARGET_GET_ROLE_CREDENTIALS),
          `${count(getRoleCredentials)} (${count(runs + 1)} credential-process runs)`,
        ],
      ],
    };
    const checkTable: Table = {
      title: `Identity Center calls while two terminals of one person each run credential-process once a second for ${checkSeconds} s (portal cache warm)`,
      headers: ['Call', `In ${checks.seconds.toFixed(1)} s`, 'Per person per hour'],
      rows: IDENTITY_CENTER_CALLS.map((name) => [name, count(checks.calls[name] ?? 0), (perHour(checks.calls[name] ?? 0)).toFixed(1)]),
      notes: [
        `${count(checks.handOuts)} hand-outs, ${count(checks.failed)} failed. ListAccountRoles here is the check of kept credentials: one per person and account every 45 s at most, whoever asks, shared by all their terminals and portals.`,
        `GetRoleCredentials: one when the kept credentials have ten minutes left; for this role (${roleName}, ${lifetimeS / 3600} h) that is ${renewalsPerHour.toFixed(2)} an hour, and ${(3600 / (3600 - KEPT_UNTIL_BEFORE_EXPIRY_S)).toFixed(1)} an hour for a one-hour permission set.`,
        'Not counted here: the listing hand-outs are checked against is made anew every ACCOUNTS_CACHE_MINUTES (10) while the person uses the portal, as before.',
      ],
    };
    const checksMade = checks.calls.ListAccountRoles ?? 0;
    const checksAllowed = Math.ceil(checks.seconds / CHECK_EVERY_S);
    targets.rows.push([
      `Checks of kept credentials: at most one ListAccountRoles per person and account every ${CHECK_EVERY_S} s, no failed hand-out`,
      yesNo(checksMade <= checksAllowed && checks.failed === 0),
      `${count(checksMade)} in ${checks.seconds.toFixed(1)} s (at most ${checksAllowed}), ${perHour(checksMade).toFixed(1)} an hour; ${count(checks.failed)} failed of ${count(checks.handOuts + checks.failed)}`,
    ]);

    console.log(renderText(table));
    console.log();
    console.log(renderText(checkTable));
    console.log();
    console.log(renderText(targets));

    const outDir = path.resolve(ROOT, out);
    mkdirSync(outDir, { recursive: true });
    writeFileSync(
      path.join(outDir, 'cli.json'),
      `${JSON.stringify(
        {
          measuredAt: measuredAt.toISOString(),
          machine: { cpus: os.cpus().length, node: process.version, platform: `${os.platform()} ${os.release()}` },
          runs,
          gatehouse: { command: `gatehouse ${gatehouseArgs.join(' ')}`, ...gatehouseTiming },
          awsCli: { command: `aws ${awsArgs.join(' ')}`, ...awsTiming },
          p50Ratio,
          p95Ratio: gatehouseTiming.p95Ms / awsTiming.p95Ms,
          getRoleCredentials,
          emulatorCalls: calls,
          checksOfKeptCredentials: {
            terminals: 2,
            asksPerSecondEach: 1,
            seconds: checks.seconds,
            handOuts: checks.handOuts,
            failed: checks.failed,
            emulatorCalls: checks.calls,
            perPersonPerHour: Object.fromEntries(IDENTITY_CENTER_CALLS.map((name) => [name, perHour(checks.calls[name] ?? 0)])),
            roleLifetimeSeconds: lifetimeS,
            getRoleCredentialsPerHourAtSteadyState: renewalsPerHour,
          },
          targets: { p50Ratio: TARGET_P50_RATIO, getRoleCredentials: TARGET_GET_ROLE_CREDENTIALS, checkEverySeconds: CHECK_EVERY_S },
        },
        null,
        2,
      )}\n`,
    );
    writeFileSync(path.join(outDir, 'cli.md'), `${renderMarkdown(table)}\n\n${renderMarkdown(checkTable)}\n\n${renderMarkdown(targets)}\n`);
    console.log(`\nResults: ${path.join(out, 'cli.json')}, ${path.join(out, 'cli.md')}`);
    return 0;
  } finally {
    await portal?.stop();
    await emulator?.close();
    home?.remove();
    secondHome?.remove();
    cli?.remove();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
