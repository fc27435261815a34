import type { NextRequest } from 'next/server';

import { personFor } from '@/lib/server/dal/person';
import { apiError, jsonResponse, otherMethods } from '@/lib/server/http/api';
import { auditRefusal, withErrorHandling } from '@/lib/server/http/handle';
import { portalServices } from '@/lib/server/services';
import { accountIdSchema, type RolesResponse } from '@/lib/shared/accounts';

export const dynamic = 'force-dynamic';

/**
 * The roles of one of the person's accounts, ahead of the background listing. 400 for an id that
 * is not 12 digits; 404 for an account the person does not have (decided from their own listing,
 * without asking Identity Center about someone else's account).
 */
export const GET = withErrorHandling(async (request: NextRequest, context: { params: Promise<{ accountId: string }> }) => {
  const parsed = accountIdSchema.safeParse((await context.params).accountId);
  if (!parsed.success) {
    await auditRefusal('input_validation_fail', request);
    return apiError(400, 'bad_request', 'An AWS account id is exactly 12 digits.');
  }
  const person = await personFor(request);
  const roles = await portalServices(person.instance).listing.roles(person, parsed.data);
  const answer: RolesResponse = { roles: roles.map((roleName) => ({ roleName })) };
  return jsonResponse(answer);
});

/** Every other method: a 405 in the API's error shape. */
export const { POST, PUT, DELETE, PATCH, OPTIONS } = otherMethods('GET');
