import { describe, expect, it } from 'vitest';

import { withCurrentToken } from '../../lib/server/listing/failures';

/** An error as the SSO client throws it for an expired or revoked access token. */
function unauthorized(): Error {
  return Object.assign(new Error('Session token not found or invalid'), { name: 'UnauthorizedException', $metadata: { httpStatusCode: 401 } });
}

describe('a listing call and the access token it carries', () => {
  it('asks again with the session’s current token when the one taken before a long wait had expired', async () => {
    const tokens = ['taken-before-the-outage', 'refreshed-since'];
    const sent: string[] = [];
    const answer = await withCurrentToken(
      async () => tokens.shift()!,
      async (token) => {
        sent.push(token);
        if (token === 'taken-before-the-outage') throw unauthorized();
        return 'roles';
      },
    );
    expect(answer).toBe('roles');
    expect(sent).toEqual(['taken-before-the-outage', 'refreshed-since']);
  });

  it('lets a second 401 stand: the session is no longer accepted', async () => {
    let calls = 0;
    const attempt = withCurrentToken(
      async () => 'token',
      async () => {
        calls += 1;
        throw unauthorized();
      },
    );
    await expect(attempt).rejects.toMatchObject({ name: 'UnauthorizedException' });
    expect(calls).toBe(2);
  });

  it('does not ask again for any other failure', async () => {
    let calls = 0;
    const attempt = withCurrentToken(
      async () => 'token',
      async () => {
        calls += 1;
        throw Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException', $metadata: { httpStatusCode: 429 } });
      },
    );
    await expect(attempt).rejects.toMatchObject({ name: 'TooManyRequestsException' });
    expect(calls).toBe(1);
  });
});
