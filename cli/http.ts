/**
 * A small HTTP client on node:http and node:https. The command starts for every `aws` call through
 * credential_process, so it avoids loading fetch (undici), which costs more than the request itself.
 */
import http from 'node:http';
import https from 'node:https';

export interface HttpRequest {
  method: 'GET' | 'POST';
  url: URL;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
}

export interface HttpAnswer {
  status: number;
  /** Header names in lower case; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: string;
}

/** Sends one request; rejects only when no answer came (refused, reset, timed out). */
export type HttpSend = (request: HttpRequest) => Promise<HttpAnswer>;

/** The largest answer read: an accounts listing of tens of thousands of roles fits many times over. */
const MAX_BODY_BYTES = 64 * 1024 * 1024;

export const sendHttp: HttpSend = (request) =>
  new Promise((resolve, reject) => {
    const transport = request.url.protocol === 'https:' ? https : http;
    const headers: Record<string, string> = { ...request.headers };
    if (request.body !== undefined) headers['content-length'] = String(Buffer.byteLength(request.body));
    const outgoing = transport.request(request.url, { method: request.method, headers }, (incoming) => {
      const chunks: Buffer[] = [];
      let size = 0;
      incoming.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY_BYTES) {
          incoming.destroy(new Error('answer too large'));
          return;
        }
        chunks.push(chunk);
      });
      incoming.on('error', reject);
      incoming.on('end', () => {
        const answerHeaders: Record<string, string> = {};
        for (const [name, value] of Object.entries(incoming.headers)) {
          if (value !== undefined) answerHeaders[name] = Array.isArray(value) ? value.join(', ') : value;
        }
        resolve({ status: incoming.statusCode ?? 0, headers: answerHeaders, body: Buffer.concat(chunks).toString('utf8') });
      });
    });
    outgoing.setTimeout(request.timeoutMs, () => outgoing.destroy(new Error('timed out')));
    outgoing.on('error', reject);
    outgoing.end(request.body);
  });
