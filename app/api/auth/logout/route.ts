import { z } from 'zod';

import { signOut } from '@/lib/server/dal/sign-in';
import { jsonResponse, otherMethods } from '@/lib/server/http/api';
import { apiRoute } from '@/lib/server/http/route';

export const dynamic = 'force-dynamic';

/**
 * Signs out. `?instance=` signs out of that instance only; without it, of every instance this
 * browser is signed in to, and the browser is told to clear what it keeps for the site.
 */
export const POST = apiRoute({ body: z.strictObject({}) }, async ({ viewer, request }) => {
  const everywhere = !request.nextUrl.searchParams.has('instance');
  await signOut(viewer, { everywhere });
  return jsonResponse({ signedOut: true }, 200, everywhere ? { 'Clear-Site-Data': '"cookies", "storage"' } : undefined);
});

/** Every other method: a 405 in the API's error shape. */
export const { GET, PUT, DELETE, PATCH, OPTIONS } = otherMethods('POST');
