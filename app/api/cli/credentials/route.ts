import { z } from 'zod';

import { credentialsText } from '@/lib/server/dal/credentials';
import { terminalCredentials } from '@/lib/server/dal/terminal-credentials';
import { jsonResponse, otherMethods, textResponse } from '@/lib/server/http/api';
import { apiRoute } from '@/lib/server/http/route';
import { credentialFormatSchema } from '@/lib/shared/credential-formats';
import { credentialsRequestSchema } from '@/lib/shared/credentials-api';

export const dynamic = 'force-dynamic';

/**
 * Role credentials for the `gatehouse` command, as JSON or with ?format= as text: the person's kept
 * ones while they have more than ten minutes left and Identity Center still vouches for them, else
 * fetched once for every request asking at the same time (the one that reaches Identity Center
 * spends the browser's credentials budget too); audited either way. The browser's
 * `POST /api/credentials` keeps nothing: a click gets fresh credentials.
 */
export const POST = apiRoute(
  {
    via: 'bearer',
    budget: 'terminal-credentials',
    body: credentialsRequestSchema,
    query: z.object({ format: credentialFormatSchema.optional() }),
    invalid: 'Unknown format. Use env, env-no-export, fish, powershell, windows-cmd, ini, dotenv or process.',
  },
  async ({ viewer, body, query }) => {
    const credentials = await terminalCredentials(viewer, body);
    if (!query.format) return jsonResponse(credentials);
    return textResponse(credentialsText(credentials, query.format, { region: body.region, profileName: body.profileName }));
  },
);

/** Every other method: a 405 in the API's error shape. */
export const { GET, PUT, DELETE, PATCH, OPTIONS } = otherMethods('POST');
