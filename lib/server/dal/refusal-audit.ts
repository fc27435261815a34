import 'server-only';

import { hasCode } from '@/lib/server/core/errors';
import type { Viewer } from '@/lib/server/viewer';

import { recordRefusal } from './request-checks';

/**
 * Runs `work`; an account or role the person does not have (a `forbidden` or `not_found` error
 * that names the attempt) is recorded as an `authz_fail` before the error goes on to the caller.
 */
export async function refusingWithAudit<T>(viewer: Viewer, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (hasCode(error, 'forbidden', 'not_found') && error.details.attempt) {
      await recordRefusal(viewer, viewer, 'authz_fail', error.details.attempt);
    }
    throw error;
  }
}
