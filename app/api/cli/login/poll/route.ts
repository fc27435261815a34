import { z } from 'zod';

import { pollTerminalLogin } from '@/lib/server/dal/terminal-sign-in';
import { jsonResponse, otherMethods } from '@/lib/server/http/api';
import { apiRoute } from '@/lib/server/http/route';

export const dynamic = 'force-dynamic';

/** One poll of a terminal's sign-in, with the login token as the bearer; approved, it answers the session's token. */
export const POST = apiRoute({ via: 'bearer', body: z.strictObject({}), budget: 'poll' }, async ({ viewer }) =>
  jsonResponse(await pollTerminalLogin(viewer)),
);

/** Every other method: a 405 in the API's error shape. */
export const { GET, PUT, DELETE, PATCH, OPTIONS } = otherMethods('POST');
