import 'server-only';

import type { NextRequest, NextResponse } from 'next/server';
import type { z } from 'zod';

import type { ServerConfig } from '@/lib/server/env';

import { apiError } from './api';

const MAX_BODY_BYTES = 16 * 1024;

/** Names of this machine's loopback interface, where demo mode listens unless told otherwise. */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** The host people reach the portal at (PUBLIC_URL's): what Identity Center's approval page names. */
export function portalHost(config: Pick<ServerConfig, 'publicUrl'>): string {
  return new URL(config.publicUrl).host;
}

/** The portal's origin as people reach it (the console's Issuer: where an expired console session sends them). */
export function portalOrigin(config: Pick<ServerConfig, 'publicUrl'>): string {
  return new URL(config.publicUrl).origin;
}

/**
 * True when `origin` is the portal's own: PUBLIC_URL's scheme, host and port. In demo mode, which
 * listens on loopback only, the loopback's other names count too (localhost and 127.0.0.1 are the
 * same portal to the person using it), with the same scheme and port.
 */
export function isPortalOrigin(origin: string, config: Pick<ServerConfig, 'publicUrl' | 'mode'>): boolean {
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  const own = new URL(config.publicUrl);
  if (parsed.origin === own.origin) return true;
  return (
    config.mode === 'demo' &&
    parsed.protocol === own.protocol &&
    parsed.port === own.port &&
    LOOPBACK_HOSTS.has(parsed.hostname) &&
    LOOPBACK_HOSTS.has(own.hostname)
  );
}

/**
 * CSRF defence for every state-changing route handler (they get no built-in check): the request
 * must come from the portal's own pages (Fetch Metadata, then an Origin with PUBLIC_URL's scheme,
 * host and port) and carry JSON, which a cross-site form cannot send without a preflight. The Host
 * header plays no part: a client chooses it.
 */
export function refuseCrossSite(request: NextRequest, config: Pick<ServerConfig, 'publicUrl' | 'mode'>): NextResponse | null {
  const site = request.headers.get('sec-fetch-site');
  if (site !== null && site !== 'same-origin') {
    return apiError(403, 'forbidden_origin', 'This request must come from the portal itself.');
  }
  const origin = request.headers.get('origin');
  if (origin === null || origin === 'null' || !isPortalOrigin(origin, config)) {
    return apiError(403, 'forbidden_origin', 'This request must come from the portal itself.');
  }
  const contentType = request.headers.get('content-type') ?? '';
  if (!/^application\/json\s*(;|$)/i.test(contentType)) {
    return apiError(415, 'unsupported_media_type', 'Send the request body as application/json.');
  }
  return null;
}

/** Reads and validates a small JSON body; an answer to send back when it is not acceptable. */
export async function readJsonBody<T extends z.ZodType>(
  request: NextRequest,
  schema: T,
): Promise<{ ok: true; value: z.infer<T> } | { ok: false; response: NextResponse }> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > MAX_BODY_BYTES) {
    return { ok: false, response: apiError(413, 'bad_request', 'The request body is too large.') };
  }
  let text: string;
  try {
    text = await request.text();
  } catch {
    return { ok: false, response: apiError(400, 'bad_request', 'The request body could not be read.') };
  }
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) {
    return { ok: false, response: apiError(413, 'bad_request', 'The request body is too large.') };
  }
  let data: unknown;
  try {
    data = text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    return { ok: false, response: apiError(400, 'bad_request', 'The request body is not valid JSON.') };
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    return { ok: false, response: apiError(400, 'bad_request', 'The request body does not have the expected fields.') };
  }
  return { ok: true, value: parsed.data };
}

/**
 * The person an authenticating proxy (such as oauth2-proxy) names in TRUSTED_IDENTITY_HEADER:
 * undefined when no such header is configured, null when it is configured but missing or empty.
 */
export function proxyIdentity(request: { headers: Pick<Headers, 'get'> }, header: string | undefined): string | null | undefined {
  if (!header) return undefined;
  const value = request.headers.get(header)?.trim();
  return value && value.length <= 256 ? value : null;
}

/** Identity Center and the proxy may differ in case (e-mail addresses); nothing else. */
export function sameIdentity(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

const REQUEST_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The id the proxy gave this request (see proxy.ts); a fresh one if it is somehow missing. */
export function requestIdOf(request: { headers: Pick<Headers, 'get'> }): string {
  const id = request.headers.get('x-request-id');
  return id !== null && REQUEST_ID_PATTERN.test(id) ? id : crypto.randomUUID();
}
