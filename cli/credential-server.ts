/**
 * `gatehouse serve`: the container-credentials endpoint the AWS SDKs and CLI read through
 * AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_AUTHORIZATION_TOKEN, on 127.0.0.1 only.
 *
 * Credentials are kept while they have comfortably long left and renewed in the background before
 * that runs out, so a request rarely waits for the portal.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RoleCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
}

const MINUTE = 60_000;

/**
 * How long before expiry credentials count as due for renewal: a quarter of their lifetime, at least
 * five minutes (the SDKs themselves refresh five to fifteen minutes before expiry, so handing out less
 * would only make them ask again), but never more than half their lifetime (credentials that live
 * only a few minutes are still used for their first half).
 */
export function renewalMargin(lifetimeMs: number): number {
  return Math.min(Math.max(5 * MINUTE, lifetimeMs / 4), lifetimeMs / 2);
}

/** Whether credentials obtained at `obtainedAt` can still be handed out at `now` without renewing. */
export function freshEnough(credentials: RoleCredentials, obtainedAt: number, now: number): boolean {
  const expires = credentials.expiration.getTime();
  return expires - now > renewalMargin(expires - obtainedAt);
}

/** Credentials that must not be handed out any more: they expire within this long. */
const UNUSABLE_WITHIN_MS = 5_000;

export interface CredentialCacheOptions {
  /** Asks the portal for the role's credentials. */
  fetch: () => Promise<RoleCredentials>;
  now?: () => number;
  /** Told about a renewal that failed in the background (the cause, one line). */
  onRenewalError?: (error: unknown) => void;
}

/** The role's current credentials: one fetch at a time, renewed in the background when they become due. */
export class CredentialCache {
  private current: { credentials: RoleCredentials; obtainedAt: number } | undefined;
  private inFlight: Promise<RoleCredentials> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly now: () => number;
  /** How many times the portal was asked. */
  fetches = 0;

  constructor(private readonly options: CredentialCacheOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Credentials that are fresh enough; renews first when they are not (or, when renewal fails, the old ones while they still work). */
  async get(): Promise<RoleCredentials> {
    const current = this.current;
    if (current && freshEnough(current.credentials, current.obtainedAt, this.now())) return current.credentials;
    try {
      return await this.renew();
    } catch (error) {
      if (current && current.credentials.expiration.getTime() - this.now() > UNUSABLE_WITHIN_MS) return current.credentials;
      throw error;
    }
  }

  /** Asks the portal (once, however many callers ask at the same time) and schedules the next renewal. */
  renew(): Promise<RoleCredentials> {
    this.inFlight ??= (async () => {
      try {
        this.fetches += 1;
        const credentials = await this.options.fetch();
        this.current = { credentials, obtainedAt: this.now() };
        this.schedule();
        return credentials;
      } finally {
        this.inFlight = undefined;
      }
    })();
    return this.inFlight;
  }

  private schedule(retryInMs?: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    const current = this.current;
    if (!current) return;
    const expires = current.credentials.expiration.getTime();
    const due = expires - renewalMargin(expires - current.obtainedAt);
    const delay = Math.min(2 ** 31 - 1, Math.max(0, retryInMs ?? due - this.now()));
    this.timer = setTimeout(() => {
      this.renew().catch((error: unknown) => {
        this.options.onRenewalError?.(error);
        // Try again soon, sooner as expiry nears, until it works or they have expired.
        const left = expires - this.now();
        if (left > 0) this.schedule(Math.min(30_000, Math.max(1_000, left / 4)));
      });
    }, delay);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }
}

export interface CredentialServerOptions {
  cache: CredentialCache;
  /** 0: a free port. */
  port?: number;
  /** The authorization token; a random one by default. */
  token?: string;
  /** Told about a request that could not be answered with credentials (the cause, one line). */
  onError?: (error: unknown) => void;
}

export interface RunningCredentialServer {
  /** AWS_CONTAINER_CREDENTIALS_FULL_URI */
  url: string;
  /** AWS_CONTAINER_AUTHORIZATION_TOKEN */
  token: string;
  close(): Promise<void>;
}

export const CREDENTIALS_PATH = '/credentials';

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  response.end(JSON.stringify(body));
}

/**
 * Whether a Host header names this machine's loopback: 127.0.0.1 (or any 127/8 address), localhost or
 * [::1], with or without a port. Anything else is a page in a browser that rebound its own name to
 * 127.0.0.1 (DNS rebinding): it must not reach the credentials, token or not.
 */
export function isLoopbackHost(host: string | undefined): boolean {
  if (!host) return false;
  const match = /^(\[::1\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?$/.exec(host.trim());
  if (!match?.[1]) return false;
  const name = match[1].toLowerCase();
  return name === 'localhost' || name === '[::1]' || /^127(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/.test(name);
}

export function startCredentialServer(options: CredentialServerOptions): Promise<RunningCredentialServer> {
  const token = options.token ?? randomBytes(32).toString('base64url');
  const expected = digest(token);
  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    if (!isLoopbackHost(request.headers.host)) return send(response, 421, { message: 'This endpoint answers only to 127.0.0.1 and localhost' });
    const supplied = request.headers.authorization;
    // The SDKs send the token as the whole header value; compared in constant time.
    if (supplied === undefined || supplied === '') return send(response, 401, { message: 'Authorization required' });
    if (!timingSafeEqual(digest(supplied), expected)) return send(response, 403, { message: 'Authorization token refused' });
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    if (path !== CREDENTIALS_PATH) return send(response, 404, { message: 'Not found' });
    if (request.method !== 'GET') {
      response.setHeader('allow', 'GET');
      return send(response, 405, { message: 'Method not allowed' });
    }
    try {
      const credentials = await options.cache.get();
      send(response, 200, {
        AccessKeyId: credentials.accessKeyId,
        SecretAccessKey: credentials.secretAccessKey,
        Token: credentials.sessionToken,
        Expiration: credentials.expiration.toISOString(),
      });
    } catch (error) {
      options.onError?.(error);
      send(response, 502, { message: 'Gatehouse could not get credentials from the portal' });
    }
  };
  const server: Server = createServer((request, response) => void handle(request, response));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}${CREDENTIALS_PATH}`,
        token,
        close: () =>
          new Promise<void>((done) => {
            options.cache.stop();
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
