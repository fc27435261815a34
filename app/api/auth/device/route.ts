import { z } from 'zod';

import { startSignIn } from '@/lib/server/dal/sign-in';
import { jsonResponse, otherMethods } from '@/lib/server/http/api';
import { apiRoute } from '@/lib/server/http/route';

export const dynamic = 'force-dynamic';

/** Starts a device authorization; the flow state stays on the server, bound to this session. */
export const POST = apiRoute({ body: z.strictObject({}), budget: 'sign-in' }, async ({ viewer }) => jsonResponse(await startSignIn(viewer)));

/** Every other method: a 405 in the API's error shape. */
export const { GET, PUT, DELETE, PATCH, OPTIONS } = otherMethods('POST');
