import 'server-only';

import type { NextRequest } from 'next/server';
import type { z } from 'zod';

import type { ServerConfig } from '@/lib/server/core/config';
import { GatehouseError } from '@/lib/server/core/errors';

import { whatIsWrong } from './invalid-input';

const MAX_BODY_BYTES = 16 * 1024;

/** Names of this machine's loopback interface, where demo mode listens unless told otherwise. */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

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
 * CSRF defence for every state-changing route handler (they get no built-in check), with a body or
 * without: the request must come from the portal's own pages (Fetch Metadata, then an Origin with
 * PUBLIC_URL's scheme, host and port), and a body must be JSON, which a cross-site form cannot send
 * without a preflight. The Host header plays no part: a client chooses it. Throws the refusal.
 */
export function refuseCrossSite(request: NextRequest, config: Pick<ServerConfig, 'publicUrl' | 'mode'>): void {
  const site = request.headers.get('sec-fetch-site');
  if (site !== null && site !== 'same-origin') throw new GatehouseError('forbidden_origin');
  const origin = request.headers.get('origin');
  if (origin === null || origin === 'null' || !isPortalOrigin(origin, config)) throw new GatehouseError('forbidden_origin');
}

/** A request body must be declared JSON (a form or text/plain is refused before it is read). */
export function requireJson(request: NextRequest): void {
  const contentType = request.headers.get('content-type') ?? '';
  if (!/^application\/json\s*(;|$)/i.test(contentType)) throw new GatehouseError('unsupported_media_type');
}

/** Reads and validates a small JSON body; throws a 400 or 413 when it is not acceptable. */
export async function readJsonBody<T extends z.ZodType>(request: NextRequest, schema: T): Promise<z.infer<T>> {
  const tooLarge = () => new GatehouseError('payload_too_large', 'The request body is too large.');
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > MAX_BODY_BYTES) throw tooLarge();
  let text: string;
  try {
    text = await request.text();
  } catch {
    throw new GatehouseError('bad_request', 'The request body could not be read.');
  }
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) throw tooLarge();
  let data: unknown;
  try {
    data = text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    throw new GatehouseError('bad_request', 'The request body is not valid JSON.');
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const wrong = whatIsWrong(parsed.error, schema);
    throw new GatehouseError('bad_request', `The request body does not have the expected fields${wrong ? ` (${wrong})` : ''}.`);
  }
  return parsed.data as z.infer<T>;
}
