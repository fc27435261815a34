import { z } from 'zod';

import { terminalProfiles } from '@/lib/server/dal/aws-config';
import { jsonResponse, otherMethods } from '@/lib/server/http/api';
import { apiRoute } from '@/lib/server/http/route';
import { regionSchema } from '@/lib/shared/credential-formats';

export const dynamic = 'force-dynamic';

/** The profiles `gatehouse config` writes: one per role (only favorites with ?favorites=1), named as the exported config names them. */
export const GET = apiRoute(
  {
    via: 'bearer',
    query: z.object({ region: regionSchema.optional(), favorites: z.enum(['0', '1', 'true', 'false']).optional() }),
    invalid: 'region must be an AWS region; favorites must be 1 or 0.',
  },
  async ({ viewer, query }) =>
    jsonResponse(await terminalProfiles(viewer, { region: query.region, onlyFavorites: query.favorites === '1' || query.favorites === 'true' })),
);

/** Every other method: a 405 in the API's error shape. */
export const { POST, PUT, DELETE, PATCH, OPTIONS } = otherMethods('GET');
