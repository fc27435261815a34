/**
 * "The way a person would do it without Gatehouse": scripts with the AWS SDK v3 SSOClient and its default
 * retry settings (standard mode, 3 attempts, the SDK's own backoff and retry quota; default Node HTTP
 * handler, keep-alive, 50 sockets), pointed at the emulator.
 *   sequential:         page ListAccounts (maxResults 100), then ListAccountRoles account by account;
 *   unbounded parallel: the same paging, then every ListAccountRoles at once with Promise.allSettled.
 * A call that still fails after the SDK's retries is counted and the script goes on (kinder than a typical
 * script, which would stop at the first error).
 */
import { setMaxListeners } from 'node:events';

import { ListAccountRolesCommand, ListAccountsCommand, type AccountInfo } from '@aws-sdk/client-sso';

import type { RunningEmulator } from '../emulator/server';
import { emulatorAdmin, type EmulatorStats } from '../scripts/support/emulator-admin';
import { ssoClient } from '../scripts/support/emulator-sdk';

export type BaselineName = 'sequential' | 'unbounded parallel';

export interface BaselineResult {
  name: BaselineName;
  totalMs: number;
  accounts: number;
  roles: number;
  /** ListAccountRoles calls that still failed after the SDK's retries (ListAccounts failures included). */
  failedCalls: number;
  /** Calls never finished because the wall-time cap aborted them. */
  abortedCalls: number;
  /** The distinct error names and how often they were seen. */
  errors: Record<string, number>;
  hitCap: boolean;
  capMs: number;
  stats: EmulatorStats;
}

function errorName(error: unknown): string {
  if (error instanceof Error) return error.name === 'Error' ? error.message.slice(0, 80) : error.name;
  return 'non-error thrown';
}

function isAbort(error: unknown, signal: AbortSignal): boolean {
  return signal.aborted || (error instanceof Error && error.name === 'AbortError');
}

/** The time of one ListAccounts call (maxResults 100) on a warm connection: median of `samples` calls. */
export async function measureListAccountsCall(emulator: RunningEmulator, accessToken: string, samples = 3): Promise<{ medianMs: number; samplesMs: number[] }> {
  const client = ssoClient(emulator);
  try {
    await client.send(new ListAccountsCommand({ accessToken, maxResults: 100 })); // warm-up: connection, SDK init
    const samplesMs: number[] = [];
    for (let i = 0; i < samples; i += 1) {
      const started = performance.now();
      await client.send(new ListAccountsCommand({ accessToken, maxResults: 100 }));
      samplesMs.push(performance.now() - started);
    }
    const sorted = [...samplesMs].sort((a, b) => a - b);
    return { medianMs: sorted[Math.floor(sorted.length / 2)] ?? 0, samplesMs };
  } finally {
    client.destroy();
  }
}

export async function runBaseline(emulator: RunningEmulator, accessToken: string, name: BaselineName, capMs: number, stop?: AbortSignal): Promise<BaselineResult> {
  const admin = emulatorAdmin(emulator);
  await admin.resetStats();
  const client = ssoClient(emulator);
  const controller = new AbortController();
  const { signal } = controller;
  stop?.addEventListener('abort', () => controller.abort(), { once: true });
  setMaxListeners(0, signal); // every call of the parallel script listens to the one cap signal
  const timer = setTimeout(() => controller.abort(), capMs);
  const errors: Record<string, number> = {};
  let failedCalls = 0;
  let abortedCalls = 0;
  let roles = 0;
  const fail = (error: unknown) => {
    if (isAbort(error, signal)) {
      abortedCalls += 1;
      return;
    }
    failedCalls += 1;
    const key = errorName(error);
    errors[key] = (errors[key] ?? 0) + 1;
  };

  /** All roles of one account (following nextToken, although one page always suffices here). */
  async function rolesOf(accountId: string): Promise<number> {
    let count = 0;
    let nextToken: string | undefined;
    do {
      const out = await client.send(new ListAccountRolesCommand({ accessToken, accountId, maxResults: 100, nextToken }), { abortSignal: signal });
      count += out.roleList?.length ?? 0;
      nextToken = out.nextToken;
    } while (nextToken);
    return count;
  }

  const started = performance.now();
  const accounts: AccountInfo[] = [];
  try {
    let nextToken: string | undefined;
    try {
      do {
        const out = await client.send(new ListAccountsCommand({ accessToken, maxResults: 100, nextToken }), { abortSignal: signal });
        accounts.push(...(out.accountList ?? []));
        nextToken = out.nextToken;
      } while (nextToken);
    } catch (error) {
      fail(error); // the script cannot go on without the account list; it lists roles of what it has
    }
    const ids = accounts.flatMap((a) => (a.accountId ? [a.accountId] : []));
    if (name === 'sequential') {
      for (const [i, id] of ids.entries()) {
        if (signal.aborted) {
          abortedCalls += ids.length - i;
          break;
        }
        try {
          roles += await rolesOf(id);
        } catch (error) {
          fail(error);
        }
      }
    } else {
      const settled = await Promise.allSettled(ids.map((id) => rolesOf(id)));
      for (const result of settled) {
        if (result.status === 'fulfilled') roles += result.value;
        else fail(result.reason);
      }
    }
  } finally {
    clearTimeout(timer);
  }
  const totalMs = performance.now() - started;
  client.destroy();
  return { name, totalMs, accounts: accounts.length, roles, failedCalls, abortedCalls, errors, hitCap: signal.aborted, capMs, stats: await admin.stats() };
}
