import { z } from 'zod';

import { confirmTerminalLogin, terminalLoginRequest } from '@/lib/server/dal/terminal-confirm';
import { jsonResponse, otherMethods } from '@/lib/server/http/api';
import { apiRoute } from '@/lib/server/http/route';
import { CONFIRM_ID_PATTERN } from '@/lib/shared/terminal-login-api';

export const dynamic = 'force-dynamic';

const request = z.string().regex(CONFIRM_ID_PATTERN);

/** Where a terminal's sign-in stands, for its confirmation page (which follows it to the end). */
export const GET = apiRoute(
  { query: z.object({ request }), invalid: 'request must be the id in the link your terminal printed.' },
  async ({ viewer, query }) => jsonResponse(await terminalLoginRequest(viewer, query.request)),
);

/** The signed-in person confirms that the terminal is theirs; the answer shows the Identity Center step. */
export const POST = apiRoute({ body: z.strictObject({ request }) }, async ({ viewer, body }) =>
  jsonResponse(await confirmTerminalLogin(viewer, body.request)),
);

/** Every other method: a 405 in the API's error shape. */
export const { PUT, DELETE, PATCH, OPTIONS } = otherMethods('GET', 'POST');
