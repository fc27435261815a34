/** Response writers shared by every emulated service, in the exact shapes AWS sends. */
import type { ServerResponse } from 'node:http';

function baseHeaders(requestId: string): Record<string, string> {
  return { 'x-amzn-RequestId': requestId, Date: new Date().toUTCString() };
}

export function sendJson(res: ServerResponse, status: number, body: unknown, requestId: string): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...baseHeaders(requestId),
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

export function sendEmpty(res: ServerResponse, status: number, requestId: string): void {
  res.writeHead(status, { ...baseHeaders(requestId), 'Content-Length': 0 });
  res.end();
}

/** SSO OIDC error: OAuth body, shape name in x-amzn-ErrorType with the coral suffix AWS sends. */
export function sendOidcError(
  res: ServerResponse,
  requestId: string,
  status: number,
  shape: string,
  error: string,
  errorDescription: string,
  extra: Record<string, string> = {},
): void {
  const text = JSON.stringify({ error, error_description: errorDescription, ...extra });
  res.writeHead(status, {
    ...baseHeaders(requestId),
    'Content-Type': 'application/json',
    'x-amzn-ErrorType': `${shape}:http://internal.amazon.com/coral/com.amazonaws.sso.oidc/`,
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** SSO portal error: `{"message","__type"}` plus x-amzn-ErrorType, as AWS sends it. */
export function sendPortalError(
  res: ServerResponse,
  requestId: string,
  status: number,
  shape: string,
  message: string,
  extraHeaders: Record<string, string> = {},
): void {
  const text = JSON.stringify({ message, __type: `com.amazonaws.switchboard.portal#${shape}` });
  res.writeHead(status, {
    ...baseHeaders(requestId),
    ...extraHeaders,
    'Content-Type': 'application/json',
    'x-amzn-ErrorType': shape,
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

export function escapeXml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

export const escapeHtml = escapeXml;

export function sendXml(res: ServerResponse, status: number, xml: string, requestId: string): void {
  res.writeHead(status, {
    ...baseHeaders(requestId),
    'Content-Type': 'text/xml',
    'Content-Length': Buffer.byteLength(xml),
  });
  res.end(xml);
}

/** STS (awsQuery) error document. */
export function sendStsError(
  res: ServerResponse,
  requestId: string,
  status: number,
  code: string,
  message: string,
  type: 'Sender' | 'Receiver' = 'Sender',
): void {
  const xml =
    `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">\n` +
    `  <Error>\n    <Type>${type}</Type>\n    <Code>${escapeXml(code)}</Code>\n` +
    `    <Message>${escapeXml(message)}</Message>\n  </Error>\n` +
    `  <RequestId>${escapeXml(requestId)}</RequestId>\n</ErrorResponse>\n`;
  sendXml(res, status, xml, requestId);
}

export function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(html),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  });
  res.end(html);
}
