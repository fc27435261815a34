/**
 * A small HTTP client on node:http and node:https. The command starts for every `aws` call through
 * credential_process, so it avoids loading fetch (undici), which costs more than the request itself.
 *
 * Every request gives up after a silence: no answer, or (for a stream) no byte, for `idleMs`. A portal
 * that accepts the connection and then says nothing fails the command in seconds, not minutes; a
 * listing that is slow but alive keeps the connection busy (the portal sends a line at least every few
 * seconds), so it never trips.
 */
import http from 'node:http';
import https from 'node:https';

export interface HttpRequest {
  method: 'GET' | 'POST';
  url: URL;
  headers: Record<string, string>;
  body?: string;
  /** How long the connection may stay silent (connecting, waiting for the answer, between its bytes). */
  idleMs: number;
}

export interface HttpAnswer {
  status: number;
  /** Header names in lower case; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: string;
}

/** Sends one request; rejects only when no answer came (refused, reset, silent too long). */
export type HttpSend = (request: HttpRequest) => Promise<HttpAnswer>;

/** The head of a streamed answer, and its body as it arrives. */
export interface HttpStream {
  status: number;
  headers: Record<string, string>;
  /** The body's chunks as text (split anywhere, even inside a line). Throws when the connection breaks or falls silent. */
  chunks: AsyncIterable<string>;
  /** Stops reading and closes the connection. */
  close(): void;
}

export type HttpOpenStream = (request: HttpRequest) => Promise<HttpStream>;

/** The default silence after which a request is given up. */
export const IDLE_TIMEOUT_MS = 15_000;

/** The largest answer read whole: an accounts listing of tens of thousands of roles fits many times over. */
const MAX_BODY_BYTES = 64 * 1024 * 1024;

export class SilentPortalError extends Error {
  constructor(readonly idleMs: number) {
    super(`no answer for ${Math.round(idleMs / 1000)} s`);
    this.name = 'SilentPortalError';
  }
}

function headersOf(incoming: http.IncomingMessage): Record<string, string> {
  const answerHeaders: Record<string, string> = {};
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (value !== undefined) answerHeaders[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return answerHeaders;
}

/** Starts the request; `onAnswer` gets the answer's head. The socket's idle timer covers connecting, waiting and every pause in the body. */
function start(request: HttpRequest, onAnswer: (incoming: http.IncomingMessage) => void, onError: (error: Error) => void): http.ClientRequest {
  const transport = request.url.protocol === 'https:' ? https : http;
  const headers: Record<string, string> = { ...request.headers };
  if (request.body !== undefined) headers['content-length'] = String(Buffer.byteLength(request.body));
  const outgoing = transport.request(request.url, { method: request.method, headers }, onAnswer);
  outgoing.setTimeout(request.idleMs, () => outgoing.destroy(new SilentPortalError(request.idleMs)));
  outgoing.on('error', onError);
  outgoing.end(request.body);
  return outgoing;
}

export const sendHttp: HttpSend = (request) =>
  new Promise((resolve, reject) => {
    const outgoing = start(
      request,
      (incoming) => {
        const chunks: Buffer[] = [];
        let size = 0;
        incoming.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_BODY_BYTES) {
            outgoing.destroy(new Error('answer too large'));
            return;
          }
          chunks.push(chunk);
        });
        incoming.on('error', reject);
        incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, headers: headersOf(incoming), body: Buffer.concat(chunks).toString('utf8') }));
      },
      reject,
    );
  });

export const openHttpStream: HttpOpenStream = (request) =>
  new Promise((resolve, reject) => {
    // Why the request ended, when it failed (a silence, a reset): told before the body's read fails.
    let failure: Error | undefined;
    const outgoing: http.ClientRequest = start(
      request,
      (incoming) => {
        incoming.setEncoding('utf8');
        async function* chunks(): AsyncIterable<string> {
          try {
            for await (const chunk of incoming) yield chunk as string;
          } catch (error) {
            throw failure ?? error;
          }
          // A connection destroyed mid-answer can end the body quietly: that is a failure too.
          if (failure) throw failure;
          if (!incoming.complete) throw new Error('the connection broke off');
        }
        resolve({ status: incoming.statusCode ?? 0, headers: headersOf(incoming), chunks: chunks(), close: () => outgoing.destroy() });
      },
      (error) => {
        failure = error;
        reject(error);
      },
    );
  });
