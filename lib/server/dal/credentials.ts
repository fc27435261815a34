import 'server-only';

import { audit } from '@/lib/server/audit';
import { type RoleCredentials, userNameFromArn } from '@/lib/server/aws/portal';
import { AwsCallError, awsErrorKind } from '@/lib/server/aws/retry';
import { getConfig } from '@/lib/server/env';
import { metrics } from '@/lib/server/metrics';
import { portalServices } from '@/lib/server/services';
import { isoSeconds } from '@/lib/shared/credential-formats';

import { IdentityCenterUnauthorizedError, UnknownAccountError } from './listing';
import type { Person } from './person';

/**
 * Role credentials and console sign-in for the signed-in person. Each is fetched only on an
 * explicit request, checked against the person's own assignments first (no call to AWS for a role
 * they do not have), never cached, and audited.
 */

export class RoleNotAssignedError extends Error {
  /** What was asked for, for the audit record. */
  readonly attempt: { accountId: string; roleName: string };

  constructor(accountId: string, roleName: string) {
    super('You do not have that role in that account.');
    this.attempt = { accountId, roleName };
    this.name = 'RoleNotAssignedError';
  }
}

/** Identity Center could not hand out credentials now (throttled or unavailable). */
export class CredentialsUnavailableError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super('Identity Center did not hand out credentials just now. Try again in a few seconds.');
    this.name = 'CredentialsUnavailableError';
  }
}

async function assertAssigned(person: Person, accountId: string, roleName: string): Promise<void> {
  let roles: string[];
  try {
    roles = await portalServices(person.instance).listing.roles(person, accountId);
  } catch (error) {
    if (error instanceof UnknownAccountError) throw new RoleNotAssignedError(accountId, roleName);
    throw error;
  }
  if (!roles.includes(roleName)) throw new RoleNotAssignedError(accountId, roleName);
}

/** Role credentials after the assignment check, without the audit record (callers write their own). */
export async function roleCredentials(person: Person, accountId: string, roleName: string): Promise<RoleCredentials> {
  await assertAssigned(person, accountId, roleName);
  let credentials: RoleCredentials;
  try {
    credentials = await portalServices(person.instance).portal.getRoleCredentials(await person.accessToken(), accountId, roleName, {
      owner: person.owner,
      priority: 'interactive',
    });
  } catch (error) {
    const kind = awsErrorKind(error);
    if (kind === 'unauthorized') {
      await person.onUnauthorized();
      throw new IdentityCenterUnauthorizedError();
    }
    if (kind === 'forbidden' || kind === 'not_found') throw new RoleNotAssignedError(accountId, roleName);
    if (kind === 'throttled' || kind === 'transient') {
      const wait = error instanceof AwsCallError && error.retryAfterMs ? Math.ceil(error.retryAfterMs / 1000) : 5;
      throw new CredentialsUnavailableError(wait);
    }
    throw error;
  }
  // A hand-out names the person it went to: when the session's user is not known yet, these very
  // credentials tell who it is. Behind an authenticating proxy nothing is handed out before that
  // user is known to be the person the proxy vouches for.
  if (!person.userName) {
    const guarded = getConfig().trustedIdentityHeader !== undefined;
    let userName: string | null = null;
    try {
      const identity = await portalServices(person.instance).portal.getCallerIdentity(credentials, person.instance.ssoRegion);
      userName = userNameFromArn(identity.arn);
    } catch (error) {
      if (guarded) throw error;
      // STS did not answer: the hand-out goes ahead, recorded under the session until the name is known.
    }
    if (userName) {
      await person.onIdentity(userName);
      person.userName = userName;
    } else if (guarded) {
      throw new IdentityCenterUnauthorizedError();
    }
  }
  return credentials;
}

/**
 * What every hand-out leaves behind: the metric, the audit record (the access key id, never a
 * secret), and the role among the person's recently used ones.
 */
export async function recordHandOut(
  person: Person,
  kind: 'credentials' | 'console',
  accountId: string,
  roleName: string,
  credentials: RoleCredentials,
): Promise<void> {
  metrics().handOuts.inc({ identity_center: person.instance.key, kind });
  await audit({
    event: kind === 'credentials' ? 'credentials_issued' : 'console_signin',
    user: person.userName,
    accountId,
    roleName,
    accessKeyId: credentials.accessKeyId,
    expiration: isoSeconds(credentials.expiration),
    instance: person.instance.id,
    session: person.sessionRef,
    requestId: person.requestId,
  });
  if (person.userName) {
    await portalServices(person.instance)
      .favorites.used(person.instance.id, person.userName, accountId, roleName)
      .catch(() => undefined);
  }
}

export async function issueCredentials(person: Person, accountId: string, roleName: string): Promise<RoleCredentials> {
  const credentials = await roleCredentials(person, accountId, roleName);
  await recordHandOut(person, 'credentials', accountId, roleName, credentials);
  return credentials;
}
