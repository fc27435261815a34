import { z } from 'zod';

import { revokeAllTerminals } from '@/lib/server/dal/terminal-sessions';
import { jsonResponse, otherMethods } from '@/lib/server/http/api';
import { apiRoute } from '@/lib/server/http/route';

export const dynamic = 'force-dynamic';

/** Revokes every terminal session of the person (Revoke all terminals on the Activity page). */
export const POST = apiRoute({ body: z.strictObject({}) }, async ({ viewer }) => jsonResponse(await revokeAllTerminals(viewer)));

/** Every other method: a 405 in the API's error shape. */
export const { GET, PUT, DELETE, PATCH, OPTIONS } = otherMethods('POST');
