import { type NextRequest, NextResponse } from 'next/server';

/** True when every percent-escape in the path decodes (a lone `%`, or `%E0%A4%A`, does not). */
function decodable(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

/**
 * Adds a strict Content-Security-Policy with a fresh nonce to every response: scripts run only if
 * Next.js stamped them with this request's nonce (no 'unsafe-inline', no 'unsafe-eval'). Besides
 * that it only refuses paths that are not valid percent-encoding, which Next.js would answer with
 * a bare 500 once it decodes them into route parameters. Authentication and authorization live in
 * the data layer.
 */
export function proxy(request: NextRequest) {
  if (!decodable(request.nextUrl.pathname)) {
    const headers = { 'Cache-Control': 'no-store' };
    return request.nextUrl.pathname.startsWith('/api/')
      ? NextResponse.json({ error: { code: 'bad_request', message: 'The request path is not valid.' } }, { status: 400, headers })
      : new NextResponse('Bad request: the path is not valid.', { status: 400, headers: { ...headers, 'Content-Type': 'text/plain; charset=utf-8' } });
  }
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64');
  const policy = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`,
    // Inline style attributes (positioning in long lists) are harmless; scripts are what CSP guards.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');

  // Every request gets its own id: the log lines and audit events it causes carry it, and the
  // response names it, so a person's report can be matched with the logs. Never taken from the client.
  const requestId = crypto.randomUUID();
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('x-request-id', requestId);
  // What the request asks, for the audit record of a refusal (never taken from the client).
  requestHeaders.set('x-gatehouse-action', `${request.method} ${request.nextUrl.pathname}`.slice(0, 200));
  requestHeaders.set('x-nonce', nonce);
  requestHeaders.set('Content-Security-Policy', policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set('Content-Security-Policy', policy);
  response.headers.set('X-Request-Id', requestId);
  return response;
}

export const config = {
  matcher: [{ source: '/((?!_next/static|_next/image|favicon.ico).*)' }],
};
