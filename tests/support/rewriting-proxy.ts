/**
 * An HTTP proxy in front of the emulator that rewrites its JSON answers: Identity Center as an
 * attacker who controls its strings would make it. Everything else passes through unchanged.
 */
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Rewrite = (path: string, query: URLSearchParams, body: unknown) => unknown;

export interface RunningProxy {
  url: string;
  close(): Promise<void>;
}

export async function startRewritingProxy(target: string, rewrite: Rewrite): Promise<RunningProxy> {
  const upstream = new URL(target);
  const server: Server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const headers: IncomingHttpHeaders = { ...incoming.headers, host: upstream.host };
      const forwarded = httpRequest(
        { host: upstream.hostname, port: upstream.port, method: incoming.method, path: incoming.url, headers },
        (answer) => {
          const parts: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => parts.push(chunk));
          answer.on('end', () => {
            let body = Buffer.concat(parts);
            const url = new URL(incoming.url ?? '/', target);
            if ((answer.headers['content-type'] ?? '').includes('json') && answer.statusCode === 200) {
              body = Buffer.from(JSON.stringify(rewrite(url.pathname, url.searchParams, JSON.parse(body.toString('utf8')))));
            }
            const headers: IncomingHttpHeaders = { ...answer.headers, 'content-length': String(body.length) };
            delete headers['transfer-encoding'];
            outgoing.writeHead(answer.statusCode ?? 502, headers);
            outgoing.end(body);
          });
        },
      );
      forwarded.on('error', () => outgoing.writeHead(502).end());
      forwarded.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
