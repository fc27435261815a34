import { z } from 'zod';

import { awsConfig } from '@/lib/server/dal/aws-config';
import { otherMethods, textResponse } from '@/lib/server/http/api';
import { apiRoute } from '@/lib/server/http/route';
import { regionSchema } from '@/lib/shared/credential-formats';

export const dynamic = 'force-dynamic';

const querySchema = z.object({
  region: regionSchema.optional(),
  favorites: z.enum(['0', '1', 'true', 'false']).optional(),
  loaded: z.enum(['0', '1', 'true', 'false']).optional(),
});

/**
 * A `~/.aws/config` for every account and role of the person (or only their favorites; with
 * `?loaded=1`, only the roles loaded so far, at once, while a large listing goes on), with one
 * `[sso-session]` for the instance and a region in every profile (`?region=`, else the instance's
 * console region). No secret is in it.
 */
export const GET = apiRoute(
  { query: querySchema, invalid: 'region must be an AWS region; favorites and loaded must be 1 or 0.' },
  async ({ viewer, query }) => {
    const text = await awsConfig(viewer, {
      region: query.region,
      onlyFavorites: query.favorites === '1' || query.favorites === 'true',
      loadedOnly: query.loaded === '1' || query.loaded === 'true',
    });
    return textResponse(text, { 'Content-Disposition': 'attachment; filename="config"' });
  },
);

/** Every other method: a 405 in the API's error shape. */
export const { POST, PUT, DELETE, PATCH, OPTIONS } = otherMethods('GET');
