import { NextResponse } from 'next/server';
import { z } from 'zod';

import { consoleSignIn, destinationSchema } from '@/lib/server/dal/console';
import { NO_STORE } from '@/lib/server/http/api';
import { linkRoute } from '@/lib/server/http/route';
import { accountIdSchema, roleNameSchema } from '@/lib/shared/accounts';
import type { ConsoleSessionHours } from '@/lib/shared/console-session';
import { regionSchema } from '@/lib/shared/credential-formats';

export const dynamic = 'force-dynamic';

/**
 * The console shortcut: one click (or a bookmark) from here to the AWS console for a role,
 * optionally in a region, on a service page and for a console session length
 * (`?region=eu-west-1&destination=/ec2/home&hours=8`). Signed-out people are sent to sign in and
 * come back here afterwards; failures are pages.
 */
export const GET = linkRoute(
  {
    params: z.object({ accountId: accountIdSchema, roleName: roleNameSchema }),
    query: z.object({
      region: regionSchema.optional(),
      destination: destinationSchema.optional(),
      /** The console session's length in hours (1, 4, 8 or 12); remembered for the person when given. */
      hours: z.enum(['1', '4', '8', '12']).transform((hours) => Number(hours) as ConsoleSessionHours).optional(),
    }),
    budget: 'console',
    invalid: 'The account id must be 12 digits, the role a role name, the region an AWS region, the destination a console page, and the hours 1, 4, 8 or 12.',
  },
  async ({ viewer, params, query }) => {
    const { url } = await consoleSignIn(viewer, { ...params, region: query.region, destination: query.destination, sessionHours: query.hours });
    return NextResponse.redirect(url, { status: 303, headers: NO_STORE });
  },
);
