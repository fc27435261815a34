import { z } from 'zod';

import { signOutTerminal } from '@/lib/server/dal/terminal-sign-in';
import { jsonResponse, otherMethods } from '@/lib/server/http/api';
import { apiRoute } from '@/lib/server/http/route';

export const dynamic = 'force-dynamic';

/** `gatehouse logout`: Logout at Identity Center, and the terminal session deleted. */
export const POST = apiRoute({ via: 'bearer', body: z.strictObject({}) }, async ({ viewer }) => {
  await signOutTerminal(viewer);
  return jsonResponse({ signedOut: true });
});

/** Every other method: a 405 in the API's error shape. */
export const { GET, PUT, DELETE, PATCH, OPTIONS } = otherMethods('POST');
