import { z } from 'zod';

import { pollSignIn } from '@/lib/server/dal/sign-in';
import { jsonResponse, otherMethods } from '@/lib/server/http/api';
import { apiRoute } from '@/lib/server/http/route';

export const dynamic = 'force-dynamic';

/** One poll of the sign-in. The server decides when Identity Center is actually asked. */
export const POST = apiRoute({ body: z.strictObject({}), budget: 'poll' }, async ({ viewer }) => jsonResponse(await pollSignIn(viewer)));

/** Every other method: a 405 in the API's error shape. */
export const { GET, PUT, DELETE, PATCH, OPTIONS } = otherMethods('POST');
