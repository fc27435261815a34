import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { accountsOfUser, rolesOfUser } from '../../emulator/directory';
import { createEmulator, type RunningEmulator } from '../../emulator/server';
import { emulatorAdmin } from '../../scripts/support/emulator-admin';
import { type RunningPortal, startPortal } from '../../scripts/support/portal-process';
import { type RunningRedis, startRedis } from '../../scripts/support/redis';
import { auditLines, until } from '../support/api-session';
import { cli, terminalLogin } from '../support/terminal-api';

/**
 * One call to Identity Center per burst of `gatehouse` commands: twenty at once for the same person
 * and role (a script's parallel `aws` commands) cost one GetRoleCredentials and all get the same
 * credentials, in one portal and across two portals sharing Redis; the next burst is answered from
 * the portal's cache within every budget; and a portal that dies while it fetches blocks the others
 * no longer than its lock's short lease.
 */

const BURST = 20;
const LATENCY_MS = 250;

interface Role {
  accountId: string;
  roleName: string;
}

/** The developer's roles in their `index`-th account (as the directory lists them), sorted. */
function developerRoles(emulator: RunningEmulator, index: number): Role[] {
  const account = accountsOfUser(emulator.ctx.directory, 'developer')[index]!;
  return [...rolesOfUser(emulator.ctx.directory, 'developer', account.accountId)].sort().map((roleName) => ({ accountId: account.accountId, roleName }));
}

/** BURST simultaneous credential requests of one terminal, spread over the portals in turn: each answer's status and access key id. */
async function burst(portals: RunningPortal[], token: string, role: Role): Promise<{ statuses: number[]; keys: Set<string> }> {
  const answers = await Promise.all(
    Array.from({ length: BURST }, async (_, index) => {
      const response = await cli(portals[index % portals.length]!, '/api/cli/credentials', token, role);
      const body = (await response.json()) as { accessKeyId?: string };
      return { status: response.status, key: body.accessKeyId };
    }),
  );
  return { statuses: answers.map((answer) => answer.status), keys: new Set(answers.flatMap((answer) => (answer.key ? [answer.key] : []))) };
}

/**
 * A burst for one role of the person, then right after a burst for their other role in the same
 * account (a script's parallel `aws` commands with one profile, then another), with 250 ms of
 * Identity Center latency: each burst one GetRoleCredentials, one key, twenty answers.
 */
async function twoBursts(emulator: RunningEmulator, portals: RunningPortal[], token: string, roles: Role[]): Promise<void> {
  const admin = emulatorAdmin(emulator);
  // The listing the hand-outs are checked against, made first (the command's sign-in starts it).
  expect((await cli(portals[0]!, '/api/cli/accounts', token)).status).toBe(200);
  const from = portals.map((portal) => auditLines(portal.output()).length);
  const keyOf = new Map<string, string>();
  await admin.knobs({ latencyMs: LATENCY_MS });
  try {
    await admin.resetStats();
    for (const [index, role] of roles.entries()) {
      const seen = await burst(portals, token, role);
      keyOf.set(role.roleName, [...seen.keys][0]!);
      expect({ role: role.roleName, statuses: seen.statuses, keys: seen.keys.size, getRoleCredentials: (await admin.calls()).GetRoleCredentials ?? 0 }).toEqual({
        role: role.roleName,
        statuses: Array(BURST).fill(200),
        keys: 1,
        getRoleCredentials: index + 1,
      });
    }
  } finally {
    await admin.knobs({ latencyMs: 0 });
  }
  // Every hand-out is in the audit trail as a terminal's: one per burst reached Identity Center, the rest did not.
  const issued = await until(`${roles.length * BURST} hand-outs in the audit trail`, () => {
    const lines = portals.flatMap((portal, index) => auditLines(portal.output()).slice(from[index]).filter((line) => line.event === 'credentials_issued'));
    return lines.length >= roles.length * BURST ? lines : undefined;
  });
  expect(issued).toHaveLength(roles.length * BURST);
  for (const role of roles) {
    const ofRole = issued.filter((line) => line.roleName === role.roleName);
    expect(ofRole).toHaveLength(BURST);
    expect(ofRole.filter((line) => line.cached === false)).toHaveLength(1);
    expect(new Set(ofRole.map((line) => `${line.user} ${line.via} ${line.accountId} ${line.accessKeyId}`))).toEqual(
      new Set([`developer terminal ${role.accountId} ${keyOf.get(role.roleName)}`]),
    );
  }
}

describe('a burst of credential requests, one portal (SQLite)', () => {
  let emulator: RunningEmulator;
  let portal: RunningPortal;

  beforeAll(async () => {
    emulator = await createEmulator({ port: 0 });
    portal = await startPortal({ emulatorPort: emulator.port });
  });
  afterAll(async () => {
    await portal?.stop();
    await emulator?.close();
  });

  it('twenty at once cost one GetRoleCredentials and get one key; twenty for another role right after are all answered too', async () => {
    const token = await terminalLogin(portal, emulator, 'developer');
    await twoBursts(emulator, [portal], token, developerRoles(emulator, 0));
  });

  it('a person\'s terminals share the credentials: a second terminal is handed the first one\'s', async () => {
    const role = developerRoles(emulator, 1)[0]!;
    const [one, two] = [await terminalLogin(portal, emulator, 'developer'), await terminalLogin(portal, emulator, 'developer')];
    expect((await cli(portal, '/api/cli/accounts', one)).status).toBe(200);
    const admin = emulatorAdmin(emulator);
    await admin.resetStats();
    const keys = [];
    for (const token of [one, two]) {
      const answer = await cli(portal, '/api/cli/credentials', token, role);
      expect(answer.status).toBe(200);
      keys.push(((await answer.json()) as { accessKeyId: string }).accessKeyId);
    }
    expect(keys[1]).toBe(keys[0]);
    expect((await admin.calls()).GetRoleCredentials ?? 0).toBe(1);
  });
});

describe('a burst of credential requests, two portals sharing Redis', () => {
  let emulator: RunningEmulator;
  let redis: RunningRedis;
  let first: RunningPortal;
  let second: RunningPortal;
  const env = () => ({ REDIS_URL: redis.url, SESSION_SECRET: 'shared-secret-for-the-burst-portals-0123456789' });

  beforeAll(async () => {
    emulator = await createEmulator({ port: 0 });
    redis = await startRedis();
    [first, second] = await Promise.all([startPortal({ emulatorPort: emulator.port, env: env() }), startPortal({ emulatorPort: emulator.port, env: env() })]);
  });
  afterAll(async () => {
    await first?.stop();
    await second?.stop();
    await redis?.stop();
    await emulator?.close();
  });

  it('twenty at once, half to each portal, cost one GetRoleCredentials and get one key; twenty for another role right after are all answered too', async () => {
    const token = await terminalLogin(first, emulator, 'developer');
    await twoBursts(emulator, [first, second], token, developerRoles(emulator, 0));
  });

  it('a portal killed while it fetches does not block the other: its lease runs out and the waiting request is answered', { timeout: 90_000 }, async () => {
    const doomed = await startPortal({ emulatorPort: emulator.port, env: env() });
    try {
      const token = await terminalLogin(first, emulator, 'developer');
      // A role nothing has fetched yet, so the doomed portal has to ask Identity Center.
      const role = developerRoles(emulator, 2)[0]!;
      expect((await cli(first, '/api/cli/accounts', token)).status).toBe(200);
      const admin = emulatorAdmin(emulator);
      await admin.resetStats();
      await admin.knobs({ latencyMs: 4_000 });
      try {
        const lost = cli(doomed, '/api/cli/credentials', token, role).then(
          (response) => response.status,
          () => 'connection lost',
        );
        // The doomed portal holds the fetch: its GetRoleCredentials is at Identity Center.
        await until('the doomed portal\'s GetRoleCredentials to be in flight', async () => (((await admin.calls()).GetRoleCredentials ?? 0) >= 1 ? true : undefined));
        const waiting = cli(second, '/api/cli/credentials', token, role);
        process.kill(doomed.pid!, 'SIGKILL');
        const answer = await waiting;
        const body = (await answer.json()) as { accessKeyId?: string; expiration?: string };
        expect(answer.status, JSON.stringify(body)).toBe(200);
        expect(body.accessKeyId).toMatch(/^ASIA/);
        expect(await lost).toBe('connection lost');
        // The dead portal's call, and the one the waiting portal made once the lease ran out.
        expect((await admin.calls()).GetRoleCredentials).toBe(2);
      } finally {
        await admin.knobs({ latencyMs: 0 });
      }
    } finally {
      await doomed.stop();
    }
  });
});
