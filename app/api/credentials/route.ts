import { z } from 'zod';

import { credentialsText, issueCredentials } from '@/lib/server/dal/credentials';
import { jsonResponse, otherMethods, textResponse } from '@/lib/server/http/api';
import { apiRoute } from '@/lib/server/http/route';
import { credentialFormatSchema } from '@/lib/shared/credential-formats';
import { credentialsRequestSchema } from '@/lib/shared/credentials-api';

export const dynamic = 'force-dynamic';

/**
 * Role credentials, on an explicit POST only: as JSON, or with ?format= as text in that format.
 * 400 for a malformed account id, role name or format; 403 for a role the person does not have.
 */
export const POST = apiRoute(
  {
    body: credentialsRequestSchema,
    query: z.object({ format: credentialFormatSchema.optional() }),
    budget: 'credentials',
    invalid: 'Unknown format. Use env, env-no-export, fish, powershell, windows-cmd, ini, dotenv or process.',
  },
  async ({ viewer, body, query }) => {
    const credentials = await issueCredentials(viewer, body);
    if (!query.format) return jsonResponse(credentials);
    return textResponse(credentialsText(credentials, query.format, { region: body.region, profileName: body.profileName }));
  },
);

/** Every other method: a 405 in the API's error shape. */
export const { GET, PUT, DELETE, PATCH, OPTIONS } = otherMethods('POST');
