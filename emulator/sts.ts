/**
 * STS GetCallerIdentity (awsQuery) for the role credentials the emulator issued through the portal's
 * GetRoleCredentials. Every request is SigV4-verified the way STS does it, so a client that signs
 * wrongly (or with a tampered secret) fails here just as it would against AWS.
 * Wire format: docs/aws-wire-protocol.md §3.
 */
import type { ServerResponse } from 'node:http';

import { z } from 'zod';

import { escapeXml } from './http';
import { authenticateSigV4, headerValue, SigV4Error as StsError } from './sigv4';
import type { EmulatorContext, EmulatorRequest, RoleCredentialSession } from './types';

const STS_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';
const API_VERSION = '2011-06-15';

const queryParamsSchema = z.object({
  Action: z.string().max(128).optional(),
  Version: z.string().max(64).optional(),
});

// ---------------------------------------------------------------------------------------------
// Responses

/**
 * Like http.ts sendXml/sendStsError, but the `Date` header comes from the emulator's clock: the JS SDK
 * corrects its clock skew from this header after a signature-expired error, so it must agree with the
 * clock the emulator verifies X-Amz-Date against (tests run the emulator on a fake clock).
 */
function writeXml(res: ServerResponse, ctx: EmulatorContext, status: number, xml: string, requestId: string): void {
  res.writeHead(status, {
    'x-amzn-RequestId': requestId,
    Date: new Date(ctx.clock.now()).toUTCString(),
    'Content-Type': 'text/xml',
    'Content-Length': Buffer.byteLength(xml),
  });
  res.end(xml);
}

function writeError(request: EmulatorRequest, error: StsError): void {
  const xml =
    `<ErrorResponse xmlns="${STS_NAMESPACE}">\n` +
    `  <Error>\n    <Type>Sender</Type>\n    <Code>${escapeXml(error.code)}</Code>\n` +
    `    <Message>${escapeXml(error.message)}</Message>\n  </Error>\n` +
    `  <RequestId>${escapeXml(request.requestId)}</RequestId>\n</ErrorResponse>\n`;
  writeXml(request.res, request.ctx, error.status, xml, request.requestId);
}

/** aws / aws-cn / aws-us-gov, from the region the emulator pretends to run in. */
function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** `arn:aws:sts::<account>:assumed-role/AWSReservedSSO_<role>_<suffix>/<user>` (doc §3.2); also shown by federation. */
export function assumedRoleArn(ctx: EmulatorContext, session: RoleCredentialSession): string {
  const roleName = `AWSReservedSSO_${session.roleName}_${session.roleSuffix}`;
  return `arn:${partitionOf(ctx.region)}:sts::${session.accountId}:assumed-role/${roleName}/${session.userName}`;
}

function callerIdentityXml(ctx: EmulatorContext, session: RoleCredentialSession, requestId: string): string {
  const arn = assumedRoleArn(ctx, session);
  return (
    `<GetCallerIdentityResponse xmlns="${STS_NAMESPACE}">\n` +
    `  <GetCallerIdentityResult>\n` +
    `    <Arn>${escapeXml(arn)}</Arn>\n` +
    `    <UserId>${escapeXml(`${session.roleId}:${session.userName}`)}</UserId>\n` +
    `    <Account>${escapeXml(session.accountId)}</Account>\n` +
    `  </GetCallerIdentityResult>\n` +
    `  <ResponseMetadata>\n` +
    `    <RequestId>${escapeXml(requestId)}</RequestId>\n` +
    `  </ResponseMetadata>\n` +
    `</GetCallerIdentityResponse>\n`
  );
}

// ---------------------------------------------------------------------------------------------
// Request parameters

/** awsQuery parameters: the URL query, overlaid by a form-encoded body on POST. */
function readParams(request: EmulatorRequest): z.infer<typeof queryParamsSchema> {
  const params = new URLSearchParams(request.url.search);
  const contentType = (headerValue(request, 'content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (request.method === 'POST' && request.body.length > 0) {
    if (contentType !== '' && contentType !== 'application/x-www-form-urlencoded') {
      throw new StsError(400, 'InvalidParameterValue', `Unsupported content type: ${contentType}`);
    }
    for (const [key, value] of new URLSearchParams(request.body.toString('utf8'))) params.set(key, value);
  }
  const parsed = queryParamsSchema.safeParse({
    Action: params.get('Action') ?? undefined,
    Version: params.get('Version') ?? undefined,
  });
  if (!parsed.success) {
    throw new StsError(400, 'InvalidParameterValue', 'Request parameters are malformed.');
  }
  return parsed.data;
}

export async function handleSts(request: EmulatorRequest): Promise<void> {
  try {
    if (request.method !== 'GET' && request.method !== 'POST') {
      throw new StsError(400, 'InvalidAction', `Method ${request.method} is not supported.`);
    }
    // Authenticate before looking at the parameters, so nothing is answered for an unsigned request.
    const session = await authenticateSigV4(request, 'sts', (accessKeyId) => request.ctx.roleCredentials.get(accessKeyId));
    const params = readParams(request);
    if (params.Action !== 'GetCallerIdentity' || params.Version !== API_VERSION) {
      // STS's wording for an operation it does not know in the requested version.
      throw new StsError(
        400,
        'InvalidAction',
        `Could not find operation ${params.Action ?? ''} for version ${params.Version ?? 'NO_VERSION_SPECIFIED'}`,
      );
    }
    writeXml(request.res, request.ctx, 200, callerIdentityXml(request.ctx, session, request.requestId), request.requestId);
  } catch (error) {
    if (error instanceof StsError) {
      writeError(request, error);
      return;
    }
    throw error;
  }
}
