import { z } from 'zod';

import { declineTerminalLogin } from '@/lib/server/dal/terminal-confirm';
import { jsonResponse, otherMethods } from '@/lib/server/http/api';
import { apiRoute } from '@/lib/server/http/route';
import { CONFIRM_ID_PATTERN } from '@/lib/shared/terminal-login-api';

export const dynamic = 'force-dynamic';

/** The signed-in person says the terminal is not theirs: its sign-in ends, audited, and the terminal is told. */
export const POST = apiRoute({ body: z.strictObject({ request: z.string().regex(CONFIRM_ID_PATTERN) }) }, async ({ viewer, body }) =>
  jsonResponse(await declineTerminalLogin(viewer, body.request)),
);

/** Every other method: a 405 in the API's error shape. */
export const { GET, PUT, DELETE, PATCH, OPTIONS } = otherMethods('POST');
