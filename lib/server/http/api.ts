import 'server-only';

import { NextResponse } from 'next/server';

import type { ApiErrorCode } from '@/lib/shared/api';

/** Every API answer is personal or secret: never stored by a browser or a proxy. */
export const NO_STORE = { 'Cache-Control': 'no-store' } as const;

export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): NextResponse {
  return NextResponse.json(body, { status, headers: { ...NO_STORE, ...headers } });
}

/** The one error shape: `{"error": {"code", "message"}}`. Messages are for people; never internals. */
export function apiError(status: number, code: ApiErrorCode, message: string, headers: Record<string, string> = {}): NextResponse {
  return jsonResponse({ error: { code, message } }, status, headers);
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
    apiError(405, 'method_not_allowed', 'This method is not allowed on this route.', { Allow: allow });
  return {
    GET: refuse,
    POST: refuse,
    PUT: refuse,
    DELETE: refuse,
    PATCH: refuse,
    OPTIONS: async (): Promise<Response> => new Response(null, { status: 204, headers: { ...NO_STORE, Allow: allow } }),
  };
}
