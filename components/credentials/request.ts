'use client';

import { ApiRequestError, portalFetch } from '@/components/api-client';
import type { CredentialsDTO } from '@/lib/shared/credential-text';
import { withInstance } from '@/lib/shared/instances';

/**
 * `POST /api/credentials` from the browser. A failure is an ApiRequestError that keeps what the page
 * needs to say: the status, the error code, and how long to wait (Retry-After). The credentials live
 * only in the caller's memory.
 */

function isCredentials(value: unknown): value is CredentialsDTO {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return ['accessKeyId', 'secretAccessKey', 'sessionToken', 'expiration'].every((key) => typeof record[key] === 'string');
}

export async function requestCredentials(accountId: string, roleName: string, instanceKey?: string): Promise<CredentialsDTO> {
  const response = await portalFetch(withInstance('/api/credentials', instanceKey), {
    body: { accountId, roleName },
    returnTo: `${window.location.pathname}${window.location.search}`,
  });
  const payload: unknown = await response.json().catch(() => null);
  if (!isCredentials(payload)) throw new ApiRequestError(response.status, 'bad_response', 'The portal sent an unexpected answer. Try again.');
  return payload;
}
