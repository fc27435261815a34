import type { NextRequest } from 'next/server';
import { z } from 'zod';

import { consoleSignIn, destinationSchema } from '@/lib/server/dal/console';
import { personFor } from '@/lib/server/dal/person';
import { getConfig } from '@/lib/server/env';
import { jsonResponse, otherMethods } from '@/lib/server/http/api';
import { jsonPostRoute } from '@/lib/server/http/handle';
import { portalOrigin } from '@/lib/server/http/request-guard';
import { accountIdSchema, roleNameSchema } from '@/lib/shared/accounts';
import { regionSchema } from '@/lib/shared/credential-formats';
import { type ConsoleResponse, consoleSessionHoursSchema } from '@/lib/shared/credentials-api';

export const dynamic = 'force-dynamic';

const consoleRequestSchema = z.strictObject({
  accountId: accountIdSchema,
  roleName: roleNameSchema,
  region: regionSchema.optional(),
  destination: destinationSchema.optional(),
  /** The console session's length; remembered for the person when given. */
  sessionHours: consoleSessionHoursSchema.optional(),
});

/** A console sign-in URL for one of the person's roles (open it in a new tab). */
export const POST = jsonPostRoute(consoleRequestSchema, async (request: NextRequest, body) => {
  const person = await personFor(request);
  const { url, sessionHours } = await consoleSignIn(person, { ...body, issuer: portalOrigin(getConfig()) });
  return jsonResponse({ url, sessionHours } satisfies ConsoleResponse);
}, { limit: 'console' });

/** Every other method: a 405 in the API's error shape. */
export const { GET, PUT, DELETE, PATCH, OPTIONS } = otherMethods('POST');
