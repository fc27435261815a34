/**
 * The portal's terminal API (/api/cli/*) as the command uses it: the bearer token, the instance, the
 * version header, and every failure turned into the one line the person reads, by the portal's error
 * code (the one table, lib/shared/errors.ts), never by HTTP status alone.
 */
import { hostname } from 'node:os';

import type { ZodMiniType } from 'zod/mini';

import type { ApiErrorCode } from '../lib/shared/api';
import { ERRORS } from '../lib/shared/errors';
import { CliError, forTerminal } from './errors';
import { type HttpAnswer, type HttpOpenStream, type HttpRequest, type HttpSend, IDLE_TIMEOUT_MS, openHttpStream, sendHttp, SilentPortalError } from './http';
import { apiErrorSchema } from './schemas';
import { CLI_VERSION } from './version';

/**
 * Names this terminal on the person's Activity page: the command's version, the machine's name and
 * system, so a session can be told apart from another (and one not recognised, revoked).
 */
const USER_AGENT = `gatehouse-cli/${CLI_VERSION} (${hostname().replace(/[^\w.-]/g, '').slice(0, 63) || 'unknown host'}; ${process.platform} ${process.arch}; node ${process.versions.node})`;

export interface PortalOptions {
  /** The portal's origin, normalised (see normalisePortalUrl). */
  portal: string;
  /** Sent as `?instance=` when set. */
  instance?: string;
  /** The bearer token of the terminal session (or of a pending sign-in, for the poll). */
  token?: string;
  /** Called with every answer's X-Gatehouse-Version. */
  onVersion?: (version: string) => void;
  send?: HttpSend;
  openStream?: HttpOpenStream;
  /** The silence after which a request is given up (default 15 s). */
  idleMs?: number;
}

export interface CallOptions {
  body?: Record<string, unknown>;
  query?: Record<string, string | undefined>;
  /** The line for `forbidden` (the contract's "You do not have role R in account A."); the portal's message otherwise. */
  forbidden?: string;
  /** The line for `session_ended`, when it means something else than a terminal session that ended (a sign-in that ended). */
  ended?: string;
  /** Stops a stream: the connection is closed and the iteration ends quietly. */
  signal?: AbortSignal;
}

/** A failure the portal reported, with its error code. */
export class PortalError extends CliError {
  constructor(
    message: string,
    readonly code: ApiErrorCode | undefined,
  ) {
    super(message);
    this.name = 'PortalError';
  }
}

const isErrorCode = (code: string): code is ApiErrorCode => Object.hasOwn(ERRORS, code);

/**
 * The portal's origin from what a person typed (`https://gatehouse.example.com/`, a path or query is
 * dropped): https, or http for this machine only, so a bearer token never crosses a network in clear.
 */
export function normalisePortalUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new CliError(`The portal URL ${JSON.stringify(text)} is not a URL (expected https://gatehouse.example.com).`, 2);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new CliError(`The portal URL ${url.href} must start with https://.`, 2);
  }
  const loopback = url.hostname === 'localhost' || url.hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(url.hostname);
  if (url.protocol === 'http:' && !loopback) {
    throw new CliError(`The portal URL ${url.href} must start with https:// (plain http only for this machine).`, 2);
  }
  if (url.username || url.password) throw new CliError('The portal URL must not carry a user name or password.', 2);
  return url.origin;
}

/** How many bytes of a listing line are read at most: far more than any event of the contract. */
const MAX_LINE = 16 * 1024 * 1024;

export class PortalApi {
  private readonly send: HttpSend;
  private readonly openStream: HttpOpenStream;

  constructor(private readonly options: PortalOptions) {
    this.send = options.send ?? sendHttp;
    this.openStream = options.openStream ?? openHttpStream;
  }

  get portal(): string {
    return this.options.portal;
  }

  /** A JSON answer, parsed with `schema`. */
  async json<T>(method: 'GET' | 'POST', path: string, schema: ZodMiniType<T>, options: CallOptions = {}): Promise<T> {
    const request = this.request(method, path, options);
    let answer: HttpAnswer;
    try {
      answer = await this.send(request);
    } catch (error) {
      throw this.unreachable(error);
    }
    this.sawVersion(answer.headers);
    if (answer.status < 200 || answer.status >= 300) throw this.failure(answer, options);
    let value: unknown;
    try {
      value = JSON.parse(answer.body);
    } catch {
      throw this.notUnderstood();
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw this.notUnderstood();
    return parsed.data;
  }

  /**
   * A newline-delimited JSON answer, one value per line as it arrives (lines that are empty, such as
   * the portal's keep-alive, or not JSON are skipped). Stopping the iteration closes the connection.
   */
  async *lines(path: string, options: CallOptions = {}): AsyncGenerator<unknown, void, undefined> {
    const request = this.request('GET', path, options);
    request.headers.accept = 'application/x-ndjson';
    let stream;
    try {
      stream = await this.openStream(request);
    } catch (error) {
      throw this.unreachable(error);
    }
    const { signal } = options;
    const close = () => stream.close();
    signal?.addEventListener('abort', close);
    try {
      this.sawVersion(stream.headers);
      if (stream.status < 200 || stream.status >= 300) {
        let body = '';
        try {
          for await (const chunk of stream.chunks) if ((body += chunk).length > MAX_LINE) break;
        } catch {
          // The error's body is read as far as it came.
        }
        throw this.failure({ status: stream.status, headers: stream.headers, body }, options);
      }
      let buffered = '';
      try {
        for await (const chunk of stream.chunks) {
          buffered += chunk;
          let newline: number;
          while ((newline = buffered.indexOf('\n')) >= 0) {
            const line = buffered.slice(0, newline).trim();
            buffered = buffered.slice(newline + 1);
            if (line === '') continue;
            let value: unknown;
            try {
              value = JSON.parse(line);
            } catch {
              continue;
            }
            yield value;
          }
          if (buffered.length > MAX_LINE) throw this.notUnderstood();
        }
      } catch (error) {
        if (signal?.aborted) return;
        if (error instanceof CliError) throw error;
        throw this.unreachable(error, 'stopped answering');
      }
    } finally {
      signal?.removeEventListener('abort', close);
      stream.close();
    }
  }

  private request(method: 'GET' | 'POST', path: string, options: CallOptions): HttpRequest {
    const url = new URL(path, this.portal);
    if (this.options.instance) url.searchParams.set('instance', this.options.instance);
    for (const [name, value] of Object.entries(options.query ?? {})) if (value !== undefined) url.searchParams.set(name, value);
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': USER_AGENT };
    if (this.options.token) headers.authorization = `Bearer ${this.options.token}`;
    let body: string | undefined;
    if (method === 'POST') {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.body ?? {});
    }
    return { method, url, headers, body, idleMs: this.options.idleMs ?? IDLE_TIMEOUT_MS };
  }

  private sawVersion(headers: Record<string, string>): void {
    const version = headers['x-gatehouse-version'];
    if (version) this.options.onVersion?.(version);
  }

  private unreachable(error: unknown, what = 'could not be reached'): CliError {
    if (error instanceof SilentPortalError) {
      return new CliError(`The portal at ${this.portal} did not answer for ${Math.round(error.idleMs / 1000)} s: it may be overloaded or down. Try again.`);
    }
    return new CliError(`The portal at ${this.portal} ${what}.`);
  }

  private notUnderstood(): CliError {
    return new CliError(`The portal at ${this.portal} gave an answer this command does not understand: is it a Gatehouse portal?`);
  }

  /** The line for an answer that is not a success: by the error code it carries, whatever its status. */
  private failure(answer: HttpAnswer, options: CallOptions): CliError {
    let parsed: ReturnType<typeof apiErrorSchema.safeParse> | undefined;
    try {
      parsed = apiErrorSchema.safeParse(JSON.parse(answer.body));
    } catch {
      parsed = undefined;
    }
    if (!parsed?.success || !isErrorCode(parsed.data.error.code)) {
      // Not the API's error shape: not a Gatehouse portal, or one too old to have this route.
      return new CliError(`The portal at ${this.portal} answered ${answer.status} without a Gatehouse error: check the URL, or update the portal.`);
    }
    const code = parsed.data.error.code;
    const message = forTerminal(parsed.data.error.message) || ERRORS[code].message;
    switch (code) {
      case 'session_ended':
      case 'unauthenticated':
        return new PortalError(options.ended ?? `${/[.!?]$/.test(message) ? message : `${message}.`} Run \`gatehouse login\`.`, code);
      case 'forbidden':
        return new PortalError(options.forbidden ?? message, code);
      case 'rate_limited': {
        const after = /^\d{1,5}$/.test(answer.headers['retry-after'] ?? '') ? Number(answer.headers['retry-after']) : undefined;
        return new PortalError(`The portal asks to slow down${after ? `: try again in ${after} s` : ''}.`, code);
      }
      default:
        return new PortalError(message, code);
    }
  }
}
