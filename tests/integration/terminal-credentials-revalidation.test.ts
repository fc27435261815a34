import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { accountsOfUser, rolesOfUser } from '../../emulator/directory';
import { createEmulator, type RunningEmulator } from '../../emulator/server';
import { adminRequest, emulatorAdmin } from '../../scripts/support/emulator-admin';
import { type RunningPortal, startPortal } from '../../scripts/support/portal-process';
import { auditLines, expectApiError, until } from '../support/api-session';
import { cli, terminalLogin } from '../support/terminal-api';

/**
 * Credentials the portal keeps for a person's terminals stop flowing within 60 s of Identity Center
 * ending the person's sessions or removing the role: a terminal asking every few seconds is
 * refused, and the person's listing learns the roles they have now.
 */

/** How often the terminals below ask: a script running `aws` every few seconds. */
const ASK_EVERY_MS = 3_000;
const WITHIN_MS = 60_000;

interface Role {
  accountId: string;
  roleName: string;
}

describe('cached credentials after Identity Center changes its mind', () => {
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

  const rolesIn = (index: number): Role[] => {
    const account = accountsOfUser(emulator.ctx.directory, 'developer')[index]!;
    return [...rolesOfUser(emulator.ctx.directory, 'developer', account.accountId)].sort().map((roleName) => ({ accountId: account.accountId, roleName }));
  };
  const handOut = async (token: string, role: Role): Promise<string> => {
    const answer = await cli(portal, '/api/cli/credentials', token, role);
    const text = await answer.text();
    expect(answer.status, text).toBe(200);
    return (JSON.parse(text) as { accessKeyId: string }).accessKeyId;
  };

  it(`stop within ${WITHIN_MS / 1000} s of Identity Center ending the person's sessions, for every terminal of theirs`, { timeout: 120_000 }, async () => {
    const role = rolesIn(0)[0]!;
    const terminals = [await terminalLogin(portal, emulator, 'developer'), await terminalLogin(portal, emulator, 'developer')];
    expect((await cli(portal, '/api/cli/accounts', terminals[0])).status).toBe(200);
    // Both terminals are handed credentials, and the portal keeps them.
    for (const token of terminals) await handOut(token, role);

    expect((await adminRequest(emulator.url, 'users/revoke-sessions', { userName: 'developer' })).status).toBe(200);
    const revokedAt = Date.now();
    const refusedAfter: (number | undefined)[] = [undefined, undefined];
    const last = await until(
      'both terminals to be refused',
      async () => {
        const answers = await Promise.all(terminals.map((token) => cli(portal, '/api/cli/credentials', token, role)));
        answers.forEach((answer, index) => {
          if (answer.status !== 200) refusedAfter[index] ??= Date.now() - revokedAt;
        });
        return answers.every((answer) => answer.status !== 200) ? answers : undefined;
      },
      { timeoutMs: WITHIN_MS, intervalMs: ASK_EVERY_MS },
    );
    for (const answer of last) await expectApiError(answer, 401, 'session_ended');
    console.log(`Identity Center ended the sessions: terminals refused after ${refusedAfter.map((ms) => `${((ms ?? 0) / 1000).toFixed(1)} s`).join(' and ')}`);
  });

  it(`stop within ${WITHIN_MS / 1000} s of Identity Center removing the role; the listing learns it, and the account's other role goes on`, { timeout: 120_000 }, async () => {
    const [removed, kept] = rolesIn(1);
    const token = await terminalLogin(portal, emulator, 'developer');
    expect((await cli(portal, '/api/cli/accounts', token)).status).toBe(200);
    await handOut(token, removed!);
    await handOut(token, kept!);

    const admin = emulatorAdmin(emulator);
    const original = structuredClone(emulator.ctx.directory);
    await admin.replaceDirectory({
      ...original,
      assignments: original.assignments.filter(
        (each) => !(each.userName === 'developer' && each.accountId === removed!.accountId && each.roleName === removed!.roleName),
      ),
    });
    try {
      const removedAt = Date.now();
      const from = auditLines(portal.output()).length;
      const refused = await until(
        'the removed role to be refused',
        async () => {
          const answer = await cli(portal, '/api/cli/credentials', token, removed);
          return answer.status === 200 ? undefined : answer;
        },
        { timeoutMs: WITHIN_MS, intervalMs: ASK_EVERY_MS },
      );
      const tookMs = Date.now() - removedAt;
      await expectApiError(refused, 403, 'forbidden');
      console.log(`Identity Center removed the role: refused after ${(tookMs / 1000).toFixed(1)} s`);
      // Refused as any role the person does not have: audited with what was asked.
      await until('the refusal in the audit trail', () =>
        auditLines(portal.output())
          .slice(from)
          .some((line) => line.event === 'authz_fail' && line.accountId === removed!.accountId && line.roleName === removed!.roleName)
          ? true
          : undefined,
      );
      // The person's listing has the account's roles as Identity Center lists them now.
      const listed = (await (await cli(portal, '/api/cli/accounts', token)).json()) as { accounts: { accountId: string; roles: string[] }[] };
      expect(listed.accounts.find((account) => account.accountId === removed!.accountId)?.roles).toEqual([kept!.roleName]);
      // The role still assigned is handed out as before.
      await handOut(token, kept!);
    } finally {
      await admin.replaceDirectory(original);
    }
  });
});
