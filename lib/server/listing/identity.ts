import 'server-only';

import { userNameFromArn } from '@/lib/server/aws/portal';
import { hasCode } from '@/lib/server/core/errors';

import type { ListingJob } from './job';
import type { ListingDeps, ListingRequest } from './types';

/**
 * Who signed in, learned from the first role the listing finds: its credentials, asked of STS,
 * name the Identity Center user. Returns the person's key under that name, or null when it could
 * not be learned (a convenience: the listing goes on without it). `onRefused` is told when the
 * session was ended on learning it (someone else approved the sign-in).
 */
export async function learnIdentity(
  deps: Pick<ListingDeps, 'portal' | 'stsRegion'>,
  request: ListingRequest,
  job: ListingJob,
  role: { accountId: string; roleName: string },
  onRefused: () => void,
): Promise<string | null> {
  try {
    const token = await request.accessToken();
    const credentials = await deps.portal.getRoleCredentials(token, role.accountId, role.roleName, {
      owner: request.owner,
      priority: 'interactive',
    });
    const identity = await deps.portal.getCallerIdentity(credentials, deps.stsRegion);
    const userName = userNameFromArn(identity.arn);
    if (!userName) return null;
    const userKey = await request.onIdentity(userName);
    job.release();
    job.emit({ type: 'identity', userName });
    return userKey;
  } catch (error) {
    if (hasCode(error, 'session_ended')) onRefused();
    return null;
  }
}
