import type { NextRequest } from 'next/server';

import { issueCredentials } from '@/lib/server/dal/credentials';
import { personFor } from '@/lib/server/dal/person';
import { apiError, jsonResponse, NO_STORE, otherMethods } from '@/lib/server/http/api';
import { auditRefusal, jsonPostRoute } from '@/lib/server/http/handle';
import {
  type CredentialsDTO,
  credentialFormatSchema,
  formatCredentials,
  isoSeconds,
  UnsafeCredentialValueError,
} from '@/lib/shared/credential-formats';
import { credentialsRequestSchema } from '@/lib/shared/credentials-api';

export const dynamic = 'force-dynamic';

/**
 * Role credentials, on an explicit POST only: as JSON, or with ?format= as text in that format.
 * 400 for a malformed account id, role name or format; 403 for a role the person does not have.
 */
export const POST = jsonPostRoute(credentialsRequestSchema, async (request: NextRequest, body) => {
  const formatParam = request.nextUrl.searchParams.get('format');
  const format = formatParam === null ? null : credentialFormatSchema.safeParse(formatParam);
  if (format && !format.success) {
    await auditRefusal('input_validation_fail', request);
    return apiError(400, 'bad_request', 'Unknown format. Use env, env-no-export, fish, powershell, windows-cmd, ini, dotenv or process.');
  }
  const person = await personFor(request);
  const credentials = await issueCredentials(person, body.accountId, body.roleName);
  const dto: CredentialsDTO = {
    accessKeyId: credentials.accessKeyId,
    secretAccessKey: credentials.secretAccessKey,
    sessionToken: credentials.sessionToken,
    expiration: isoSeconds(credentials.expiration),
  };
  if (!format) return jsonResponse(dto);
  let text: string;
  try {
    text = formatCredentials(dto, format.data, { region: body.region, profileName: body.profileName });
  } catch (error) {
    // Credentials from Identity Center are checked against AWS's alphabets before they get here.
    if (error instanceof UnsafeCredentialValueError) return apiError(502, 'upstream_invalid', error.message);
    throw error;
  }
  return new Response(text, {
    headers: { ...NO_STORE, 'Content-Type': 'text/plain; charset=utf-8' },
  });
}, { limit: 'credentials' });

/** Every other method: a 405 in the API's error shape. */
export const { GET, PUT, DELETE, PATCH, OPTIONS } = otherMethods('POST');
