import { personSessions } from '@/lib/server/dal/activity';
import { currentSession } from '@/lib/server/dal/session';
import { jsonResponse, otherMethods } from '@/lib/server/http/api';
import { apiRoute } from '@/lib/server/http/route';

export const dynamic = 'force-dynamic';

/** The person's terminal sessions that are still alive (what the Activity page lists, with Revoke). */
export const GET = apiRoute({}, async ({ viewer }) => {
  await viewer.person();
  const session = await currentSession(viewer.instanceKey);
  const sessions = session ? await personSessions(session) : [];
  return jsonResponse({ sessions: sessions.filter((each) => each.kind === 'terminal') });
});

/** Every other method: a 405 in the API's error shape. */
export const { POST, PUT, DELETE, PATCH, OPTIONS } = otherMethods('GET');
