import { z } from 'zod';

import { rolesOf } from '@/lib/server/dal/accounts';
import { jsonResponse, otherMethods } from '@/lib/server/http/api';
import { apiRoute } from '@/lib/server/http/route';
import { accountIdSchema } from '@/lib/shared/accounts';

export const dynamic = 'force-dynamic';

/**
 * The roles of one of the person's accounts, ahead of the background listing. 400 for an id that
 * is not 12 digits; 404 for an account the person does not have (decided from their own listing,
 * without asking Identity Center about someone else's account).
 */
export const GET = apiRoute(
  { params: z.object({ accountId: accountIdSchema }), invalid: 'An AWS account id is exactly 12 digits.' },
  async ({ viewer, params }) => jsonResponse(await rolesOf(viewer, params.accountId)),
);

/** Every other method: a 405 in the API's error shape. */
export const { POST, PUT, DELETE, PATCH, OPTIONS } = otherMethods('GET');
