import { z } from 'zod';

import { startTerminalLogin } from '@/lib/server/dal/terminal-sign-in';
import { jsonResponse, otherMethods } from '@/lib/server/http/api';
import { apiRoute } from '@/lib/server/http/route';

export const dynamic = 'force-dynamic';

/** `gatehouse login`: starts a terminal's sign-in; the person confirms it at the answer's confirmUrl, and its loginToken polls it. */
export const POST = apiRoute({ via: 'bearer', body: z.strictObject({}), budget: 'sign-in' }, async ({ viewer }) =>
  jsonResponse(await startTerminalLogin(viewer)),
);

/** Every other method: a 405 in the API's error shape. */
export const { GET, PUT, DELETE, PATCH, OPTIONS } = otherMethods('POST');
