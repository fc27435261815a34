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
