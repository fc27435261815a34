import { terminalSession } from '@/lib/server/dal/terminal-sign-in';
import { jsonResponse, otherMethods } from '@/lib/server/http/api';
import { apiRoute } from '@/lib/server/http/route';

export const dynamic = 'force-dynamic';

/** `gatehouse status`: who the terminal session is, at which instance, and when it ends (401 once it has ended). */
export const GET = apiRoute({ via: 'bearer' }, async ({ viewer }) => jsonResponse(await terminalSession(viewer)));

/** Every other method: a 405 in the API's error shape. */
export const { POST, PUT, DELETE, PATCH, OPTIONS } = otherMethods('GET');
