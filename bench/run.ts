/**
 * `npm run bench`: Gatehouse against the floor and against two ways a person would list a big organisation
 * without it, on one emulator and one organisation; then the accounts page of a 5,000-account organisation
 * in Chromium. See bench/README.md. Exits non-zero only when the bench could not run; missed targets are
 * reported, not failed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import type { Browser } from '@playwright/test';

import { generateOrganisation, indexDirectory } from '../emulator/directory';
import { createEmulator, type RunningEmulator } from '../emulator/server';
import type { Directory } from '../emulator/types';
import { ensureProductionBuild } from '../scripts/production-build';
import { launchChromium } from '../scripts/support/chromium';
import { emulatorAdmin } from '../scripts/support/emulator-admin';
import { deviceFlowSignIn } from '../scripts/support/emulator-sdk';
import { SESSION_COOKIE } from '../scripts/support/portal-client';
import { type RunningPortal, startPortal } from '../scripts/support/portal-process';
import { parseBenchArgs, USAGE, type BenchOptions } from './args';
import { measureListAccountsCall, runBaseline, type BaselineResult } from './baselines';
import { measureBrowser, measureReturningVisit, type BrowserMeasurement, type ReturningVisit } from './browser';
import { cpuSnapshot, cpuUsedBetween } from './cpu';
import { bucketRefillMs, computeFloor, sequentialFloorMs, type Floor } from './floor';
import { measureStream, signInThroughPortal, type StreamMeasurement } from './gatehouse';
import { count, kb, ms, ratio, renderMarkdown, renderText, yesNo, type Table } from './report';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const USER = 'operator';
const PORTAL_DEFAULT_CONCURRENCY = 8; // lib/server/env.ts IDC_MAX_CONCURRENCY default, for the report only
const TARGET_RATIO = 1.15;
const TARGET_FIRST_100_EXTRA_MS = 300;
const TARGET_FILTER_MS = 50;
const TARGET_FIRST_LOAD_JS_BYTES = 200 * 1024;
const TARGET_WARM_MS = 300;

// ---------------------------------------------------------------------------------------------------
// Everything started is stopped: at the end, on error, on Ctrl-C.

const cleanups: { name: string; run: () => Promise<void> }[] = [];
let cleaning: Promise<void> | undefined;

/** Registers a stopper; the returned function runs it now and forgets it. */
function onCleanup(name: string, run: () => Promise<void>): () => Promise<void> {
  const entry = { name, run };
  cleanups.push(entry);
  return async () => {
    const index = cleanups.indexOf(entry);
    if (index >= 0) cleanups.splice(index, 1);
    await run();
  };
}

function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    while (cleanups.length > 0) {
      const next = cleanups.pop();
      if (!next) break;
      try {
        await next.run();
      } catch (error) {
        console.error(`[bench] stopping ${next.name} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  })();
  return cleaning;
}

/** Aborted on Ctrl-C: in-flight measurements stop at once instead of holding the portal open. */
const interrupted = new AbortController();

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n[bench] ${signal}: stopping everything …`);
    interrupted.abort();
    void cleanup().finally(() => process.exit(130));
  });
}

const log = (line: string) => console.error(`[bench] ${line}`);

/** Waits for the emulator's token bucket to refill: time itself is what the bench waits for. */
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------------

interface Environment {
  emulator: RunningEmulator;
  portal: RunningPortal;
  directory: Directory;
  rateBurst: number;
  portalEnv: Record<string, string>;
  stop(): Promise<void>;
}

/** The portal's limiter takes requests per second from 0.1 to 1000; "no limit" becomes 1000. */
function portalRate(rateLimit: number): string {
  return String(rateLimit > 0 ? rateLimit : 1000);
}

async function startEnvironment(
  label: string,
  directory: Directory,
  latencyMs: number,
  rateLimit: number,
  portalEnv: Record<string, string>,
  emulatorLog?: (line: string) => void,
): Promise<Environment> {
  const emulator = await createEmulator({ port: 0, host: '127.0.0.1', directory, latencyMs, rateLimit, seed: 1, log: emulatorLog });
  const stopEmulator = onCleanup(`${label} emulator`, () => emulator.close());
  const knobs = await emulatorAdmin(emulator).knobs();
  // Stopped within a bound even while a listing is streaming (Next waits for open responses on SIGTERM).
  const portal = await startPortal({ emulatorPort: emulator.port, env: portalEnv, startTimeoutMs: 60_000, stopGraceMs: 3000 });
  const stopPortal = onCleanup(`${label} portal`, () => portal.stop());
  log(`${label}: emulator ${emulator.url} (latency ${knobs.latencyMs} ms, ${knobs.rateLimit > 0 ? `rate limit ${knobs.rateLimit}/s, burst ${knobs.rateBurst}` : 'no rate limit'}), portal ${portal.url}`);
  return {
    emulator,
    portal,
    directory,
    rateBurst: knobs.rateBurst,
    portalEnv,
    stop: async () => {
      await stopPortal();
      await stopEmulator();
    },
  };
}

function expectedRoles(directory: Directory): number {
  return directory.assignments.filter((a) => a.userName === USER).length;
}

interface BrowserResult extends BrowserMeasurement {
  rateLimit: number;
  portalEnv: Record<string, string>;
  /** When the emulator answered the last ListAccounts/ListAccountRoles call of the page's listing, ms from navigation start. */
  serverListingDoneMs: number | undefined;
  /** When the emulator answered the page's first ListAccounts call, ms from navigation start. */
  firstPageAnsweredMs: number | undefined;
  /**
   * A returning person (a new session; their last listing kept): the page shows the kept listing at
   * once while a new one checks it. `floorMs`: the cold listing's floor, for the ratio.
   */
  returning: (ReturningVisit & { floorMs: number; ratioToFloor: number }) | undefined;
  /** The same organisation listed through the API alone, after the page. */
  apiListing: Pick<StreamMeasurement, 'status' | 'firstAccountsMs' | 'allAccountsMs' | 'allRolesMs' | 'failedRequests' | 'cached'> & { cpu: Record<string, number> };
}

interface Target {
  name: string;
  met: boolean | undefined;
  detail: string;
}

async function main(): Promise<number> {
  const parsed = parseBenchArgs(process.argv.slice(2));
  if ('help' in parsed) {
    console.log(USAGE);
    return 0;
  }
  if ('error' in parsed) {
    console.error(`${parsed.error}\n${USAGE}`);
    return 2;
  }
  const options: BenchOptions = parsed;
  const capMs = options.capS * 1000;
  const problems: string[] = [];
  const startedAt = new Date();

  await ensureProductionBuild(ROOT);

  // ---- Organisation, emulator, portal -----------------------------------------------------------------
  const directory = generateOrganisation({ accounts: options.accounts, rolesPerAccount: options.roles, seed: options.seed, users: [USER] });
  const rolesExpected = expectedRoles(directory);
  const portalEnv = { IDC_RATE_LIMIT: portalRate(options.rateLimit) };
  const listing = await startEnvironment('listing', directory, options.latencyMs, options.rateLimit, portalEnv);
  const refillMs = bucketRefillMs(options.rateLimit, listing.rateBurst);

  // ---- One ListAccounts call, directly with the SDK -------------------------------------------------
  const { accessToken } = await deviceFlowSignIn(listing.emulator, USER, { clientName: 'gatehouse-bench-baseline' });
  await sleep(refillMs);
  const listAccounts = await measureListAccountsCall(listing.emulator, accessToken);
  const first100BudgetMs = listAccounts.medianMs + TARGET_FIRST_100_EXTRA_MS;
  log(`one ListAccounts call (maxResults 100): ${ms(listAccounts.medianMs)} (median of ${listAccounts.samplesMs.map((v) => v.toFixed(1)).join(', ')} ms)`);

  // ---- Gatehouse end to end ---------------------------------------------------------------------------
  log(`signing in as ${USER} through the portal API …`);
  const client = await signInThroughPortal(listing.portal.url, listing.emulator, USER);
  await sleep(refillMs);
  log(`GET /api/accounts/stream (${count(options.accounts)} accounts × ${options.roles} roles) …`);
  const gatehouse: StreamMeasurement = await measureStream(client, listing.emulator, capMs, interrupted.signal);
  if (gatehouse.status === 404) problems.push('GET /api/accounts/stream answered 404: the route does not exist (yet)');
  else if (!gatehouse.completed) problems.push(`the Gatehouse listing did not complete (status ${gatehouse.status}${gatehouse.hitCap ? ', hit the cap' : ''})`);
  if (gatehouse.cached) problems.push('the Gatehouse listing came from the cache: the measurement is not a listing');
  const identityCalls = gatehouse.stats.calls.GetRoleCredentials ?? 0;
  const floor: Floor = computeFloor({ accounts: options.accounts, latencyMs: options.latencyMs, rateLimit: options.rateLimit, rateBurst: listing.rateBurst, identityCalls });
  const floorBaselines = computeFloor({ accounts: options.accounts, latencyMs: options.latencyMs, rateLimit: options.rateLimit, rateBurst: listing.rateBurst, identityCalls: 0 });
  const sequentialFloor = sequentialFloorMs({ accounts: options.accounts, latencyMs: options.latencyMs, rateLimit: options.rateLimit, rateBurst: listing.rateBurst, identityCalls: 0 });
  const ratioValue = gatehouse.allRolesMs !== undefined ? gatehouse.allRolesMs / floor.floorMs : undefined;
  log(`Gatehouse: all roles in ${ms(gatehouse.allRolesMs)}, floor ${ms(floor.floorMs)}, ratio ${ratio(gatehouse.allRolesMs, floor.floorMs)}, throttled ${gatehouse.stats.throttled}`);

  // ---- Baselines ----------------------------------------------------------------------------------------
  const baselines: { sequential?: BaselineResult; parallel?: BaselineResult } = {};
  if (!options.skipBaselines) {
    for (const name of ['sequential', 'unbounded parallel'] as const) {
      await sleep(refillMs);
      log(`baseline: ${name} SDK script …`);
      const result = await runBaseline(listing.emulator, accessToken, name, capMs, interrupted.signal);
      if (name === 'sequential') baselines.sequential = result;
      else baselines.parallel = result;
      log(`baseline ${name}: ${ms(result.totalMs)}, ${result.roles} roles, ${result.failedCalls} failed, ${result.stats.throttled} throttled${result.hitCap ? ' (hit the cap)' : ''}`);
    }
  }
  await listing.stop();

  // ---- Browser ------------------------------------------------------------------------------------------
  let browserResult: BrowserResult | undefined;
  let browserError: string | undefined;
  if (!options.skipBrowser) {
    try {
      const bigDirectory = generateOrganisation({ accounts: options.browserAccounts, rolesPerAccount: options.roles, seed: options.seed, users: [USER] });
      const browserPortalEnv = { IDC_RATE_LIMIT: portalRate(options.browserRateLimit), IDC_MAX_CONCURRENCY: '32' };
      // When the emulator answered the last portal call: when the server side of the page's listing ended.
      // And when it answered the first ListAccounts: from there on, the first row is the page's work.
      let lastPortalCallAt = 0;
      let firstListAccountsAt = 0;
      const big = await startEnvironment('browser', bigDirectory, options.latencyMs, options.browserRateLimit, browserPortalEnv, (line) => {
        if (!/ (ListAccounts|ListAccountRoles)$/.test(line)) return;
        lastPortalCallAt = Date.now();
        if (firstListAccountsAt === 0 && line.endsWith(' ListAccounts')) firstListAccountsAt = lastPortalCallAt;
      });
      // Warm the routes the page uses (a first request loads the route's code), as any running portal is.
      await fetch(`${big.portal.url}/accounts`, { redirect: 'manual' });
      await fetch(`${big.portal.url}/api/accounts/stream`, { redirect: 'manual' });
      const apiClient = await signInThroughPortal(big.portal.url, big.emulator, USER);
      const cookie = apiClient.cookies.get(SESSION_COOKIE);
      if (!cookie) throw new Error('no session cookie after the API sign-in');
      log('launching Chromium …');
      const browser: Browser = await launchChromium();
      onCleanup('Chromium', () => browser.close());
      const firstPageNames = indexDirectory(bigDirectory).accountsOf(USER).slice(0, 100).map((a) => a.accountName);
      log(`opening /accounts (${count(options.browserAccounts)} accounts) and typing "${options.query}" …`);
      const measured = await measureBrowser(browser, {
        portalUrl: big.portal.url,
        sessionCookie: cookie,
        accounts: options.browserAccounts,
        firstPageNames,
        query: options.query,
        keyDelayMs: options.keyDelayMs,
        timeoutMs: Math.min(capMs, 300_000),
      });
      const serverListingDoneMs = lastPortalCallAt > 0 ? lastPortalCallAt - measured.loading.timeOrigin : undefined;
      const firstPageAnsweredMs = firstListAccountsAt > 0 ? firstListAccountsAt - measured.loading.timeOrigin : undefined;
      // The same listing through the API alone (an explicit refresh, so not from the cache): what the page adds.
      log('the same listing through the API (POST /api/accounts/refresh) …');
      const cpuBefore = cpuSnapshot();
      const api = await measureStream(apiClient, big.emulator, capMs, interrupted.signal, 'refresh');
      const apiCpu = cpuUsedBetween(cpuBefore, cpuSnapshot());
      // A returning person: signs in again (a new session, which checks the kept listing it shows at once).
      log('a returning person: signing in again and opening /accounts …');
      // The API listing just spent the rate budget; the returning visit starts with it refilled.
      await sleep(bucketRefillMs(options.browserRateLimit, big.rateBurst));
      const returningClient = await signInThroughPortal(big.portal.url, big.emulator, USER);
      const returningCookie = returningClient.cookies.get(SESSION_COOKIE);
      if (!returningCookie) throw new Error('no session cookie after the second API sign-in');
      const visit = await measureReturningVisit(browser, {
        portalUrl: big.portal.url,
        sessionCookie: returningCookie,
        accounts: options.browserAccounts,
        timeoutMs: Math.min(capMs, 300_000),
      });
      const browserFloorMs = computeFloor({
        accounts: options.browserAccounts,
        latencyMs: options.latencyMs,
        rateLimit: options.browserRateLimit,
        rateBurst: big.rateBurst,
        identityCalls: 0,
      }).floorMs;
      log(`returning person: every role on screen in ${ms(visit.allRolesMs)} (${ratio(visit.allRolesMs, browserFloorMs)} of the cold floor ${ms(browserFloorMs)}); "${visit.summary}"`);
      browserResult = {
        returning: { ...visit, floorMs: browserFloorMs, ratioToFloor: visit.allRolesMs / browserFloorMs },
        ...measured,
        rateLimit: options.browserRateLimit,
        portalEnv: browserPortalEnv,
        serverListingDoneMs,
        firstPageAnsweredMs,
        apiListing: {
          status: api.status,
          firstAccountsMs: api.firstAccountsMs,
          allAccountsMs: api.allAccountsMs,
          allRolesMs: api.allRolesMs,
          failedRequests: api.failedRequests,
          cached: api.cached,
          cpu: apiCpu,
        },
      };
    } catch (error) {
      // The first line says what failed; the end of a long message (a server's output) says why.
      const lines = error instanceof Error ? error.message.split('\n') : [String(error)];
      browserError = lines.length > 12 ? [...lines.slice(0, 1), '…', ...lines.slice(-10)].join('\n') : lines.join('\n');
      problems.push(`browser step: ${browserError}`);
    } finally {
      await cleanup();
    }
  }

  // ---- Targets ------------------------------------------------------------------------------------------
  const targets: Target[] = [
    {
      name: `all roles within ${TARGET_RATIO} × floor`,
      met: ratioValue === undefined ? undefined : ratioValue <= TARGET_RATIO,
      detail: `${ms(gatehouse.allRolesMs)} / ${ms(floor.floorMs)} = ${ratio(gatehouse.allRolesMs, floor.floorMs)}`,
    },
    { name: 'no failed requests', met: gatehouse.completed ? gatehouse.failedRequests === 0 : undefined, detail: `${gatehouse.failedRequests} failed` },
    {
      name: `first 100 accounts within one ListAccounts call + ${TARGET_FIRST_100_EXTRA_MS} ms`,
      met: gatehouse.first100AccountsMs === undefined ? undefined : gatehouse.first100AccountsMs <= first100BudgetMs,
      detail: `${ms(gatehouse.first100AccountsMs)} ≤ ${ms(first100BudgetMs)}`,
    },
  ];
  if (!options.skipBrowser) {
    targets.push(
      {
        name: `filter under ${TARGET_FILTER_MS} ms per keystroke (slowest keystroke)`,
        met: browserResult?.filter ? browserResult.filter.maxMs < TARGET_FILTER_MS : undefined,
        detail: browserResult?.filter ? `max ${ms(browserResult.filter.maxMs)}, p95 ${ms(browserResult.filter.p95Ms)}` : 'not measured',
      },
      {
        name: 'first-load JavaScript ≤ 200 KB gzipped',
        met: browserResult ? browserResult.firstLoadJs.gzipBytes <= TARGET_FIRST_LOAD_JS_BYTES : undefined,
        detail: browserResult ? kb(browserResult.firstLoadJs.gzipBytes) : 'not measured',
      },
      {
        name: `returning person: every role on screen within ${TARGET_WARM_MS} ms of navigation`,
        met: browserResult?.returning ? browserResult.returning.allRolesMs <= TARGET_WARM_MS : undefined,
        detail: browserResult?.returning
          ? `${ms(browserResult.returning.allRolesMs)}; ${ratio(browserResult.returning.allRolesMs, browserResult.returning.floorMs)} of the cold floor (${ms(browserResult.returning.floorMs)})`
          : 'not measured',
      },
    );
  }

  // ---- Results --------------------------------------------------------------------------------------------
  const results = {
    generatedAt: startedAt.toISOString(),
    durationS: Math.round((Date.now() - startedAt.getTime()) / 1000),
    machine: { node: process.version, cpus: os.cpus().length, platform: `${os.platform()} ${os.arch()}` },
    accounts: options.accounts,
    /** Roles per account (the --roles parameter). */
    roles: options.roles,
    rolesExpected,
    rolesCounted: gatehouse.roles,
    latencyMs: options.latencyMs,
    rateLimit: options.rateLimit,
    rateBurst: listing.rateBurst,
    seed: options.seed,
    portalLimiter: { IDC_RATE_LIMIT: portalEnv.IDC_RATE_LIMIT, IDC_MAX_CONCURRENCY: `default (${PORTAL_DEFAULT_CONCURRENCY})` },
    listAccountsCallMs: listAccounts.medianMs,
    listAccountsCallSamplesMs: listAccounts.samplesMs,
    first100BudgetMs,
    firstAccountsMs: gatehouse.firstAccountsMs,
    first100AccountsMs: gatehouse.first100AccountsMs,
    allAccountsMs: gatehouse.allAccountsMs,
    allRolesMs: gatehouse.allRolesMs,
    floorMs: floor.floorMs,
    ratio: ratioValue,
    /** A returning person with the browser step's organisation: navigation → every role on screen (their kept listing). */
    warmAllRolesMs: browserResult?.returning?.allRolesMs,
    warmRatioToFloor: browserResult?.returning?.ratioToFloor,
    failedRequests: gatehouse.failedRequests,
    throttled: gatehouse.stats.throttled,
    floor,
    floorWithoutIdentityMs: floorBaselines.floorMs,
    gatehouse,
    baselines: {
      sequential: baselines.sequential ? { ...baselines.sequential, floorMs: sequentialFloor } : undefined,
      unboundedParallel: baselines.parallel ? { ...baselines.parallel, floorMs: floorBaselines.floorMs } : undefined,
    },
    browser: options.skipBrowser ? { skipped: true } : (browserResult ?? { error: browserError }),
    targets,
    problems,
  };

  const tables = buildTables(options, results.rateBurst, {
    gatehouse,
    floor,
    floorBaselines,
    sequentialFloor,
    listAccountsMs: listAccounts.medianMs,
    first100BudgetMs,
    rolesExpected,
    baselines,
    browser: browserResult,
    browserError,
    targets,
  });
  const heading = `Gatehouse bench: ${count(options.accounts)} accounts × ${options.roles} roles, ${options.latencyMs} ms latency per call, emulator rate limit ${options.rateLimit > 0 ? `${options.rateLimit} requests/s (burst ${listing.rateBurst})` : 'off'}`;
  const limiterLine = `The portal's own limiter is set to the AWS limit it faces: IDC_RATE_LIMIT=${portalEnv.IDC_RATE_LIMIT}${options.rateLimit > 0 ? '' : ' (its maximum: the emulator has no limit)'}, IDC_MAX_CONCURRENCY default (${PORTAL_DEFAULT_CONCURRENCY}).`;
  const machine = `Measured ${startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC on ${os.cpus().length} CPUs, Node ${process.version}; \`npm run bench\`.`;

  console.log(`\n${heading}\n${limiterLine}\n`);
  console.log(tables.map(renderText).join('\n\n'));
  for (const problem of problems) console.log(`\n! ${problem}`);

  const outDir = path.resolve(ROOT, options.out);
  mkdirSync(outDir, { recursive: true });
  writeFileSync(path.join(outDir, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(path.join(outDir, 'latest.md'), `${[`### ${heading}`, '', limiterLine, machine, '', tables.map(renderMarkdown).join('\n\n')].join('\n')}\n`);
  console.log(`\nWrote ${path.relative(ROOT, path.join(outDir, 'latest.json'))} and ${path.relative(ROOT, path.join(outDir, 'latest.md'))}.`);

  const couldNotRun = gatehouse.status === 404 || gatehouse.status === 0 || (!options.skipBrowser && browserResult === undefined);
  return couldNotRun ? 1 : 0;
}

interface TableInput {
  gatehouse: StreamMeasurement;
  floor: Floor;
  floorBaselines: Floor;
  sequentialFloor: number;
  listAccountsMs: number;
  first100BudgetMs: number;
  rolesExpected: number;
  baselines: { sequential?: BaselineResult; parallel?: BaselineResult };
  browser: BrowserResult | undefined;
  browserError: string | undefined;
  targets: Target[];
}

function cpuText(cpu: Record<string, number>): string {
  if (Object.keys(cpu).length === 0) return '—';
  return ['Chromium', 'portal (next-server)', 'bench + emulator (this process)'].map((name) => (cpu[name] ?? 0).toFixed(1)).join(' / ');
}

function portalCalls(calls: Record<string, number>): number {
  return (calls.ListAccounts ?? 0) + (calls.ListAccountRoles ?? 0) + (calls.GetRoleCredentials ?? 0);
}

function buildTables(options: BenchOptions, rateBurst: number, t: TableInput): Table[] {
  const g = t.gatehouse;
  const gTotal = g.allRolesMs;
  const tables: Table[] = [];

  const comparison: Table = {
    title: 'Full listing of every account and role, same emulator and organisation',
    headers: ['Client', 'Total time', 'vs its floor', 'vs Gatehouse', 'Accounts', 'Roles', 'Failed', 'Throttled (429)', 'Portal API calls'],
    rows: [
      [
        'Gatehouse (portal, end to end)',
        ms(gTotal),
        ratio(gTotal, t.floor.floorMs),
        ratio(gTotal, gTotal),
        `${count(g.accounts)} / ${count(options.accounts)}`,
        `${count(g.roles)} / ${count(t.rolesExpected)}`,
        count(g.failedRequests),
        count(g.stats.throttled),
        count(portalCalls(g.stats.calls)),
      ],
    ],
    notes: [],
  };
  for (const b of [t.baselines.sequential, t.baselines.parallel]) {
    if (!b) continue;
    const floorMs = b.name === 'sequential' ? t.sequentialFloor : t.floorBaselines.floorMs;
    // A run that did not get every role finished early by failing: its time is not a listing's time.
    const incomplete = b.roles < t.rolesExpected ? ' (incomplete)' : '';
    comparison.rows.push([
      `${b.name === 'sequential' ? 'Sequential' : 'Unbounded parallel'} SDK script${b.hitCap ? ' (hit the cap)' : ''}`,
      ms(b.totalMs),
      ratio(b.totalMs, floorMs) + incomplete,
      ratio(b.totalMs, gTotal) + incomplete,
      `${count(b.accounts)} / ${count(options.accounts)}`,
      `${count(b.roles)} / ${count(t.rolesExpected)}`,
      count(b.failedCalls + b.abortedCalls),
      count(b.stats.throttled),
      count(portalCalls(b.stats.calls)),
    ]);
    const errors = Object.entries(b.errors).map(([name, n]) => `${name} ×${n}`);
    if (errors.length > 0) comparison.notes?.push(`${b.name}: failed after the SDK's retries: ${errors.join(', ')}`);
  }
  comparison.notes?.push(
    `Failed: Gatehouse = roles-error + error events (+ non-2xx); scripts = calls still failing after the SDK's default retries${t.baselines.sequential?.hitCap || t.baselines.parallel?.hitCap ? ', plus calls cut off by the cap' : ''}. Portal API calls include retries.`,
    `Floors: Gatehouse ${ms(t.floor.floorMs)} (${count(t.floor.limitedCalls)} rate-limited calls, incl. ${t.floor.identityCalls} GetRoleCredentials for the user name); parallel script ${ms(t.floorBaselines.floorMs)} (no GetRoleCredentials); sequential script ${ms(t.sequentialFloor)} (also at least (P + N) × L, one call after the other).`,
  );
  tables.push(comparison);

  tables.push({
    title: 'Gatehouse detail (times from sending GET /api/accounts/stream)',
    headers: ['Measure', 'Value', 'Compared with', 'Ratio', 'Target', 'Met'],
    rows: [
      ['First accounts shown', ms(g.firstAccountsMs), `one ListAccounts call, SDK direct: ${ms(t.listAccountsMs)}`, ratio(g.firstAccountsMs, t.listAccountsMs), '—', '—'],
      ['First 100 accounts', ms(g.first100AccountsMs), `one ListAccounts call + 300 ms: ${ms(t.first100BudgetMs)}`, ratio(g.first100AccountsMs, t.first100BudgetMs), '≤ 1.00×', yesNo(g.first100AccountsMs === undefined ? undefined : g.first100AccountsMs <= t.first100BudgetMs)],
      ['All accounts (accounts-complete)', ms(g.allAccountsMs), `all-accounts floor: ${ms(t.floor.allAccountsFloorMs)}`, ratio(g.allAccountsMs, t.floor.allAccountsFloorMs), '—', '—'],
      ['All roles (done)', ms(g.allRolesMs), `floor: ${ms(t.floor.floorMs)}`, ratio(g.allRolesMs, t.floor.floorMs), `≤ ${TARGET_RATIO}×`, yesNo(g.allRolesMs === undefined ? undefined : g.allRolesMs / t.floor.floorMs <= TARGET_RATIO)],
      ['Floor', ms(t.floor.floorMs), `bound by the ${t.floor.boundBy}; rate ${ms(t.floor.rateBoundMs)}, paging ${ms(t.floor.pagingBoundMs)}`, '—', '—', '—'],
      ['Roles counted', count(g.roles), `expected ${count(t.rolesExpected)}`, ratio(g.roles, t.rolesExpected), '1.00×', yesNo(g.roles === t.rolesExpected)],
      ['Failed requests', count(g.failedRequests), `${g.rolesErrors} roles-error, ${g.errors} error, status ${g.status}`, '—', '0', yesNo(g.completed ? g.failedRequests === 0 : undefined)],
      ['Throttled by the emulator', count(g.stats.throttled), `sequential script: ${count(t.baselines.sequential?.stats.throttled)}`, '—', '—', '—'],
    ],
    notes: [
      `floorMs = max(P × L, max(0, (M − B) / R) × 1000) + L with P = ${t.floor.pages} ListAccounts pages, M = ${t.floor.limitedCalls} rate-limited calls (P + ${t.floor.roleCalls} ListAccountRoles + ${t.floor.identityCalls} GetRoleCredentials; STS GetCallerIdentity excluded: not rate-limited), L = ${options.latencyMs} ms, R = ${options.rateLimit}/s, B = ${rateBurst}.`,
      `Emulator calls in this phase: ${Object.entries(g.stats.calls).map(([op, n]) => `${op} ${n}`).join(', ') || 'none'}.`,
      ...(g.errorMessages.length > 0 ? [`Errors: ${g.errorMessages.join(' | ')}`] : []),
    ],
  });

  if (!options.skipBrowser) {
    const b = t.browser;
    const dist = (d: { maxMs: number; medianMs: number; p95Ms: number } | undefined) => (d ? `${ms(d.maxMs)} / ${ms(d.medianMs)} / ${ms(d.p95Ms)}` : '—');
    tables.push({
      title: `Accounts page in Chromium, ${count(options.browserAccounts)} accounts (emulator rate limit ${options.browserRateLimit > 0 ? `${options.browserRateLimit}/s` : 'off'}, latency ${options.latencyMs} ms)`,
      headers: ['Measure', 'Value', 'Compared with', 'Ratio', 'Target', 'Met'],
      rows: b
        ? [
            [`Filter per keystroke, max / median / p95 (${b.filter?.count ?? 0} of ${b.keystrokes} keystrokes, "${b.query}")`, dist(b.filter), `target ${TARGET_FILTER_MS} ms`, ratio(b.filter?.maxMs, TARGET_FILTER_MS), `< ${TARGET_FILTER_MS} ms`, yesNo(b.filter ? b.filter.maxMs < TARGET_FILTER_MS : undefined)],
            [`Input to next paint (Event Timing), max / median / p95 (${b.inputToPaint?.count ?? 0} keystrokes ≥ 16 ms)`, dist(b.inputToPaint), `target ${TARGET_FILTER_MS} ms`, ratio(b.inputToPaint?.maxMs, TARGET_FILTER_MS), '—', '—'],
            ['Long tasks while typing (count, longest)', `${b.longTasks.typing.count}, ${ms(b.longTasks.typing.maxMs)}`, `while loading: ${b.longTasks.load.count}, ${ms(b.longTasks.load.maxMs)}`, '—', '—', '—'],
            ['First account row visible (from navigation start)', ms(b.firstRowMs), `API alone, first accounts: ${ms(b.apiListing.firstAccountsMs)}`, ratio(b.firstRowMs, b.apiListing.firstAccountsMs), '—', '—'],
            [
              'Page load: HTML first byte / DOMContentLoaded / stream requested / stream first byte / first ListAccounts answered',
              `${ms(b.loading.htmlFirstByteMs)} / ${ms(b.loading.domContentLoadedMs)} / ${ms(b.loading.streamRequestStartMs)} / ${ms(b.loading.streamFirstByteMs)} / ${ms(b.firstPageAnsweredMs)}`,
              'from navigation start',
              '—',
              '—',
              '—',
            ],
            ['Listing complete on the page (all roles)', ms(b.listingCompleteMs), `API alone, all roles: ${ms(b.apiListing.allRolesMs)}`, ratio(b.listingCompleteMs, b.apiListing.allRolesMs), '—', '—'],
            ...(b.returning
              ? [
                  [
                    'Returning person: every role on screen (kept listing, checked in the background)',
                    ms(b.returning.allRolesMs),
                    `cold floor: ${ms(b.returning.floorMs)}`,
                    ratio(b.returning.allRolesMs, b.returning.floorMs),
                    `≤ ${TARGET_WARM_MS} ms`,
                    yesNo(b.returning.allRolesMs <= TARGET_WARM_MS),
                  ],
                  ['Returning person: the check done (no progress shown)', ms(b.returning.checkedMs), '—', '—', '—', '—'],
                ]
              : []),
            ['CPU s while the page lists: Chromium / portal / bench+emulator', cpuText(b.cpuWhileListing), `of ${os.cpus().length} × ${ms(b.listingCompleteMs)} available`, '—', '—', '—'],
            ['CPU s while the API alone lists: Chromium / portal / bench+emulator', cpuText(b.apiListing.cpu), `of ${os.cpus().length} × ${ms(b.apiListing.allRolesMs)} available`, '—', '—', '—'],
            [
              'Listing on the page: last AWS answer / last byte in the browser',
              `${ms(b.serverListingDoneMs)} / ${ms(b.loading.streamEndMs)}`,
              'from navigation start',
              '—',
              '—',
              '—',
            ],
            [
              `First-load JavaScript, gzipped (${b.firstLoadJs.scripts.length} script chunks in the HTML)`,
              kb(b.firstLoadJs.gzipBytes),
              `target 200 KB (raw ${kb(b.firstLoadJs.bytes)}${b.firstLoadJs.noModule.scripts.length > 0 ? `; noModule polyfills not loaded: ${kb(b.firstLoadJs.noModule.gzipBytes)}` : ''})`,
              ratio(b.firstLoadJs.gzipBytes, TARGET_FIRST_LOAD_JS_BYTES),
              '≤ 200 KB',
              yesNo(b.firstLoadJs.gzipBytes <= TARGET_FIRST_LOAD_JS_BYTES),
            ],
            [`All JavaScript loaded, gzipped (${b.allJs.count} scripts)`, kb(b.allJs.gzipBytes), `first load: ${kb(b.firstLoadJs.gzipBytes)}`, ratio(b.allJs.gzipBytes, b.firstLoadJs.gzipBytes), '—', '—'],
          ]
        : [['Browser step', 'failed', (t.browserError ?? 'unknown error').split('\n')[0]?.slice(0, 100) ?? '', '—', '—', '—']],
      notes: b?.notes.length ? b.notes : undefined,
    });
  }

  tables.push({
    title: 'Targets',
    headers: ['Target', 'Met', 'Measured'],
    rows: t.targets.map((target) => [target.name, yesNo(target.met), target.detail]),
  });
  return tables;
}

main()
  .then(async (code) => {
    await cleanup();
    process.exit(code);
  })
  .catch(async (error: unknown) => {
    console.error(`[bench] could not run: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    await cleanup();
    process.exit(1);
  });
