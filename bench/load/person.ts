/**
 * One simulated person's visit, as the load run plays it: sign in through the device flow (approved
 * on the emulator), list every account and role, take credentials for a few roles and a console
 * link on another portal than the one they signed in on, sign a terminal in and run
 * `gatehouse credential-process` a few times, then sign out. Every request is timed by route.
 */
import type { RunningEmulator } from '../../emulator/server';
import type { ListingEvent } from '../../lib/shared/accounts';
import { runCommand } from '../../scripts/support/gatehouse-cli';
import { PortalClient } from '../../scripts/support/portal-client';
import { confirmFromBrowser, type TerminalConfirmView } from '../../scripts/support/terminal-sign-in';

export interface Timing {
  route: string;
  ms: number;
  ok: boolean;
}

export interface PersonResult {
  userName: string;
  accounts: number;
  large: boolean;
  startedAt: number;
  /** From sending the listing request to the first 100 accounts (or all, for fewer). */
  firstAccountsMs?: number;
  /** From sending the listing request to its `done`. */
  allRolesMs?: number;
  listingStartedAt?: number;
  listingEndedAt?: number;
  /** AWS calls the listing needed: ListAccounts pages and one ListAccountRoles per account. */
  listingCalls: number;
  timings: Timing[];
  errors: string[];
}

export interface Visit {
  userName: string;
  accounts: number;
  large: boolean;
  /** The portal to sign in and list on, and the one to take credentials from (the same with one portal). */
  home: string;
  other: string;
  /** This person's address, as the load balancer in front of the portals reports it. */
  address: string;
  emulator: Pick<RunningEmulator, 'admin'>;
  credentials: number;
  cliRuns: number;
  /** The environment `gatehouse` runs in (PATH with the installed command, a home of its own). */
  cliEnv: NodeJS.ProcessEnv;
  signal: AbortSignal;
}

const PAGE_SIZE = 100;

async function timed<T>(result: PersonResult, route: string, run: () => Promise<{ ok: boolean; value: T; detail?: string }>): Promise<T | undefined> {
  const started = performance.now();
  try {
    const { ok, value, detail } = await run();
    result.timings.push({ route, ms: performance.now() - started, ok });
    if (!ok) result.errors.push(`${route}: ${detail ?? 'failed'}`);
    return ok ? value : undefined;
  } catch (error) {
    result.timings.push({ route, ms: performance.now() - started, ok: false });
    result.errors.push(`${route}: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

const okJson = async <T>(response: Response) => ({
  ok: response.ok,
  value: (response.ok ? await response.json() : undefined) as T,
  detail: response.ok ? undefined : `${response.status} ${(await response.text()).slice(0, 200)}`,
});

/** Polls a device flow at the pace the portal asks until it settles; each poll is timed. */
async function pollUntilSettled(result: PersonResult, route: string, poll: () => Promise<Response>, signal: AbortSignal): Promise<{ status: string; token?: string } | undefined> {
  for (;;) {
    if (signal.aborted) return undefined;
    const answer = await timed(result, route, async () => okJson<{ status: string; retryAfterMs?: number; token?: string }>(await poll()));
    if (!answer) return undefined;
    if (answer.status !== 'pending') return answer;
    await new Promise((resolve) => setTimeout(resolve, Math.min(Math.max(answer.retryAfterMs ?? 500, 200), 1000)));
  }
}

/** Reads the listing stream to its end; returns two roles per account seen, in order, for the hand-outs. */
async function list(result: PersonResult, client: PortalClient, signal: AbortSignal): Promise<{ accountId: string; roleName: string }[]> {
  const roles: { accountId: string; roleName: string }[] = [];
  const started = performance.now();
  result.listingStartedAt = Date.now();
  const wanted = Math.min(PAGE_SIZE, result.accounts);
  await timed(result, 'GET /api/accounts/stream (to done)', async () => {
    const response = await client.get('/api/accounts/stream', {}, { signal });
    if (!response.ok || !response.body) return { ok: false, value: undefined, detail: `${response.status}` };
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffered = '';
    let accounts = 0;
    let failed = 0;
    let done = false;
    while (!done) {
      const chunk = await reader.read();
      if (chunk.done) break;
      buffered += chunk.value;
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline).trim();
        buffered = buffered.slice(newline + 1);
        if (!line) continue;
        const event = JSON.parse(line) as ListingEvent;
        if (event.type === 'accounts') {
          accounts += event.accounts.length;
          if (result.firstAccountsMs === undefined && accounts >= wanted) result.firstAccountsMs = performance.now() - started;
        } else if (event.type === 'roles') {
          for (const role of event.roles.slice(0, 2)) roles.push({ accountId: event.accountId, roleName: role.roleName });
        } else if (event.type === 'roles-error' || event.type === 'error') {
          failed += 1;
          result.errors.push(`listing: ${event.type === 'error' ? event.message : `${event.accountId}: ${event.message}`}`);
        } else if (event.type === 'done') {
          result.allRolesMs = performance.now() - started;
          done = true;
        }
      }
    }
    await reader.cancel().catch(() => undefined);
    return { ok: done && failed === 0, value: undefined, detail: done ? `${failed} failed events` : 'the stream ended without done' };
  });
  result.listingEndedAt = Date.now();
  return roles;
}

export async function visit(person: Visit): Promise<PersonResult> {
  const result: PersonResult = {
    userName: person.userName,
    accounts: person.accounts,
    large: person.large,
    startedAt: Date.now(),
    listingCalls: Math.ceil(person.accounts / PAGE_SIZE) + person.accounts,
    timings: [],
    errors: [],
  };
  const { signal } = person;
  const headers = { 'x-forwarded-for': person.address };
  const home = new PortalClient(person.home, headers);

  // Sign in on the home portal.
  const started = await timed(result, 'POST /api/auth/device', async () => okJson<{ userCode: string }>(await home.post('/api/auth/device')));
  if (!started) return result;
  person.emulator.admin.approve(started.userCode, person.userName);
  const signedIn = await pollUntilSettled(result, 'POST /api/auth/device/poll', () => home.post('/api/auth/device/poll'), signal);
  if (signedIn?.status !== 'approved') return result;

  const roles = await list(result, home, signal);
  // The same session, on the other portal: credentials and the console from there.
  const elsewhere = home.on(person.other);
  const picked = roles.filter((_, index) => index % Math.max(1, Math.floor(roles.length / person.credentials)) === 0).slice(0, person.credentials);
  for (const role of picked) {
    await timed(result, 'POST /api/credentials', async () => okJson(await elsewhere.post('/api/credentials', role)));
  }
  if (picked[0]) await timed(result, 'POST /api/console', async () => okJson(await elsewhere.post('/api/console', picked[0])));

  // A terminal, signed in through the other portal; `gatehouse credential-process` run against the home portal.
  if (person.cliRuns > 0 && picked[0]) {
    const cli = (path: string, token?: string) =>
      fetch(`${person.other}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: '{}',
      });
    const login = await timed(result, 'POST /api/cli/login', async () => okJson<{ loginToken: string; confirmUrl: string }>(await cli('/api/cli/login')));
    // The person confirms the terminal in their browser (the session they signed in with), then approves its code.
    const confirmed = login
      ? await timed(result, 'POST /api/terminal/confirm', async () =>
          okJson<TerminalConfirmView>(await confirmFromBrowser(elsewhere, login.confirmUrl)),
        )
      : undefined;
    if (login && confirmed?.identityCenter) {
      person.emulator.admin.approve(confirmed.identityCenter.userCode, person.userName);
      const approved = await pollUntilSettled(result, 'POST /api/cli/login/poll', () => cli('/api/cli/login/poll', login.loginToken), signal);
      if (approved?.token) {
        const role = picked[0];
        for (let run = 0; run < person.cliRuns && !signal.aborted; run += 1) {
          await timed(result, 'gatehouse credential-process', async () => {
            const ran = await runCommand('gatehouse', ['credential-process', '--portal', person.home, '--account', role.accountId, '--role', role.roleName], {
              ...person.cliEnv,
              GATEHOUSE_TOKEN: approved.token,
            });
            return { ok: ran.code === 0 && ran.stdout.includes('"AccessKeyId"'), value: undefined, detail: ran.stderr.trim().slice(0, 200) };
          });
        }
        await timed(result, 'POST /api/cli/logout', async () => okJson(await cli('/api/cli/logout', approved.token)));
      }
    }
  }

  await timed(result, 'POST /api/auth/logout', async () => okJson(await home.post('/api/auth/logout')));
  return result;
}
