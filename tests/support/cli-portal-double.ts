/**
 * A stand-in for a portal's terminal API (/api/cli/*) in unit tests of the `gatehouse` command: each
 * route answers what the test says, so it can lie (hostile names, credentials outside AWS's alphabets,
 * errors with any status), stream a listing slowly, or say nothing at all. It records every request.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
}

export type Route = (request: SeenRequest, response: ServerResponse) => unknown;

export interface PortalDouble {
  url: string;
  requests: SeenRequest[];
  /** Requests to `path`, in order. */
  to(path: string): SeenRequest[];
  close(): Promise<void>;
}

export function answerJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

export function answerError(response: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  answerJson(response, status, { error: { code, message } }, headers);
}

/** Starts an NDJSON answer; returns a writer of one event (or a bare line) at a time. */
export function startNdjson(response: ServerResponse): { send(event: unknown): void; line(text: string): void; end(): void } {
  response.writeHead(200, { 'content-type': 'application/x-ndjson; charset=utf-8' });
  response.flushHeaders();
  return {
    send: (event) => response.write(`${JSON.stringify(event)}\n`),
    line: (text) => response.write(`${text}\n`),
    end: () => response.end(),
  };
}

export async function startPortalDouble(routes: Record<string, Route>): Promise<PortalDouble> {
  const requests: SeenRequest[] = [];
  const server: Server = createServer((incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const url = new URL(incoming.url ?? '/', 'http://127.0.0.1');
      const request: SeenRequest = {
        method: incoming.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: incoming.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(request);
      const route = routes[`${request.method} ${request.path}`];
      if (!route) return answerError(response, 404, 'not_found', 'There is no such thing here.');
      void Promise.resolve(route(request, response)).catch(() => response.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    to: (path) => requests.filter((request) => request.path === path),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
