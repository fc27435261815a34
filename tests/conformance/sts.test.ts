/**
 * STS GetCallerIdentity conformance (docs/aws-wire-protocol.md §3): the real @aws-sdk/client-sts and
 * hand-signed requests against the emulator, with role credentials from the real sign-in flow.
 */
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { REGION } from '../../scripts/support/emulator-sdk';
import { rawRequest, signedRequest, type SignOptions } from '../support/raw-http';
import { startTestEmulator, stsClient, type RoleCredentials, type TestEmulator } from '../support/role-session';

const BODY = 'Action=GetCallerIdentity&Version=2011-06-15';
const FORM = 'application/x-www-form-urlencoded; charset=utf-8';
const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

/** The error an SDK call rejects with, typed loosely enough to read the STS fields. */
interface SdkError {
  name: string;
  message: string;
  $metadata: { httpStatusCode?: number; attempts?: number };
}

async function sdkError(promise: Promise<unknown>): Promise<SdkError> {
  try {
    await promise;
  } catch (error) {
    return error as SdkError;
  }
  throw new Error('expected the call to fail');
}

function errorCode(xml: string): string | undefined {
  return /<Code>([^<]*)<\/Code>/.exec(xml)?.[1];
}

function errorMessage(xml: string): string | undefined {
  return /<Message>([^<]*)<\/Message>/.exec(xml)?.[1];
}

describe('STS GetCallerIdentity', () => {
  let emu: TestEmulator;
  let creds: RoleCredentials;
  let expected: { Account: string; Arn: string; UserId: string };

  beforeAll(async () => {
    emu = await startTestEmulator();
    const issued = await emu.roleCredentials();
    creds = issued.credentials;
    const s = issued.session;
    expected = {
      Account: s.accountId,
      Arn: `arn:aws:sts::${s.accountId}:assumed-role/AWSReservedSSO_${s.roleName}_${s.roleSuffix}/${s.userName}`,
      UserId: `${s.roleId}:${s.userName}`,
    };
  });

  afterAll(async () => {
    await emu.close();
  });

  /** Hand-signed request with the issued credentials at the emulator's current time. */
  function signed(options: Partial<SignOptions> & { sendBody?: string } = {}) {
    return signedRequest(emu.url, {
      body: BODY,
      headers: { 'content-type': FORM },
      signingDate: new Date(emu.clock.now()),
      credentials: creds,
      ...options,
    });
  }

  test('returns the caller identity to the real SDK', async () => {
    const out = await stsClient(emu, creds).send(new GetCallerIdentityCommand({}));
    expect(out.Account).toBe(expected.Account);
    expect(out.Arn).toBe(expected.Arn);
    expect(out.UserId).toBe(expected.UserId);
    expect(out.Arn).toMatch(/^arn:aws:sts::\d{12}:assumed-role\/AWSReservedSSO_[\w+=,.@-]+_[0-9a-f]{16}\/.+$/);
    expect(out.UserId).toMatch(/^AROA[A-Z0-9]+:/);
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(out.$metadata.requestId).toMatch(/\S/);
  });

  test('accepts a botocore-style request (no x-amz-content-sha256, charset in content type) byte for byte', async () => {
    const res = await signed({ applyChecksum: false });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/xml');
    const requestId = res.headers['x-amzn-requestid'];
    expect(typeof requestId).toBe('string');
    expect(res.body).toBe(
      `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">\n` +
        `  <GetCallerIdentityResult>\n` +
        `    <Arn>${expected.Arn}</Arn>\n` +
        `    <UserId>${expected.UserId}</UserId>\n` +
        `    <Account>${expected.Account}</Account>\n` +
        `  </GetCallerIdentityResult>\n` +
        `  <ResponseMetadata>\n` +
        `    <RequestId>${String(requestId)}</RequestId>\n` +
        `  </ResponseMetadata>\n` +
        `</GetCallerIdentityResponse>\n`,
    );
  });

  test('accepts the GET form', async () => {
    const res = await signed({
      method: 'GET',
      query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
      body: undefined,
      headers: {},
    });
    expect(res.status).toBe(200);
    expect(res.body).toContain(`<Arn>${expected.Arn}</Arn>`);
  });

  test('accepts any signing region in the credential scope', async () => {
    const client = new STSClient({
      region: 'eu-west-1',
      endpoint: emu.url,
      credentials: creds,
      systemClockOffset: emu.clock.now() - Date.now(),
      maxAttempts: 1,
    });
    const out = await client.send(new GetCallerIdentityCommand({}));
    expect(out.Arn).toBe(expected.Arn);
  });

  test('rejects a tampered secret with SignatureDoesNotMatch (403)', async () => {
    // Change the last character (to something it is not: secrets are random).
    const last = creds.secretAccessKey.endsWith('A') ? 'B' : 'A';
    const client = stsClient(emu, { ...creds, secretAccessKey: `${creds.secretAccessKey.slice(0, -1)}${last}` });
    const err = await sdkError(client.send(new GetCallerIdentityCommand({})));
    expect(err.name).toBe('SignatureDoesNotMatch');
    expect(err.message).toBe(SIGNATURE_MISMATCH);
    expect(err.$metadata.httpStatusCode).toBe(403);
  });

  test('rejects an unknown access key with InvalidClientTokenId (403)', async () => {
    const client = stsClient(emu, { ...creds, accessKeyId: 'ASIAUNKNOWNKEY000000' });
    const err = await sdkError(client.send(new GetCallerIdentityCommand({})));
    expect(err.name).toBe('InvalidClientTokenId');
    expect(err.message).toBe('The security token included in the request is invalid.');
    expect(err.$metadata.httpStatusCode).toBe(403);
  });

  test('rejects a session token that does not belong to the key', async () => {
    const other = await emu.roleCredentials();
    const client = stsClient(emu, { ...creds, sessionToken: other.credentials.sessionToken });
    const err = await sdkError(client.send(new GetCallerIdentityCommand({})));
    expect(err.name).toBe('InvalidClientTokenId');
    expect(err.$metadata.httpStatusCode).toBe(403);
  });

  test('rejects temporary credentials sent without their session token', async () => {
    const client = stsClient(emu, { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey });
    const err = await sdkError(client.send(new GetCallerIdentityCommand({})));
    expect(err.name).toBe('InvalidClientTokenId');
  });

  test('answers a request without Authorization with 403 MissingAuthenticationToken XML', async () => {
    const res = await rawRequest(emu.url, {
      method: 'POST',
      path: '/',
      headers: { 'content-type': FORM },
      body: BODY,
    });
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toBe('text/xml');
    expect(res.body).toContain('<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">');
    expect(res.body).toContain('<Type>Sender</Type>');
    expect(errorCode(res.body)).toBe('MissingAuthenticationToken');
    expect(res.body).toContain(`<RequestId>${String(res.headers['x-amzn-requestid'])}</RequestId>`);
  });

  test('rejects a malformed Authorization header with 400 IncompleteSignature', async () => {
    const res = await rawRequest(emu.url, {
      method: 'POST',
      path: '/',
      headers: {
        'content-type': FORM,
        'x-amz-date': '20260101T000000Z',
        authorization: `AWS4-HMAC-SHA256 Credential=${creds.accessKeyId}/20260101/us-east-1/sts, SignedHeaders=host, Signature=00`,
      },
      body: BODY,
    });
    expect(res.status).toBe(400);
    expect(errorCode(res.body)).toBe('IncompleteSignature');

    const noSignature = await rawRequest(emu.url, {
      method: 'POST',
      path: '/',
      headers: { 'content-type': FORM, authorization: `AWS4-HMAC-SHA256 Credential=${creds.accessKeyId}/20260101/us-east-1/sts/aws4_request` },
      body: BODY,
    });
    expect(noSignature.status).toBe(400);
    expect(errorCode(noSignature.body)).toBe('IncompleteSignature');
  });

  test('rejects a stale or future X-Amz-Date with SignatureDoesNotMatch', async () => {
    const now = emu.clock.now();
    const stale = await signed({ signingDate: new Date(now - 16 * 60_000) });
    expect(stale.status).toBe(403);
    expect(errorCode(stale.body)).toBe('SignatureDoesNotMatch');
    expect(errorMessage(stale.body)).toMatch(/^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/);

    const future = await signed({ signingDate: new Date(now + 16 * 60_000) });
    expect(future.status).toBe(403);
    expect(errorMessage(future.body)).toMatch(/^Signature not yet current: /);

    // Within the 15-minute window a slightly-off client clock is fine.
    const skewed = await signed({ signingDate: new Date(now - 14 * 60_000) });
    expect(skewed.status).toBe(200);
  });

  test('requires the credential scope to name the sts service', async () => {
    const res = await signed({ service: 'iam' });
    expect(res.status).toBe(403);
    expect(errorCode(res.body)).toBe('SignatureDoesNotMatch');
    expect(errorMessage(res.body)).toBe("Credential should be scoped to correct service: &apos;sts&apos;.");
  });

  test('detects a body changed after signing, even with the JS SDK payload-hash header', async () => {
    const res = await signed({
      applyChecksum: true,
      sendBody: 'Action=GetCallerIdentity&Version=2011-06-15&Extra=1',
    });
    expect(res.status).toBe(403);
    expect(errorCode(res.body)).toBe('SignatureDoesNotMatch');
  });

  test('rejects an unknown Action and a wrong Version with InvalidAction', async () => {
    const unknown = await signed({ body: 'Action=AssumeRole&Version=2011-06-15' });
    expect(unknown.status).toBe(400);
    expect(errorCode(unknown.body)).toBe('InvalidAction');
    expect(errorMessage(unknown.body)).toBe('Could not find operation AssumeRole for version 2011-06-15');

    const version = await signed({ body: 'Action=GetCallerIdentity&Version=2010-01-01' });
    expect(version.status).toBe(400);
    expect(errorCode(version.body)).toBe('InvalidAction');

    const noVersion = await signed({ body: 'Action=GetCallerIdentity' });
    expect(noVersion.status).toBe(400);
    expect(errorMessage(noVersion.body)).toBe('Could not find operation GetCallerIdentity for version NO_VERSION_SPECIFIED');
  });
});

describe('STS on a clock that has moved', () => {
  let emu: TestEmulator;

  beforeAll(async () => {
    emu = await startTestEmulator();
  });

  afterAll(async () => {
    await emu.close();
  });

  test('an SDK client whose clock disagrees corrects it from the Date header and succeeds', async () => {
    // The emulator's clock runs 30 minutes ahead of the machine's; the client signs with the machine's.
    emu.clock.advance(30 * 60_000);
    const { credentials } = await emu.roleCredentials();
    const client = new STSClient({ region: REGION, endpoint: emu.url, credentials });
    const out = await client.send(new GetCallerIdentityCommand({}));
    expect(out.Account).toMatch(/^\d{12}$/);
    // First attempt: "Signature expired"; the SDK takes the server time from Date and retries once.
    expect(out.$metadata.attempts).toBe(2);
  });

  test('answers ExpiredToken (400) once the credentials have expired', async () => {
    const { credentials } = await emu.roleCredentials();
    // One millisecond before expiry they still work.
    emu.clock.advance(credentials.expiration.getTime() - emu.clock.now() - 1);
    const before = await stsClient(emu, credentials).send(new GetCallerIdentityCommand({}));
    expect(before.$metadata.httpStatusCode).toBe(200);

    emu.clock.advance(1);
    const err = await sdkError(stsClient(emu, credentials).send(new GetCallerIdentityCommand({})));
    expect(err.name).toBe('ExpiredToken');
    expect(err.message).toBe('The security token included in the request is expired');
    expect(err.$metadata.httpStatusCode).toBe(400);
  });
});
