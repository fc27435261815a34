import type { NextRequest } from 'next/server';
import { z } from 'zod';

import { personFor } from '@/lib/server/dal/person';
import { getConfig } from '@/lib/server/env';
import { apiError, NO_STORE, otherMethods } from '@/lib/server/http/api';
import { auditRefusal, withErrorHandling } from '@/lib/server/http/handle';
import { portalServices } from '@/lib/server/services';
import { roleKey } from '@/lib/shared/accounts';
import { buildAwsConfig, ssoSessionName } from '@/lib/shared/aws-config';
import { regionSchema } from '@/lib/shared/credential-formats';

export const dynamic = 'force-dynamic';

const querySchema = z.object({
  region: regionSchema.optional(),
  favorites: z.enum(['0', '1', 'true', 'false']).optional(),
});

/**
 * A `~/.aws/config` for every account and role of the person (or only their favorites), with one
 * `[sso-session]` for the instance and a region in every profile (`?region=`, else the instance's
 * console region). No secret is in it.
 */
export const GET = withErrorHandling(async (request: NextRequest) => {
  const query = querySchema.safeParse({
    region: request.nextUrl.searchParams.get('region') ?? undefined,
    favorites: request.nextUrl.searchParams.get('favorites') ?? undefined,
  });
  if (!query.success) {
    await auditRefusal('input_validation_fail', request);
    return apiError(400, 'bad_request', 'region must be an AWS region; favorites must be 1 or 0.');
  }
  const onlyFavorites = query.data.favorites === '1' || query.data.favorites === 'true';

  const person = await personFor(request);
  const { listing, favorites } = portalServices(person.instance);
  const full = await listing.complete(person);
  // Profiles are named after the account's nickname where the instance gives one.
  let accounts = full.accounts.map((account) => ({
    ...account,
    accountName: person.instance.nicknames[account.accountId] ?? account.accountName,
    roles: full.roles[account.accountId] ?? [],
  }));
  if (onlyFavorites) {
    const starred = await favorites.read(person.instance.id, person.userName);
    const accountSet = new Set(starred.accounts);
    const roleSet = new Set(starred.roles);
    accounts = accounts
      .map((account) => ({
        ...account,
        roles: accountSet.has(account.accountId) ? account.roles : account.roles.filter((role) => roleSet.has(roleKey(account.accountId, role))),
      }))
      .filter((account) => account.roles.length > 0);
  }
  const { instance } = person;
  const text = buildAwsConfig({
    sessionName: ssoSessionName(instance.startUrl),
    startUrl: instance.startUrl,
    ssoRegion: instance.ssoRegion,
    region: query.data.region ?? instance.consoleRegion,
    // Only the demo's endpoints (its built-in emulator) belong in people's files; a deployment's own
    // overrides (a proxy, a test double) are the portal's business, and AWS's endpoints need none.
    endpoints: getConfig().mode === 'demo' ? instance.endpoints : undefined,
    accounts,
  });
  return new Response(text, {
    headers: {
      ...NO_STORE,
      'Content-Type': 'text/plain; charset=utf-8',
      'Content-Disposition': 'attachment; filename="config"',
    },
  });
});

/** Every other method: a 405 in the API's error shape. */
export const { POST, PUT, DELETE, PATCH, OPTIONS } = otherMethods('GET');
