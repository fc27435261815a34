/**
 * SigV4 verification as AWS does it, for the emulator's signed APIs (STS, and the administration
 * APIs): the Authorization header parsed with AWS's own error wording, the date checked against the
 * emulator's clock, and the signature recomputed with the JS SDK's own signer over exactly the
 * headers the client signed, compared in constant time.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { z } from 'zod';

import type { EmulatorRequest } from './types';

const ALGORITHM = 'AWS4-HMAC-SHA256';
/** AWS rejects a signature whose X-Amz-Date is further than this from its own clock. */
const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

const MSG_INVALID_TOKEN = 'The security token included in the request is invalid.';
const MSG_SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. ' +
  'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
const MSG_EXPIRED = 'The security token included in the request is expired';

/** The HttpRequest shape SignatureV4 signs (taken from its last `sign` overload, so no @smithy/types import). */
type SignableRequest = Parameters<SignatureV4['sign']>[0];

/** A refusal of the request's signature, with the HTTP status and AWS's code and words. */
export class SigV4Error extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}


const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

const credentialScopeSchema = z.object({
  // Any id is looked up; an unknown one is InvalidClientTokenId, as at AWS, not a format error.
  accessKeyId: z.string().min(1).max(128),
  date: z.string().regex(/^\d{8}$/),
  region: z.string().regex(/^[a-z0-9-]{1,64}$/),
  service: z.string().min(1),
  terminator: z.string().min(1),
});

const signedHeadersSchema = z
  .string()
  .regex(/^[a-z0-9!#$%&'*+.^_`|~-]+(;[a-z0-9!#$%&'*+.^_`|~-]+)*$/, 'SignedHeaders must be lower-case header names separated by ;');

const signatureSchema = z.string().regex(/^[0-9a-fA-F]{1,128}$/);

interface ParsedAuthorization {
  accessKeyId: string;
  scopeDate: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

export function headerValue(request: EmulatorRequest, name: string): string | undefined {
  // headersDistinct keeps repeated headers apart; SigV4 joins their values with ','.
  const values = request.req.headersDistinct[name];
  return values === undefined ? undefined : values.join(',');
}

/** Parses `AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…` with AWS's error wording. */
function parseAuthorization(header: string, service: string): ParsedAuthorization {
  const trimmed = header.trim();
  const space = trimmed.indexOf(' ');
  const algorithm = space === -1 ? trimmed : trimmed.slice(0, space);
  if (algorithm !== ALGORITHM) {
    throw new SigV4Error(400, 'IncompleteSignature', `Unsupported AWS 'algorithm': '${algorithm}'.`);
  }
  const fields = new Map<string, string>();
  for (const part of trimmed.slice(space + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const credential = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  const missing: string[] = [];
  if (!credential) missing.push("Authorization header requires 'Credential' parameter.");
  if (!signature) missing.push("Authorization header requires 'Signature' parameter.");
  if (!signedHeaders) missing.push("Authorization header requires 'SignedHeaders' parameter.");
  if (!credential || !signature || !signedHeaders) {
    throw new SigV4Error(400, 'IncompleteSignature', `${missing.join(' ')} Authorization=${header}`);
  }

  const parts = credential.split('/');
  const scope = credentialScopeSchema.safeParse({
    accessKeyId: parts[0],
    date: parts[1],
    region: parts[2],
    service: parts[3],
    terminator: parts[4],
  });
  if (parts.length !== 5 || !scope.success) {
    throw new SigV4Error(
      400,
      'IncompleteSignature',
      `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${credential}'`,
    );
  }
  if (scope.data.terminator !== 'aws4_request') {
    throw new SigV4Error(
      403,
      'SignatureDoesNotMatch',
      `Credential should be scoped with a valid terminator: 'aws4_request', not '${scope.data.terminator}'.`,
    );
  }
  if (scope.data.service !== service) {
    throw new SigV4Error(403, 'SignatureDoesNotMatch', `Credential should be scoped to correct service: '${service}'.`);
  }
  const headers = signedHeadersSchema.safeParse(signedHeaders);
  const sig = signatureSchema.safeParse(signature);
  if (!headers.success || !sig.success) {
    throw new SigV4Error(400, 'IncompleteSignature', `Authorization header is malformed. Authorization=${header}`);
  }
  return {
    accessKeyId: scope.data.accessKeyId,
    scopeDate: scope.data.date,
    region: scope.data.region,
    service: scope.data.service,
    signedHeaders: headers.data.split(';'),
    signature: sig.data,
  };
}

/** Parses an ISO-8601 basic-format date (`20260101T120000Z`), rejecting impossible dates. */
function parseAmzDate(value: string): Date | undefined {
  const m = AMZ_DATE.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  return formatAmzDate(date) === value ? date : undefined;
}

function formatAmzDate(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

function checkClockSkew(signedAt: Date, nowMs: number): void {
  const signedText = formatAmzDate(signedAt);
  if (signedAt.getTime() < nowMs - MAX_CLOCK_SKEW_MS) {
    const limit = formatAmzDate(new Date(nowMs - MAX_CLOCK_SKEW_MS));
    throw new SigV4Error(
      403,
      'SignatureDoesNotMatch',
      `Signature expired: ${signedText} is now earlier than ${limit} (${formatAmzDate(new Date(nowMs))} - 15 min.)`,
    );
  }
  if (signedAt.getTime() > nowMs + MAX_CLOCK_SKEW_MS) {
    const limit = formatAmzDate(new Date(nowMs + MAX_CLOCK_SKEW_MS));
    throw new SigV4Error(
      403,
      'SignatureDoesNotMatch',
      `Signature not yet current: ${signedText} is still later than ${limit} (${formatAmzDate(new Date(nowMs))} + 15 min.)`,
    );
  }
}

function constantTimeEquals(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

/** URL query as SignatureV4 expects it: repeated keys become arrays. */
function queryRecord(url: URL): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(key);
    query[key] = values.length === 1 ? (values[0] ?? '') : values;
  }
  return query;
}

/**
 * Recomputes the signature over exactly the headers the client says it signed and compares it in
 * constant time. Uses @smithy/signature-v4 (the signer the JS SDK itself uses) so the canonical
 * request matches byte for byte; botocore builds the same canonical form.
 */
async function verifySignature(request: EmulatorRequest, auth: ParsedAuthorization, signedAt: Date, key: SigningKey): Promise<boolean> {
  const bodyHash = createHash('sha256').update(request.body).digest('hex');
  const headers: Record<string, string> = {};
  for (const name of auth.signedHeaders) {
    const value = headerValue(request, name);
    if (value === undefined) continue; // a signed header that is absent changes the canonical request
    // The payload hash must describe the body we actually received, whatever the client claims.
    headers[name] = name === 'x-amz-content-sha256' ? bodyHash : value;
  }
  const toSign: SignableRequest = {
    method: request.method,
    protocol: request.url.protocol,
    hostname: request.url.hostname,
    path: request.url.pathname,
    query: queryRecord(request.url),
    headers,
    body: request.body,
  };
  const signer = new SignatureV4({
    // No sessionToken here: the signer would add the header itself, and the client's value is already
    // among the signed headers when it signed one.
    credentials: { accessKeyId: auth.accessKeyId, secretAccessKey: key.secretAccessKey },
    region: auth.region,
    service: auth.service,
    sha256: Sha256,
    applyChecksum: false,
    uriEscapePath: true,
  });
  const signed = await signer.sign(toSign, {
    signingDate: signedAt,
    signingRegion: auth.region,
    signingService: auth.service,
    // Honour headers the SDK would normally never sign (user-agent, …) if this client did sign them.
    signableHeaders: new Set(auth.signedHeaders),
  });
  const expected = /Signature=([0-9a-f]+)/.exec(String(signed.headers.authorization ?? ''))?.[1];
  return expected !== undefined && constantTimeEquals(expected, auth.signature);
}

/** What a signing key is: its secret, and for temporary keys the session token and expiry they go with. */
export interface SigningKey {
  secretAccessKey: string;
  sessionToken?: string;
  expiresAtMs?: number;
}

/**
 * Verifies the request's SigV4 signature for `service` and returns what `lookup` knows of its key
 * (the issued role session, an administrator's key). The errors are AWS's, in the query protocol's
 * words (STS's); a JSON-protocol service renames the codes.
 */
export async function authenticateSigV4<T extends SigningKey>(
  request: EmulatorRequest,
  service: string,
  lookup: (accessKeyId: string) => T | undefined,
): Promise<T> {
  const { ctx } = request;
  const authorization = headerValue(request, 'authorization');
  if (authorization === undefined || authorization.trim() === '') {
    throw new SigV4Error(403, 'MissingAuthenticationToken', 'Request is missing Authentication Token');
  }
  const auth = parseAuthorization(authorization, service);

  const amzDate = headerValue(request, 'x-amz-date');
  if (amzDate === undefined) {
    // AWS also accepts a signed `Date` header; no SDK signs that way, so the emulator does not.
    throw new SigV4Error(
      400,
      'IncompleteSignature',
      `Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=${authorization}`,
    );
  }
  const signedAt = parseAmzDate(amzDate);
  if (signedAt === undefined) {
    throw new SigV4Error(
      400,
      'IncompleteSignature',
      `Date must be in ISO-8601 'basic format'. Got '${amzDate}'. See http://en.wikipedia.org/wiki/ISO_8601`,
    );
  }
  if (!auth.signedHeaders.includes('host') || !auth.signedHeaders.includes('x-amz-date')) {
    throw new SigV4Error(
      403,
      'SignatureDoesNotMatch',
      `'Host' and 'X-Amz-Date' must be named as SignedHeaders. Authorization=${authorization}`,
    );
  }
  // As at AWS, a stale signature is refused before the key is even looked up.
  checkClockSkew(signedAt, ctx.clock.now());
  const dateStamp = amzDate.slice(0, 8);
  if (auth.scopeDate !== dateStamp) {
    throw new SigV4Error(
      403,
      'SignatureDoesNotMatch',
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${auth.scopeDate}' != '${dateStamp}', from '${amzDate}'.`,
    );
  }

  const session = lookup(auth.accessKeyId);
  const token = headerValue(request, 'x-amz-security-token');
  // Temporary (ASIA) keys are only valid together with the session token they were issued with.
  if (session === undefined || (session.sessionToken !== undefined && (token === undefined || !constantTimeEquals(token, session.sessionToken)))) {
    throw new SigV4Error(403, 'InvalidClientTokenId', MSG_INVALID_TOKEN);
  }
  if (session.expiresAtMs !== undefined && ctx.clock.now() >= session.expiresAtMs) {
    throw new SigV4Error(400, 'ExpiredToken', MSG_EXPIRED);
  }
  if (!(await verifySignature(request, auth, signedAt, session))) {
    throw new SigV4Error(403, 'SignatureDoesNotMatch', MSG_SIGNATURE_MISMATCH);
  }
  return session;
}

