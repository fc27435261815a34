import { type NextRequest, NextResponse } from 'next/server';
import { z } from 'zod';

import { MalformedAnswerError } from '@/lib/server/aws/portal';
import { ConsolePartitionError, consoleSignIn, destinationSchema } from '@/lib/server/dal/console';
import { CredentialsUnavailableError, RoleNotAssignedError } from '@/lib/server/dal/credentials';
import { IdentityCenterUnauthorizedError, ListingFailedError } from '@/lib/server/dal/listing';
import { personFor } from '@/lib/server/dal/person';
import { getConfig } from '@/lib/server/env';
import { NO_STORE } from '@/lib/server/http/api';
import { auditRefusal } from '@/lib/server/http/handle';
import { UnknownInstanceError } from '@/lib/server/http/instance';
import { htmlError } from '@/lib/server/http/html-error';
import { overBudget } from '@/lib/server/http/rate-limit';
import { portalOrigin, requestIdOf } from '@/lib/server/http/request-guard';
import { logger } from '@/lib/server/log';
import { SessionEndedError, UpstreamUnavailableError } from '@/lib/server/session/session-manager';
import { StoreUnavailableError } from '@/lib/server/store/types';
import { accountIdSchema, roleNameSchema } from '@/lib/shared/accounts';
import type { ConsoleSessionHours } from '@/lib/shared/console-session';
import { regionSchema } from '@/lib/shared/credential-formats';

export const dynamic = 'force-dynamic';

const querySchema = z.object({
  region: regionSchema.optional(),
  destination: destinationSchema.optional(),
  /** The console session's length in hours (1, 4, 8 or 12); remembered for the person when given. */
  hours: z.enum(['1', '4', '8', '12']).transform((hours) => Number(hours) as ConsoleSessionHours).optional(),
});

/**
 * The console shortcut: one click (or a bookmark) from here to the AWS console for a role,
 * optionally in a region, on a service page and for a console session length
 * (`?region=eu-west-1&destination=/ec2/home&hours=8`).
 * Signed-out people are sent to sign in and come back here afterwards.
 */
export async function GET(request: NextRequest, context: { params: Promise<{ accountId: string; roleName: string }> }) {
  const params = await context.params;
  const accountId = accountIdSchema.safeParse(params.accountId);
  const roleName = roleNameSchema.safeParse(params.roleName);
  const query = querySchema.safeParse({
    region: request.nextUrl.searchParams.get('region') ?? undefined,
    destination: request.nextUrl.searchParams.get('destination') ?? undefined,
    hours: request.nextUrl.searchParams.get('hours') ?? undefined,
  });
  if (!accountId.success || !roleName.success || !query.success) {
    await auditRefusal('input_validation_fail', request);
    return htmlError(400, 'Not a console link', 'The account id must be 12 digits, the role a role name, the region an AWS region, the destination a console page, and the hours 1, 4, 8 or 12.');
  }
  try {
    // Inside the try: the budget is counted in the store, which may be unavailable.
    const limited = await overBudget(request, 'console');
    if (limited) {
      return htmlError(429, 'Too many requests', 'Wait a moment and try again.', { 'Retry-After': limited.headers.get('Retry-After') ?? '60' });
    }
    const person = await personFor(request);
    const { url } = await consoleSignIn(person, {
      accountId: accountId.data,
      roleName: roleName.data,
      region: query.data.region,
      destination: query.data.destination,
      sessionHours: query.data.hours,
      issuer: portalOrigin(getConfig()),
    });
    return NextResponse.redirect(url, { status: 303, headers: NO_STORE });
  } catch (error) {
    if (error instanceof SessionEndedError || error instanceof IdentityCenterUnauthorizedError) {
      const back = `${request.nextUrl.pathname}${request.nextUrl.search}`;
      const instance = request.nextUrl.searchParams.get('instance');
      const which = instance === null ? '' : `instance=${encodeURIComponent(instance)}&`;
      // A relative Location: the browser stays on the host it came by, where its cookies are.
      return new Response(null, { status: 303, headers: { ...NO_STORE, Location: `/sign-in?${which}next=${encodeURIComponent(back)}` } });
    }
    if (error instanceof UnknownInstanceError) {
      return htmlError(400, 'Not a console link', error.message);
    }
    if (error instanceof ConsolePartitionError) {
      await auditRefusal('input_validation_fail', request);
      return htmlError(400, 'Not a console link', error.message);
    }
    if (error instanceof RoleNotAssignedError) {
      await auditRefusal('authz_fail', request, error.attempt);
      return htmlError(403, 'No access', 'You do not have that role in that account.');
    }
    if (error instanceof CredentialsUnavailableError || (error instanceof Error && error.name === 'FederationUnavailableError')) {
      return htmlError(503, 'Try again', error instanceof Error ? error.message : 'Try again in a few seconds.');
    }
    if (error instanceof MalformedAnswerError) {
      return htmlError(502, 'Not opened', 'Identity Center answered in a form AWS does not document, so Gatehouse did not use the answer. Ask your administrator.');
    }
    if (error instanceof ListingFailedError || error instanceof UpstreamUnavailableError || error instanceof StoreUnavailableError) {
      return htmlError(503, 'Try again', 'IAM Identity Center or the session store did not answer. Try again in a few seconds.', { 'Retry-After': '5' });
    }
    logger().error({
      event: 'unexpected_error',
      errorName: error instanceof Error ? error.name : typeof error,
      path: '/console',
      requestId: requestIdOf(request),
    });
    return htmlError(500, 'Something went wrong', 'The console could not be opened. Try again.');
  }
}
