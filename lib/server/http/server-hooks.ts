import 'server-only';

import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { Duplex } from 'node:stream';

import { logger } from '@/lib/server/core/log';
import { metrics } from '@/lib/server/core/metrics';

import { PEER_HEADER } from '@/lib/server/core/client-address';

/**
 * What the portal does to every request before Next.js sees it, installed once at start-up on the
 * Node.js HTTP server (every instance, through its prototype):
 * - it stamps the connection's own address in a header of its own (replacing anything a client
 *   sent under that name), because Next.js passes a client's X-Forwarded-For on as it is;
 * - it answers methods the portal does not serve (TRACE, PROPFIND, and methods Node's parser does
 *   not even know) with a 405 in the API's error shape and one JSON log line. Next.js would answer
 *   TRACE with a 500 and print a stack. (CONNECT never gets this far: with nobody listening for
 *   tunnels, Node closes the connection.)
 */

const SERVED_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']);
const ALLOW = [...SERVED_METHODS].join(', ');
const INSTALLED = Symbol.for('gatehouse.serverHooks');
type Marked = typeof globalThis & { [INSTALLED]?: true };

const BODY = JSON.stringify({ error: { code: 'method_not_allowed', message: 'This method is not allowed.' } });

/** Writes the 405 on the raw socket of a request the parser refused. */
function refuseOnSocket(socket: Duplex): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  socket.end(
    'HTTP/1.1 405 Method Not Allowed\r\n' +
      `Allow: ${ALLOW}\r\n` +
      'Content-Type: application/json\r\n' +
      'Cache-Control: no-store\r\n' +
      'X-Content-Type-Options: nosniff\r\n' +
      'Connection: close\r\n' +
      `Content-Length: ${Buffer.byteLength(BODY)}\r\n\r\n${BODY}`,
  );
}

function record(method: string, requestId: string): void {
  metrics().httpRequests.inc({ route: 'other', method: 'other', status: '405' });
  // The method is the client's word: only its shape is logged, never more than a short token.
  const shown = /^[A-Z-]{1,16}$/.test(method) ? method : 'unknown';
  logger().info({ event: 'request', requestId, method: shown, route: 'other', status: 405, durationMs: 0 });
}

export function installServerHooks(): void {
  const holder = globalThis as Marked;
  if (holder[INSTALLED]) return;
  holder[INSTALLED] = true;
  const emit: (this: http.Server, event: string, ...args: unknown[]) => boolean = http.Server.prototype.emit;
  http.Server.prototype.emit = function emitWithHooks(this: http.Server, event: string, ...args: unknown[]) {
    if (event === 'request') {
      const [request, response] = args;
      if (request instanceof http.IncomingMessage && response instanceof http.ServerResponse) {
        if (!SERVED_METHODS.has(request.method ?? '')) {
          const requestId = randomUUID();
          response.writeHead(405, {
            Allow: ALLOW,
            'Content-Type': 'application/json',
            'Cache-Control': 'no-store',
            'X-Content-Type-Options': 'nosniff',
            'X-Request-Id': requestId,
          });
          response.end(BODY);
          record(request.method ?? '', requestId);
          return true;
        }
        request.headers[PEER_HEADER] = request.socket.remoteAddress ?? 'unknown';
      }
    } else if (event === 'clientError') {
      const [error, socket] = args;
      const code = error && typeof error === 'object' && 'code' in error ? error.code : undefined;
      if (code === 'HPE_INVALID_METHOD' && socket && typeof socket === 'object' && 'end' in socket) {
        refuseOnSocket(socket as Duplex);
        record('unknown', randomUUID());
        return true;
      }
    }
    return emit.call(this, event, ...args);
  };
}
