/**
 * `npm run load`: many people at once against the production build and the emulator, on loopback
 * only, bounded in count and time. Two set-ups in one run: one portal on SQLite, and two portals on
 * one Redis with every person's session used across both. See bench/README.md. Exits non-zero only
 * when the run could not be made; missed targets are reported (and the smoke test checks them).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { createEmulator, type RunningEmulator } from '../emulator/server';
import { ensureProductionBuild } from '../scripts/production-build';
import { deviceFlowSignIn } from '../scripts/support/emulator-sdk';
import { cliHome, type CliHome, installFromPortal, type InstalledCli } from '../scripts/support/gatehouse-cli';
import { type RunningPortal, startPortal } from '../scripts/support/portal-process';
import { type RunningRedis, startRedis } from '../scripts/support/redis';
import { measureListAccountsCall } from './baselines';
import { LOAD_USAGE, type LoadOptions, parseLoadArgs, type SetupName } from './load/args';
import { EmulatorSeconds, watchProcess } from './load/monitor';
import { type LoadPerson, loadOrganisation } from './load/organisation';
import { type PersonResult, visit } from './load/person';
import { count, ms, ratio, renderMarkdown, renderText, type Table } from './report';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const FIRST_ACCOUNTS_EXTRA_MS = 300;
const log = (line: string) => console.error(`[load] ${line}`);

const stoppers: (() => Promise<void>)[] = [];
async function stopAll(): Promise<void> {
  while (stoppers.length > 0) await stoppers.pop()?.().catch(() => undefined);
}
const interrupted = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    interrupted.abort();
    void stopAll().finally(() => process.exit(130));
  });
}

function percentile(values: number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const round = (value: number | undefined) => (value === undefined ? null : Math.round(value));

export interface RouteNumbers {
  requests: number;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  failures: number;
}

export interface SetupResult {
  name: string;
  portals: number;
  store: 'sqlite' | 'redis';
  wallS: number;
  people: number;
  peopleFinished: number;
  failedRequests: number;
  overLimitSeconds: number;
  busiestSecond: number;
  throttled: number;
  peakRssMb: number;
  portalProcesses: { peakRssMb: number; cpuSeconds: number; peakCpuCores: number }[];
  firstAccountsP95Ms: number | null;
  firstAccountsMaxMs: number | null;
  firstAccountsBudgetMs: number;
  firstAccountsOverBudget: number;
  /** Each person's time to all roles over their fair share of the floor (their calls ÷ their share of the rate). */
  allRolesToFairShare: { p50: number | null; p95: number | null; max: number | null };
  largePeopleAllRolesMs: (number | null)[];
  routes: Record<string, RouteNumbers>;
  errors: string[];
}

/** A person's fair share of the floor: their calls at the rate divided among everyone listing at the same time. */
function fairShareMs(person: PersonResult, everyone: PersonResult[], rateLimit: number): number | undefined {
  if (person.listingStartedAt === undefined || person.listingEndedAt === undefined) return undefined;
  const start = person.listingStartedAt;
  const end = person.listingEndedAt;
  // The average number of people listing during this person's listing (themselves included).
  let overlapMs = 0;
  for (const other of everyone) {
    if (other.listingStartedAt === undefined || other.listingEndedAt === undefined) continue;
    overlapMs += Math.max(0, Math.min(end, other.listingEndedAt) - Math.max(start, other.listingStartedAt));
  }
  const sharing = Math.max(1, overlapMs / Math.max(1, end - start));
  return (person.listingCalls / rateLimit) * 1000 * sharing;
}

async function runSetup(
  name: SetupName,
  options: LoadOptions,
  organisation: ReturnType<typeof loadOrganisation>,
  cli: { env: NodeJS.ProcessEnv } | undefined,
  firstAccountsBudgetMs: number,
): Promise<SetupResult> {
  const seconds = new EmulatorSeconds();
  const emulator: RunningEmulator = await createEmulator({
    port: 0,
    directory: organisation.directory,
    latencyMs: options.latencyMs,
    rateLimit: options.rateLimit,
    log: seconds.log,
  });
  stoppers.push(() => emulator.close());
  let redis: RunningRedis | undefined;
  if (name === 'redis') {
    redis = await startRedis();
    stoppers.push(() => redis!.stop());
  }
  // Behind a load balancer that names each person's address (the per-address budgets see people, not the balancer).
  const env: Record<string, string> = { IDC_RATE_LIMIT: String(options.rateLimit), TRUSTED_PROXY_COUNT: '1', LOG_LEVEL: 'warn' };
  if (redis) Object.assign(env, { REDIS_URL: redis.url, SESSION_SECRET: 'load-run-session-secret-0123456789abcdefghij' });
  const portalCount = name === 'redis' ? 2 : 1;
  const portals: RunningPortal[] = [];
  for (let index = 0; index < portalCount; index += 1) {
    const portal = await startPortal({ emulatorPort: emulator.port, env, startTimeoutMs: 60_000 });
    stoppers.push(() => portal.stop());
    portals.push(portal);
  }
  const watchers = portals.map((portal) => watchProcess(portal.pid));
  log(`${name}: ${portalCount} portal(s), ${options.people} people over ${options.arrivalS} s`);

  const cap = new AbortController();
  const capTimer = setTimeout(() => cap.abort(), options.capS * 1000);
  interrupted.signal.addEventListener('abort', () => cap.abort(), { once: true });
  const startedAt = Date.now();
  const spacingMs = options.people > 1 ? (options.arrivalS * 1000) / (options.people - 1) : 0;
  const visits = organisation.people.map(async (person: LoadPerson, index) => {
    await new Promise((resolve) => setTimeout(resolve, index * spacingMs));
    if (cap.signal.aborted) return undefined;
    return visit({
      ...person,
      home: portals[index % portalCount]!.url,
      other: portals[(index + 1) % portalCount]!.url,
      address: `10.${Math.floor(index / 65_536) % 256}.${Math.floor(index / 256) % 256}.${(index % 256) + 1}`,
      emulator,
      credentials: options.credentials,
      cliRuns: cli ? options.cliRuns : 0,
      cliEnv: cli?.env ?? process.env,
      signal: cap.signal,
    });
  });
  const results = (await Promise.all(visits)).filter((result): result is PersonResult => result !== undefined);
  clearTimeout(capTimer);
  const wallS = (Date.now() - startedAt) / 1000;
  const processes = watchers.map((stop) => stop());
  const emulatorSummary = seconds.summary();
  while (stoppers.length > 0) await stoppers.pop()?.();

  const routes: Record<string, RouteNumbers> = {};
  const byRoute = new Map<string, { ms: number[]; failures: number }>();
  for (const result of results) {
    for (const timing of result.timings) {
      const entry = byRoute.get(timing.route) ?? { ms: [], failures: 0 };
      entry.ms.push(timing.ms);
      if (!timing.ok) entry.failures += 1;
      byRoute.set(timing.route, entry);
    }
  }
  for (const [route, entry] of [...byRoute].sort(([a], [b]) => a.localeCompare(b))) {
    routes[route] = { requests: entry.ms.length, p50Ms: round(percentile(entry.ms, 50)), p95Ms: round(percentile(entry.ms, 95)), p99Ms: round(percentile(entry.ms, 99)), failures: entry.failures };
  }
  const firstAccounts = results.map((result) => result.firstAccountsMs).filter((value): value is number => value !== undefined);
  const shares = results
    .map((result) => {
      const fair = fairShareMs(result, results, options.rateLimit);
      return result.allRolesMs !== undefined && fair ? result.allRolesMs / fair : undefined;
    })
    .filter((value): value is number => value !== undefined);
  const failedRequests = Object.values(routes).reduce((sum, route) => sum + route.failures, 0) + (options.people - results.length);
  return {
    name: name === 'sqlite' ? 'one portal, SQLite' : 'two portals, one Redis',
    portals: portalCount,
    store: name,
    wallS: Math.round(wallS),
    people: options.people,
    peopleFinished: results.filter((result) => result.errors.length === 0).length,
    failedRequests,
    overLimitSeconds: emulatorSummary.overLimitSeconds,
    busiestSecond: emulatorSummary.busiestSecond,
    throttled: emulatorSummary.throttled,
    peakRssMb: Math.max(0, ...processes.map((entry) => entry.peakRssMb)),
    portalProcesses: processes.map((entry) => ({ ...entry, cpuSeconds: Math.round(entry.cpuSeconds * 10) / 10, peakCpuCores: Math.round(entry.peakCpuCores * 100) / 100 })),
    firstAccountsP95Ms: round(percentile(firstAccounts, 95)),
    firstAccountsMaxMs: round(percentile(firstAccounts, 100)),
    firstAccountsBudgetMs: Math.round(firstAccountsBudgetMs),
    firstAccountsOverBudget: firstAccounts.filter((value) => value > firstAccountsBudgetMs).length,
    allRolesToFairShare: { p50: percentile(shares, 50) ?? null, p95: percentile(shares, 95) ?? null, max: percentile(shares, 100) ?? null },
    largePeopleAllRolesMs: results.filter((result) => result.large).map((result) => round(result.allRolesMs)),
    routes,
    errors: [...new Set(results.flatMap((result) => result.errors))].slice(0, 20),
  };
}

function tables(options: LoadOptions, setups: SetupResult[], listAccountsMs: number): Table[] {
  const summary: Table = {
    title: `${options.people} people over ${options.arrivalS} s; emulator ${options.latencyMs} ms per call, ${options.rateLimit} requests/s`,
    headers: ['Set-up', 'Failed requests', 'Seconds over the limit', 'Busiest second', 'Throttled', 'First 100 accounts p95 (budget)', 'All roles ÷ fair share p50 / p95', 'Peak RSS', 'Portal CPU'],
    rows: setups.map((setup) => [
      setup.name,
      count(setup.failedRequests),
      count(setup.overLimitSeconds),
      `${setup.busiestSecond} calls`,
      count(setup.throttled),
      `${ms(setup.firstAccountsP95Ms ?? undefined)} (${ms(setup.firstAccountsBudgetMs)})`,
      `${ratio(setup.allRolesToFairShare.p50 ?? undefined, 1)} / ${ratio(setup.allRolesToFairShare.p95 ?? undefined, 1)}`,
      setup.portalProcesses.map((entry) => `${entry.peakRssMb} MB`).join(' + '),
      setup.portalProcesses.map((entry) => `${entry.cpuSeconds} s (peak ${entry.peakCpuCores} cores)`).join(' + '),
    ]),
    notes: [
      `Budget for the first 100 accounts: one ListAccounts call (${ms(listAccountsMs)}, measured in this run) + ${FIRST_ACCOUNTS_EXTRA_MS} ms.`,
      'Fair share: a person\'s ListAccounts pages and ListAccountRoles calls at the rate limit, times the number of people listing at the same time.',
      `People: ${options.minAccounts}–${options.maxAccounts} accounts each, ${options.largePeople} with ${options.largeAccounts}; each signs in, lists, takes ${options.credentials} credentials and a console link on the other portal, runs \`gatehouse credential-process\` ${options.cliRuns} times, and signs out.`,
      `${os.cpus().length} CPUs, Node ${process.version}, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC; \`npm run load${options.smoke ? ' -- --smoke' : ''}\`.`,
    ],
  };
  const routeNames = [...new Set(setups.flatMap((setup) => Object.keys(setup.routes)))];
  const routeTable: Table = {
    title: 'Per route: p50 / p95 / p99, failures',
    headers: ['Route', ...setups.map((setup) => setup.name)],
    rows: routeNames.map((route) => [
      route,
      ...setups.map((setup) => {
        const numbers = setup.routes[route];
        if (!numbers) return '—';
        return `${ms(numbers.p50Ms ?? undefined)} / ${ms(numbers.p95Ms ?? undefined)} / ${ms(numbers.p99Ms ?? undefined)}, ${numbers.failures} of ${count(numbers.requests)}`;
      }),
    ]),
  };
  return [summary, routeTable];
}

async function main(): Promise<number> {
  const parsed = parseLoadArgs(process.argv.slice(2));
  if ('help' in parsed) {
    console.log(LOAD_USAGE);
    return 0;
  }
  if ('error' in parsed) {
    console.error(`${parsed.error}\n${LOAD_USAGE}`);
    return 2;
  }
  const options = parsed;
  if (await ensureProductionBuild(ROOT)) log('built the production app');
  const organisation = loadOrganisation(options);
  log(`${organisation.people.length} people, ${organisation.directory.accounts.length} accounts, ${organisation.directory.assignments.length} assignments`);

  // The yardstick: one ListAccounts call straight to an idle emulator.
  const probe = await createEmulator({ port: 0, directory: organisation.directory, latencyMs: options.latencyMs });
  let listAccountsMs: number;
  try {
    const { accessToken } = await deviceFlowSignIn(probe, organisation.people[0]!.userName, { clientName: 'gatehouse-load-yardstick' });
    listAccountsMs = (await measureListAccountsCall(probe, accessToken)).medianMs;
  } finally {
    await probe.close();
  }

  // The command, installed from a portal as people install it, once for the run.
  let cli: { installed: InstalledCli; home: CliHome } | undefined;
  if (options.cliRuns > 0) {
    const emulator = await createEmulator({ port: 0, directory: organisation.directory });
    const portal = await startPortal({ emulatorPort: emulator.port });
    try {
      const installed = await installFromPortal(portal.url);
      cli = { installed, home: cliHome(installed) };
    } finally {
      await portal.stop();
      await emulator.close();
    }
  }

  const setups: SetupResult[] = [];
  try {
    for (const name of options.setups) {
      setups.push(await runSetup(name, options, organisation, cli ? { env: cli.home.env } : undefined, listAccountsMs + FIRST_ACCOUNTS_EXTRA_MS));
      if (interrupted.signal.aborted) break;
    }
  } finally {
    await stopAll();
    cli?.home.remove();
    cli?.installed.remove();
  }

  const rendered = tables(options, setups, listAccountsMs);
  for (const table of rendered) console.log(`\n${renderText(table)}`);
  const out = path.resolve(ROOT, options.out);
  mkdirSync(out, { recursive: true });
  const json = {
    generatedAt: new Date().toISOString(),
    options,
    people: options.people,
    listAccountsMs: Math.round(listAccountsMs),
    machine: { cpus: os.cpus().length, node: process.version },
    setups,
  };
  writeFileSync(path.join(out, 'load.json'), `${JSON.stringify(json, null, 2)}\n`);
  writeFileSync(path.join(out, 'load.md'), `${rendered.map(renderMarkdown).join('\n\n')}\n`);
  log(`results: ${path.relative(process.cwd(), path.join(out, 'load.json'))}, load.md`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  async (error: unknown) => {
    console.error(`[load] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    await stopAll();
    process.exit(1);
  },
);
