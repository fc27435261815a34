/**
 * Raw HTTP requests for conformance tests that need byte-level control (hand-signed SigV4 requests,
 * missing headers). node:http rather than fetch so the Host header is exactly what was signed.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { request as httpRequest } from 'node:http';
import { SignatureV4 } from '@smithy/signature-v4';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export function rawRequest(
  baseUrl: string,
  options: { method: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<RawResponse> {
  const url = new URL(options.path, baseUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: options.method, headers: { ...options.headers, ...(options.body === undefined ? {} : { 'content-length': String(Buffer.byteLength(options.body)) }) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

export interface SignOptions {
  method?: 'GET' | 'POST';
  query?: Record<string, string>;
  body?: string;
  /** Extra headers to sign (content-type, …). */
  headers?: Record<string, string>;
  signingDate: Date;
  region?: string;
  service?: string;
  /** true = JS SDK style (signs x-amz-content-sha256); false = botocore style. */
  applyChecksum?: boolean;
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

/** Signs a request the way an SDK would, returning the headers to send. */
export async function signRequest(baseUrl: string, options: SignOptions): Promise<Record<string, string>> {
  const url = new URL(baseUrl);
  const signer = new SignatureV4({
    credentials: options.credentials,
    region: options.region ?? 'us-east-1',
    service: options.service ?? 'sts',
    sha256: Sha256,
    applyChecksum: options.applyChecksum ?? false,
    uriEscapePath: true,
  });
  const signed = await signer.sign(
    {
      method: options.method ?? 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      port: Number(url.port),
      path: '/',
      query: options.query ?? {},
      headers: { host: url.host, ...options.headers },
      body: options.body,
    },
    { signingDate: options.signingDate },
  );
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(signed.headers)) headers[name] = String(value);
  return headers;
}

/** Signs and sends; the path carries the query. */
export async function signedRequest(baseUrl: string, options: SignOptions & { sendBody?: string }): Promise<RawResponse> {
  const headers = await signRequest(baseUrl, options);
  const search = new URLSearchParams(options.query ?? {}).toString();
  const body = options.sendBody ?? options.body;
  return rawRequest(baseUrl, {
    method: options.method ?? 'POST',
    path: search ? `/?${search}` : '/',
    headers,
    ...(body === undefined ? {} : { body }),
  });
}
