import 'server-only';

import { z } from 'zod';

import { logger } from '@/lib/server/log';
import { isConsoleDestination } from '@/lib/shared/console-destination';

import { recordHandOut, roleCredentials } from './credentials';
import type { Person } from './person';

/**
 * Console sign-in through the federation endpoint (SIGNIN_URL): role credentials become a sign-in
 * token, and the token a login URL that opens the console for the role.
 */

const FEDERATION_TIMEOUT_MS = 10_000;

const signinTokenSchema = z.object({ SigninToken: z.string().min(1).max(8192) });

function consoleHostFor(region: string): string {
  if (region.startsWith('cn-')) return 'console.amazonaws.cn';
  if (region.startsWith('us-gov-')) return 'console.amazonaws-us-gov.com';
  return 'console.aws.amazon.com';
}

/**
 * The console page to land on: a path (`/ec2/home`) or a console URL, with the region set.
 * Anything else is refused by the caller's schema before it gets here.
 */
export function consoleDestination(region: string, destination: string | undefined): string {
  const host = consoleHostFor(region);
  let url: URL;
  if (!destination) {
    url = new URL(`https://${host}/console/home`);
  } else if (destination.startsWith('/')) {
    url = new URL(destination, `https://${host}`);
  } else {
    url = new URL(destination);
  }
  url.searchParams.set('region', region);
  return url.toString();
}

/** A destination people may ask for: a path on the console, or an https console URL. */
export const destinationSchema = z
  .string()
  .refine(isConsoleDestination, 'a console path such as /ec2/home, or an https URL on the AWS console');

export class FederationUnavailableError extends Error {
  constructor() {
    super('The AWS sign-in endpoint did not answer. Try again in a few seconds.');
    this.name = 'FederationUnavailableError';
  }
}

async function signinToken(
  signinUrl: string,
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string },
  requestId: string,
): Promise<string> {
  const url = new URL(signinUrl);
  url.searchParams.set('Action', 'getSigninToken');
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
    throw new FederationUnavailableError();
  }
  if (!response.ok) {
    logger().warn({ event: 'federation_failed', status: response.status, requestId });
    throw new FederationUnavailableError();
  }
  const parsed = signinTokenSchema.safeParse(await response.json().catch(() => null));
  if (!parsed.success) throw new FederationUnavailableError();
  return parsed.data.SigninToken;
}

export async function consoleSignIn(
  person: Person,
  input: { accountId: string; roleName: string; region?: string; destination?: string; issuer: string },
): Promise<string> {
  const credentials = await roleCredentials(person, input.accountId, input.roleName);
  const token = await signinToken(person.instance.signinUrl, credentials, person.requestId);
  const region = input.region ?? person.instance.consoleRegion;
  const login = new URL(person.instance.signinUrl);
  login.searchParams.set('Action', 'login');
  login.searchParams.set('Issuer', input.issuer);
  login.searchParams.set('Destination', consoleDestination(region, input.destination));
  login.searchParams.set('SigninToken', token);
  await recordHandOut(person, 'console', input.accountId, input.roleName, credentials);
  return login.toString();
}
