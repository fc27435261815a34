/**
 * The portal's terminal API (/api/cli/*) as the command uses it: the bearer token, the instance, the
 * version header, and every failure turned into the one line the person reads.
 */
import { hostname } from 'node:os';

import type { ZodMiniType } from 'zod/mini';

import { CliError, oneLine, SESSION_ENDED } from './errors';
import { type HttpAnswer, type HttpSend, sendHttp } from './http';
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
}

export interface CallOptions {
  body?: Record<string, unknown>;
  query?: Record<string, string | undefined>;
  /** The line for a 403 (the contract's "You do not have role R in account A."); the portal's message otherwise. */
  forbidden?: string;
  /** The line for a 401, when it means something else than a terminal session that ended (a sign-in whose code died). */
  unauthorized?: string;
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 120_000;

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

export class PortalApi {
  private readonly send: HttpSend;

  constructor(private readonly options: PortalOptions) {
    this.send = options.send ?? sendHttp;
  }

  get portal(): string {
    return this.options.portal;
  }

  /** A JSON answer, parsed with `schema`. */
  async json<T>(method: 'GET' | 'POST', path: string, schema: ZodMiniType<T>, options: CallOptions = {}): Promise<T> {
    const answer = await this.call(method, path, 'application/json', options);
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

  /** A text answer (a credential format), exactly as sent. */
  async text(method: 'GET' | 'POST', path: string, options: CallOptions = {}): Promise<string> {
    const answer = await this.call(method, path, 'text/plain', options);
    return answer.body;
  }

  private notUnderstood(): CliError {
    return new CliError(`The portal at ${this.portal} gave an answer this command does not understand: is it a Gatehouse portal?`);
  }

  private async call(method: 'GET' | 'POST', path: string, accept: string, options: CallOptions): Promise<HttpAnswer> {
    const url = new URL(path, this.portal);
    if (this.options.instance) url.searchParams.set('instance', this.options.instance);
    for (const [name, value] of Object.entries(options.query ?? {})) if (value !== undefined) url.searchParams.set(name, value);
    const headers: Record<string, string> = { accept, 'user-agent': USER_AGENT };
    if (this.options.token) headers.authorization = `Bearer ${this.options.token}`;
    let body: string | undefined;
    if (method === 'POST') {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.body ?? {});
    }
    let answer: HttpAnswer;
    try {
      answer = await this.send({ method, url, headers, body, timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS });
    } catch {
      throw new CliError(`The portal at ${this.portal} could not be reached.`);
    }
    const version = answer.headers['x-gatehouse-version'];
    if (version) this.options.onVersion?.(version);
    if (answer.status >= 200 && answer.status < 300) return answer;
    throw this.failure(answer, options);
  }

  private failure(answer: HttpAnswer, options: CallOptions): CliError {
    let code: string | undefined;
    let message: string | undefined;
    try {
      const parsed = apiErrorSchema.safeParse(JSON.parse(answer.body));
      if (parsed.success) ({ code, message } = parsed.data.error);
    } catch {
      // not the API's error shape: described by its status below
    }
    if (answer.status === 401) return new CliError(options.unauthorized ?? SESSION_ENDED);
    if (answer.status === 403 && options.forbidden && (code === undefined || code === 'forbidden')) return new CliError(options.forbidden);
    // Every terminal route exists on a portal that has the terminal API: a 404 means an older portal, or another site.
    if (answer.status === 404) return new CliError(`The portal at ${this.portal} has no terminal API (404): check the URL, or update the portal.`);
    if (answer.status === 429) {
      const after = Number(answer.headers['retry-after']);
      return new CliError(`The portal asks to slow down${Number.isFinite(after) && after > 0 ? `: try again in ${after} s` : ''}.`);
    }
    if (message) return new CliError(oneLine(message));
    return new CliError(`The portal at ${this.portal} answered ${answer.status}.`);
  }
}
