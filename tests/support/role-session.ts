/**
 * Test support for the STS and federation conformance suites: an in-process emulator on a fake clock,
 * and role credentials obtained the real way (device sign-in through the SSO OIDC SDK, then the SSO
 * SDK's GetRoleCredentials).
 */
import { GetRoleCredentialsCommand } from '@aws-sdk/client-sso';
import { STSClient } from '@aws-sdk/client-sts';
import type { RunningEmulator } from '../../emulator/server';
import type { EmulatorContext, RoleCredentialSession } from '../../emulator/types';
import { REGION, ssoClient } from '../../scripts/support/emulator-sdk';
import { FakeClock } from './clock';
import { signIn, startEmulator } from './emulator';

export interface RoleCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
}

export interface TestEmulator {
  url: string;
  ctx: EmulatorContext;
  clock: FakeClock;
  emulator: RunningEmulator;
  /**
   * Fresh role credentials from GetRoleCredentials for the directory's first assignment, plus the
   * session the emulator recorded for them (to derive the expected identity).
   */
  roleCredentials(): Promise<{ credentials: RoleCredentials; session: RoleCredentialSession }>;
  close(): Promise<void>;
}

export async function startTestEmulator(): Promise<TestEmulator> {
  const clock = new FakeClock();
  const emulator = await startEmulator({ clock });
  const assignment = emulator.ctx.directory.assignments[0];
  if (!assignment) throw new Error('the emulator directory has no assignments');
  let accessToken: Promise<string> | undefined;

  return {
    url: emulator.url,
    ctx: emulator.ctx,
    clock,
    emulator,
    async roleCredentials() {
      // One sign-in per emulator; every call then asks for a new set of role credentials.
      accessToken ??= signIn(emulator, assignment.userName).then((t) => t.accessToken);
      const out = await ssoClient(emulator).send(
        new GetRoleCredentialsCommand({
          accessToken: await accessToken,
          accountId: assignment.accountId,
          roleName: assignment.roleName,
        }),
      );
      const c = out.roleCredentials;
      if (!c?.accessKeyId || !c.secretAccessKey || !c.sessionToken || c.expiration === undefined) {
        throw new Error('GetRoleCredentials returned no credentials');
      }
      const session = emulator.ctx.roleCredentials.get(c.accessKeyId);
      if (!session) throw new Error('the emulator did not record the issued credentials');
      return {
        credentials: {
          accessKeyId: c.accessKeyId,
          secretAccessKey: c.secretAccessKey,
          sessionToken: c.sessionToken,
          expiration: new Date(c.expiration),
        },
        session,
      };
    },
    close: () => emulator.close(),
  };
}

/**
 * An STS client whose clock agrees with the emulator's fake clock, as a well-synced client's agrees
 * with AWS. One attempt, so a test sees the first answer.
 */
export function stsClient(
  emu: TestEmulator,
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
): STSClient {
  return new STSClient({
    region: REGION,
    endpoint: emu.url,
    credentials,
    systemClockOffset: emu.clock.now() - Date.now(),
    maxAttempts: 1,
  });
}
