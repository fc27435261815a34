import { z } from 'zod';

import { revokeTerminal } from '@/lib/server/dal/terminal-sessions';
import { jsonResponse, otherMethods } from '@/lib/server/http/api';
import { apiRoute } from '@/lib/server/http/route';

export const dynamic = 'force-dynamic';

/** Revokes one of the person's terminal sessions (from their Activity page). */
export const POST = apiRoute({ body: z.strictObject({ handle: z.string().regex(/^[0-9a-f]{16}$/) }) }, async ({ viewer, body }) => {
  await revokeTerminal(viewer, body.handle);
  return jsonResponse({ revoked: true });
});

/** Every other method: a 405 in the API's error shape. */
export const { GET, PUT, DELETE, PATCH, OPTIONS } = otherMethods('POST');
