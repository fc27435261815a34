import { personSessions } from '@/lib/server/dal/activity';
import { currentSession } from '@/lib/server/dal/session';
import { jsonResponse, otherMethods } from '@/lib/server/http/api';
import { apiRoute } from '@/lib/server/http/route';

export const dynamic = 'force-dynamic';

/** Every session of the person that is still alive, browsers and terminals (what the Activity page lists, with Revoke). */
export const GET = apiRoute({}, async ({ viewer }) => {
  await viewer.person();
  const session = await currentSession(viewer.instanceKey);
  return jsonResponse({ sessions: session ? await personSessions(session) : [] });
});

/** Every other method: a 405 in the API's error shape. */
export const { POST, PUT, DELETE, PATCH, OPTIONS } = otherMethods('GET');
