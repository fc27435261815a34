import { z } from 'zod';

import { consoleSignIn, destinationSchema } from '@/lib/server/dal/console';
import { jsonResponse, otherMethods } from '@/lib/server/http/api';
import { apiRoute } from '@/lib/server/http/route';
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

/** `gatehouse console`: a console sign-in URL for one of the person's roles. */
export const POST = apiRoute({ via: 'bearer', body: consoleRequestSchema, budget: 'console' }, async ({ viewer, body }) => {
  const { url, sessionHours } = await consoleSignIn(viewer, body);
  return jsonResponse({ url, sessionHours } satisfies ConsoleResponse);
});

/** Every other method: a 405 in the API's error shape. */
export const { GET, PUT, DELETE, PATCH, OPTIONS } = otherMethods('POST');
