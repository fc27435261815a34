/** The Identity Center emulator's admin API (`/__emulator/…`) over HTTP, as tests, the bench and scripts call it; every answer parsed. */
import { z } from 'zod';

import type { forcedFaultsSchema, KnobsPatch } from '../../emulator/knobs';
import type { StatsSnapshot } from '../../emulator/runtime';
import type { Directory, EmulatorKnobs } from '../../emulator/types';

/** One admin call, answer unread: for callers that look at the answer itself (tests of the admin API, say). */
export function adminRequest(emulatorUrl: string, path: string, body?: unknown, method: 'POST' | 'PUT' = 'POST'): Promise<Response> {
  return fetch(
    `${emulatorUrl}/__emulator/${path}`,
    body === undefined ? {} : { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
  );
}

const count = z.number().int().min(0);

const statsSchema = z.object({
  since: z.string(),
  total: count,
  calls: z.record(z.string(), count),
  grants: z.record(z.string(), z.record(z.string(), count)),
  throttled: count,
  injectedErrors: count,
  droppedConnections: count,
}) satisfies z.ZodType<StatsSnapshot>;

export type EmulatorStats = z.infer<typeof statsSchema>;

const knobsSchema = z.object({
  latencyMs: z.number(),
  rateLimit: z.number(),
  rateBurst: z.number(),
  faultRate: z.number(),
  accessTokenTtlSeconds: z.number(),
  ssoSessionTtlSeconds: z.number(),
  deviceCodeTtlSeconds: z.number(),
  pollIntervalSeconds: z.number(),
  clientRegistrationTtlSeconds: z.number(),
  signinTokenTtlSeconds: z.number(),
  roleCredentialTtlSeconds: z.number(),
}) satisfies z.ZodType<EmulatorKnobs>;

const faultsSchema = z.object({ throttle: count, error: count, drop: count, accountId: z.string().nullable() });

export type ForcedFaults = z.input<typeof forcedFaultsSchema>;

/** The admin API of the emulator at `emulator.url`; a call the emulator refuses throws, naming what it said. */
export function emulatorAdmin(emulator: { url: string }) {
  const call = async <T>(schema: z.ZodType<T>, path: string, body?: unknown, method?: 'POST' | 'PUT'): Promise<T> => {
    const response = await adminRequest(emulator.url, path, body, method);
    const text = await response.text();
    if (response.status !== 200) throw new Error(`emulator ${method ?? 'GET'} /__emulator/${path} answered ${response.status}: ${text}`);
    return schema.parse(JSON.parse(text));
  };
  return {
    /** The call counters since the last reset. */
    stats: () => call(statsSchema, 'stats'),
    /** The AWS API calls since the last reset, by operation (ListAccounts, GetRoleCredentials, Logout, STS…). */
    calls: async () => (await call(statsSchema, 'stats')).calls,
    resetStats: () => call(statsSchema, 'stats/reset', {}),
    /** Reads the knobs, or changes the ones `patch` names; the knobs as they are now. */
    knobs: (patch?: KnobsPatch) => call(knobsSchema, 'knobs', patch),
    /** Reads the forced faults, or sets the ones given; the forced faults as they are now. */
    faults: (faults?: ForcedFaults) => call(faultsSchema, 'faults', faults),
    /** Replaces the directory, as an administrator changing assignments under signed-in people. */
    replaceDirectory: (directory: Directory) => call(z.object({ status: z.literal('replaced') }), 'directory', directory, 'PUT'),
    approve: (userCode: string, userName: string) => call(z.object({ status: z.literal('approved') }), 'device/approve', { userCode, userName }),
    /** The user codes waiting for a decision, oldest first, with the client that asked. */
    pending: () => call(z.object({ pending: z.array(z.object({ userCode: z.string(), clientName: z.string(), createdAt: z.string() })) }), 'device/pending'),
  };
}

export type EmulatorAdmin = ReturnType<typeof emulatorAdmin>;
