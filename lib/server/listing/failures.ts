import 'server-only';

import { answeredNothing, awsErrorKind } from '@/lib/server/aws/retry';
import { GatehouseError, hasCode } from '@/lib/server/core/errors';

/**
 * What a failed Identity Center call means for a listing, decided once from the call's kind: the
 * session is no longer accepted (the listing stops), or one account's roles could not be loaded
 * (said in words for people; the listing goes on).
 */

/** True when Identity Center no longer accepts the session's token. */
export function isUnauthorized(error: unknown): boolean {
  return hasCode(error, 'session_ended') || awsErrorKind(error) === 'unauthorized';
}

/** The session ended because Identity Center no longer accepts it. */
export function noLongerAccepted(): GatehouseError {
  return new GatehouseError('session_ended', undefined, { reason: 'unauthorized' });
}

/** A sentence for people about a failed call. */
export function describeFailure(error: unknown): string {
  if (hasCode(error, 'upstream_invalid')) return 'Identity Center answered in a form Gatehouse does not use.';
  if (answeredNothing(error)) return 'Identity Center is not answering; try again in a moment.';
  switch (awsErrorKind(error)) {
    case 'throttled':
      return 'Identity Center is throttling requests; try again in a moment.';
    case 'transient':
      return 'Identity Center did not answer; try again.';
    case 'forbidden':
    case 'not_found':
      return 'Identity Center no longer lists this account for you.';
    default:
      return 'The roles of this account could not be loaded.';
  }
}

/**
 * Calls Identity Center with the session's access token, and once more with the session's current
 * token if Identity Center answers 401: a token taken before a long wait (an outage, a full queue)
 * can expire before its call goes out, which says nothing about the session. A second 401 stands.
 */
export async function withCurrentToken<T>(accessToken: () => Promise<string>, call: (token: string) => Promise<T>): Promise<T> {
  try {
    return await call(await accessToken());
  } catch (error) {
    if (awsErrorKind(error) !== 'unauthorized') throw error;
    return call(await accessToken());
  }
}
