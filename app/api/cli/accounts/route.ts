import { terminalAccounts } from '@/lib/server/dal/terminal-credentials';
import { jsonResponse, otherMethods } from '@/lib/server/http/api';
import { apiRoute } from '@/lib/server/http/route';

export const dynamic = 'force-dynamic';

/** Every account of the person with its roles, for `gatehouse accounts` and the command's picker. */
export const GET = apiRoute({ via: 'bearer', budget: 'listing' }, async ({ viewer }) => jsonResponse(await terminalAccounts(viewer)));

/** Every other method: a 405 in the API's error shape. */
export const { POST, PUT, DELETE, PATCH, OPTIONS } = otherMethods('GET');
