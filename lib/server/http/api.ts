import 'server-only';

import { NextResponse } from 'next/server';

import { ERRORS, type GatehouseError, retryAfterOf } from '@/lib/server/core/errors';

/** Every API answer is personal or secret: never stored by a browser or a proxy. */
export const NO_STORE = { 'Cache-Control': 'no-store' } as const;

export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): NextResponse {
  return NextResponse.json(body, { status, headers: { ...NO_STORE, ...headers } });
}

/** A text answer (a credentials format, the exported config). */
export function textResponse(text: string, headers: Record<string, string> = {}): Response {
  return new Response(text, { headers: { ...NO_STORE, 'Content-Type': 'text/plain; charset=utf-8', ...headers } });
}

/** The one error shape, from the one table: `{"error": {"code", "message"}}`, with Retry-After where it applies. */
export function errorResponse(error: GatehouseError): NextResponse {
  const retryAfter = retryAfterOf(error);
  const extra: Record<string, string> = retryAfter === undefined ? {} : { 'Retry-After': String(retryAfter) };
  if (error.code === 'unauthenticated') extra['WWW-Authenticate'] = 'Bearer';
  return jsonResponse({ error: { code: error.code, message: error.message } }, ERRORS[error.code].status, extra);
}

type ServedMethod = 'GET' | 'POST';

/**
 * Answers for the methods a route does not serve, to spread into its exports
 * (`export const { POST, PUT, DELETE, PATCH, OPTIONS } = otherMethods('GET');`). Next.js would
 * answer them with an empty 405; API callers get the error shape and an Allow header instead.
 */
export function otherMethods(...served: ServedMethod[]) {
  const allow = [...served, ...(served.includes('GET') ? ['HEAD'] : []), 'OPTIONS'].join(', ');
  const refuse = async (): Promise<Response> =>
    jsonResponse({ error: { code: 'method_not_allowed', message: ERRORS.method_not_allowed.message } }, 405, { Allow: allow });
  return {
    GET: refuse,
    POST: refuse,
    PUT: refuse,
    DELETE: refuse,
    PATCH: refuse,
    OPTIONS: async (): Promise<Response> => new Response(null, { status: 204, headers: { ...NO_STORE, Allow: allow } }),
  };
}
