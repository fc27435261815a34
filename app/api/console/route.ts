import { consoleRequestSchema, consoleSignIn } from '@/lib/server/dal/console';
import { jsonResponse, otherMethods } from '@/lib/server/http/api';
import { apiRoute } from '@/lib/server/http/route';
import type { ConsoleResponse } from '@/lib/shared/credentials-api';

export const dynamic = 'force-dynamic';

/** A console sign-in URL for one of the person's roles (open it in a new tab). */
export const POST = apiRoute({ body: consoleRequestSchema, budget: 'console' }, async ({ viewer, body }) => {
  const { url, sessionHours } = await consoleSignIn(viewer, body);
  return jsonResponse({ url, sessionHours } satisfies ConsoleResponse);
});

/** Every other method: a 405 in the API's error shape. */
export const { GET, PUT, DELETE, PATCH, OPTIONS } = otherMethods('POST');
