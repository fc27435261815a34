import 'server-only';

import { type RoleCredentials, userNameFromArn } from '@/lib/server/aws/portal';
import { awsErrorKind, retryHintMs } from '@/lib/server/aws/retry';
import { GatehouseError, hasCode } from '@/lib/server/core/errors';
import { metrics } from '@/lib/server/core/metrics';
import { services } from '@/lib/server/services';
import type { Person, Viewer } from '@/lib/server/viewer';
import {
  type CredentialFormat,
  type CredentialsDTO,
  formatCredentials,
  isoSeconds,
  type FormatOptions,
  UnsafeCredentialValueError,
} from '@/lib/shared/credential-formats';

import { refusingWithAudit } from './refusal-audit';

/**
 * Role credentials for the signed-in person, on an explicit request only: checked against the
 * person's own assignments first (no call to AWS for a role they do not have), never cached, and
 * audited with the person named.
 */

function notAssigned(accountId: string, roleName: string): GatehouseError {
  return new GatehouseError('forbidden', 'You do not have that role in that account.', { attempt: { accountId, roleName } });
}

/** The role is the person's (their listing says so), or a `forbidden` error that names the attempt. */
export async function assertAssigned(person: Person, accountId: string, roleName: string): Promise<void> {
  let roles: string[];
  try {
    roles = await services().of(person.instance).listing.roles(person, accountId);
  } catch (error) {
    if (hasCode(error, 'not_found')) throw notAssigned(accountId, roleName);
    throw error;
  }
  if (!roles.includes(roleName)) throw notAssigned(accountId, roleName);
}

/** Role credentials after the assignment check, without the audit record (callers write their own). */
export async function roleCredentials(person: Person, accountId: string, roleName: string): Promise<RoleCredentials> {
  await assertAssigned(person, accountId, roleName);
  const { portal } = services().of(person.instance);
  let credentials: RoleCredentials;
  try {
    credentials = await portal.getRoleCredentials(await person.accessToken(), accountId, roleName, { owner: person.owner, priority: 'interactive' });
  } catch (error) {
    if (hasCode(error)) throw error;
    const kind = awsErrorKind(error);
    if (kind === 'unauthorized') {
      await person.onUnauthorized();
      throw new GatehouseError('session_ended', undefined, { reason: 'unauthorized' });
    }
    if (kind === 'forbidden' || kind === 'not_found') throw notAssigned(accountId, roleName);
    if (kind === 'throttled' || kind === 'transient') {
      const hint = retryHintMs(error);
      const wait = hint ? Math.ceil(hint / 1000) : 5;
      throw new GatehouseError('upstream_unavailable', 'Identity Center did not hand out credentials just now. Try again in a few seconds.', {
        retryAfterSeconds: wait,
      });
    }
    throw error;
  }
  // A hand-out names the person it went to: when the session's user is not known yet, these very
  // credentials tell who it is. Behind an authenticating proxy nothing is handed out before that
  // user is known to be the person the proxy vouches for.
  if (!person.userName) {
    const guarded = services().config.trustedIdentityHeader !== undefined;
    let userName: string | null = null;
    try {
      userName = userNameFromArn((await portal.getCallerIdentity(credentials, person.instance.ssoRegion)).arn);
    } catch (error) {
      if (guarded) throw error;
      // STS did not answer: the hand-out goes ahead, recorded under the session until the name is known.
    }
    if (userName) {
      await person.onIdentity(userName);
      person.userName = userName;
    } else if (guarded) {
      throw new GatehouseError('session_ended', undefined, { reason: 'unauthorized' });
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
  options: { cached?: boolean } = {},
): Promise<void> {
  metrics().handOuts.inc({ identity_center: person.instance.key, kind });
  const terminal = person.via === 'bearer';
  await services().audit.record(
    {
      event: kind === 'credentials' ? 'credentials_issued' : 'console_signin',
      ...(terminal ? { via: 'terminal' as const, cached: options.cached ?? false } : {}),
      user: person.userName,
      accountId,
      roleName,
      accessKeyId: credentials.accessKeyId,
      expiration: isoSeconds(credentials.expiration),
      instance: person.instance.id,
      session: person.sessionRef,
      ...person.client,
      requestId: person.requestId,
    },
    // A terminal asks again for every `aws` command: its hand-outs of one access key are one entry of the trail, counted.
    terminal && kind === 'credentials' ? { repeatOf: `${person.sessionRef}\n${accountId}/${roleName}\n${credentials.accessKeyId}` } : {},
  );
  if (person.userName) {
    await services()
      .of(person.instance)
      .favorites.used(person.instance.id, person.userName, accountId, roleName)
      .catch(() => undefined);
  }
}

/** Credentials for one of the person's roles, audited; a 403 (audited) for a role they do not have. */
export async function issueCredentials(viewer: Viewer, input: { accountId: string; roleName: string }): Promise<CredentialsDTO> {
  const person = await viewer.person();
  const credentials = await refusingWithAudit(viewer, () => roleCredentials(person, input.accountId, input.roleName));
  await recordHandOut(person, 'credentials', input.accountId, input.roleName, credentials);
  return {
    accessKeyId: credentials.accessKeyId,
    secretAccessKey: credentials.secretAccessKey,
    sessionToken: credentials.sessionToken,
    expiration: isoSeconds(credentials.expiration),
  };
}

/** The credentials as text in a format; values the format cannot carry safely are Identity Center's fault (502). */
export function credentialsText(credentials: CredentialsDTO, format: CredentialFormat, options: FormatOptions): string {
  try {
    return formatCredentials(credentials, format, options);
  } catch (error) {
    if (error instanceof UnsafeCredentialValueError) throw new GatehouseError('upstream_invalid', error.message);
    throw error;
  }
}
