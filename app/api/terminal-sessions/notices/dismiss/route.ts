import { z } from 'zod';

import { dismissTerminalNotices } from '@/lib/server/dal/terminal-sessions';
import { jsonResponse, otherMethods } from '@/lib/server/http/api';
import { apiRoute } from '@/lib/server/http/route';

export const dynamic = 'force-dynamic';

/** The person has seen the notice of new terminal sign-ins. */
export const POST = apiRoute({ body: z.strictObject({}) }, async ({ viewer }) => {
  await dismissTerminalNotices(viewer);
  return jsonResponse({ dismissed: true });
});

/** Every other method: a 405 in the API's error shape. */
export const { GET, PUT, DELETE, PATCH, OPTIONS } = otherMethods('POST');
