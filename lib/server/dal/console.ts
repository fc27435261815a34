import 'server-only';

import { z } from 'zod';

import type { IdentityCenterInstance } from '@/lib/server/core/config';
import { GatehouseError } from '@/lib/server/core/errors';
import { logger } from '@/lib/server/core/log';
import { services } from '@/lib/server/services';
import type { Viewer } from '@/lib/server/viewer';
import { accountIdSchema, roleNameSchema } from '@/lib/shared/accounts';
import { isConsoleDestination, regionOfDestination } from '@/lib/shared/console-destination';
import type { ConsoleSessionHours } from '@/lib/shared/console-session';
import { regionSchema } from '@/lib/shared/credential-formats';
import { consoleSessionHoursSchema } from '@/lib/shared/credentials-api';
import { consoleHostOf, partitionOf, REGION_PATTERN } from '@/lib/shared/partitions';

import { recordHandOut, roleCredentials } from './credentials';
import { refusingWithAudit } from './refusal-audit';

/**
 * Console sign-in through the federation endpoint (SIGNIN_URL): role credentials become a sign-in
 * token, and the token a login URL that opens the console for the role.
 */

const FEDERATION_TIMEOUT_MS = 10_000;

const signinTokenSchema = z.object({ SigninToken: z.string().min(1).max(8192) });

/** A console region or page of another AWS partition than the instance's Identity Center (a 400). */
function otherPartition(message: string): GatehouseError {
  return new GatehouseError('bad_request', message);
}

const PARTITION_NAMES: Record<string, string> = {
  aws: 'the AWS commercial regions',
  'aws-us-gov': 'AWS GovCloud (US)',
  'aws-cn': 'the AWS China regions',
  'aws-eusc': 'the AWS European Sovereign Cloud',
};

/**
 * The region the console opens in: the one asked for, else the one the destination page names
 * (its host's region prefix, else its `region` parameter), else the instance's default. It must be
 * in the partition of the instance's Identity Center: role credentials work nowhere else.
 */
export function consoleRegion(instance: IdentityCenterInstance, region: string | undefined, destination: string | undefined): string {
  const chosen = region ?? (destination ? regionOfDestination(destination) : undefined) ?? instance.consoleRegion;
  const home = partitionOf(instance.ssoRegion);
  if (partitionOf(chosen).id !== home.id) {
    const name = PARTITION_NAMES[home.id] ?? `the ${home.id} partition`;
    throw otherPartition(
      `This portal's Identity Center is in ${name}, and its roles open the console only there: choose a region of ${name}.`,
    );
  }
  return chosen;
}

/**
 * The console page to land on: a path (`/ec2/home`) or a console URL, with the region set. A
 * regional console URL of another region is moved to the region's own host. Anything that is not a
 * console page is refused by the caller's schema before it gets here.
 */
export function consoleDestination(region: string, destination: string | undefined): string {
  const partition = partitionOf(region);
  const host = partition.consoleHost;
  if (host === undefined) {
    throw otherPartition(`The ${partition.id} partition has no public console to open.`);
  }
  let url: URL;
  if (!destination) {
    url = new URL(`https://${host}/console/home`);
  } else if (destination.startsWith('/')) {
    url = new URL(destination, `https://${host}`);
  } else {
    url = new URL(destination);
    if (consoleHostOf(url.hostname) !== host) {
      const name = PARTITION_NAMES[partition.id] ?? `the ${partition.id} partition`;
      throw otherPartition(`That console page belongs to another AWS partition: the console opens in ${name} here.`);
    }
    const prefix = url.hostname === host ? '' : url.hostname.slice(0, -(host.length + 1));
    if (REGION_PATTERN.test(prefix) && prefix !== region) url.hostname = `${region}.${host}`;
  }
  url.searchParams.set('region', region);
  return url.toString();
}

/** A destination people may ask for: a path on the console, or an https console URL. */
export const destinationSchema = z
  .string()
  .refine(isConsoleDestination, 'a console path such as /ec2/home, or an https URL on the AWS console');

/** A console sign-in asked for by the browser (`/api/console`) or the terminal (`/api/cli/console`). */
export const consoleRequestSchema = z.strictObject({
  accountId: accountIdSchema,
  roleName: roleNameSchema,
  region: regionSchema.optional(),
  destination: destinationSchema.optional(),
  /** The console session's length; remembered for the person when given. */
  sessionHours: consoleSessionHoursSchema.optional(),
});

function federationUnavailable(): GatehouseError {
  return new GatehouseError('upstream_unavailable', 'The AWS sign-in endpoint did not answer. Try again in a few seconds.');
}

async function signinToken(
  signinUrl: string,
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string },
  sessionHours: ConsoleSessionHours | undefined,
  requestId: string,
): Promise<string> {
  const url = new URL(signinUrl);
  url.searchParams.set('Action', 'getSigninToken');
  // Without it, the console session lasts as long as the credentials.
  if (sessionHours !== undefined) url.searchParams.set('SessionDuration', String(sessionHours * 3600));
  url.searchParams.set(
    'Session',
    JSON.stringify({
      sessionId: credentials.accessKeyId,
      sessionKey: credentials.secretAccessKey,
      sessionToken: credentials.sessionToken,
    }),
  );
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(FEDERATION_TIMEOUT_MS), cache: 'no-store', redirect: 'error' });
  } catch {
    throw federationUnavailable();
  }
  if (!response.ok) {
    logger().warn({ event: 'federation_failed', status: response.status, requestId });
    throw federationUnavailable();
  }
  const parsed = signinTokenSchema.safeParse(await response.json().catch(() => null));
  if (!parsed.success) throw federationUnavailable();
  return parsed.data.SigninToken;
}

export interface ConsoleSignIn {
  url: string;
  /** The console session's length, when the person chose one (now or before). */
  sessionHours?: ConsoleSessionHours;
}

/**
 * A console login URL for one of the person's roles. A session length given is remembered for
 * the person; without one, the remembered length applies (none: as long as the credentials).
 */
export async function consoleSignIn(
  viewer: Viewer,
  input: {
    accountId: string;
    roleName: string;
    region?: string;
    destination?: string;
    sessionHours?: ConsoleSessionHours;
  },
): Promise<ConsoleSignIn> {
  // Checked before anything is asked of AWS.
  const destination = consoleDestination(consoleRegion(viewer.instance, input.region, input.destination), input.destination);
  const person = await viewer.person();
  const credentials = await refusingWithAudit(viewer, () => roleCredentials(person, input.accountId, input.roleName));
  const { consolePreferences } = services().of(person.instance);
  const sessionHours = input.sessionHours ?? (await consolePreferences.read(person.instance.id, person.userName)).sessionHours;
  const token = await signinToken(person.instance.signinUrl, credentials, sessionHours, person.requestId);
  const login = new URL(person.instance.signinUrl);
  login.searchParams.set('Action', 'login');
  // Where an expired console session sends the person: the portal, as PUBLIC_URL names it.
  login.searchParams.set('Issuer', new URL(viewer.config.publicUrl).origin);
  login.searchParams.set('Destination', destination);
  login.searchParams.set('SigninToken', token);
  await recordHandOut(person, 'console', input.accountId, input.roleName, credentials);
  if (input.sessionHours !== undefined && person.userName) {
    await consolePreferences.remember(person.instance.id, person.userName, { sessionHours: input.sessionHours });
  }
  return { url: login.toString(), sessionHours };
}

/** The console session length the person chose last, for the page. */
export async function rememberedConsoleHours(session: { instance: IdentityCenterInstance; user?: string }): Promise<ConsoleSessionHours | undefined> {
  return (await services().of(session.instance).consolePreferences.read(session.instance.id, session.user)).sessionHours;
}
