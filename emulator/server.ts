/**
 * The Identity Center emulator: one node:http server answering SSO OIDC, the SSO portal API, STS,
 * console federation, the device page and the admin API on one port (routing: doc §0.2).
 * Every request gets the same treatment: bounded body, per-service error shapes, knobs (latency,
 * throttling, faults) on AWS API calls only, and a 500 in the service's shape for any handler bug.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { z } from 'zod';
import { createAdminHandler, decideDevice } from './admin';
import { loadDemoDirectory, parseDirectory } from './directory';
import { handleFederation } from './federation';
import { escapeHtml, sendHtml, sendJson, sendOidcError, sendPortalError, sendStsError } from './http';
import { DEFAULT_KNOBS, ForcedFaults, TokenBucket, applyKnobs, describeIssues, knobsPatchSchema } from './knobs';
import { createOidcHandlers } from './oidc';
import { createPageHandlers } from './pages';
import { createPortalHandlers } from './portal';
import { mulberry32 } from './random';
import { Stats, type EmulatorRuntime } from './runtime';
import { SsoStore } from './store';
import { handleSts } from './sts';
import { systemClock, type Clock, type Directory, type EmulatorContext, type EmulatorKnobs, type EmulatorRequest, type Handler } from './types';

export interface EmulatorOptions extends Partial<EmulatorKnobs> {
  /** Default 4599; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Base URL people and clients use (verification links); default `http://<host>:<port>`. */
  publicUrl?: string;
  /** Default: the demo directory (emulator/directories/demo.json). */
  directory?: Directory;
  region?: string;
  clock?: Clock;
  /** Seed of ctx.random (fault injection); default random. */
  seed?: number;
  /** Receives one line per request and any handler error; no line ever carries a token or secret. */
  log?: (line: string) => void;
  /** Written into every client secret, device code and token (letters and digits), for canary tests. */
  secretMarker?: string;
}

export interface RunningEmulator {
  /** Where this process reaches the emulator (use as the SDK endpoint). */
  url: string;
  port: number;
  ctx: EmulatorContext;
  close(): Promise<void>;
  /**
   * Identity Center gone for a while: stops listening (open connections are cut, new ones refused)
   * and keeps every session, token and knob, so `resume` brings back the same Identity Center.
   */
  suspend(): Promise<void>;
  /** Listens again on the same port after `suspend`. */
  resume(): Promise<void>;
  admin: {
    /** Approves a pending user code as `userName`; throws when the code or user is unknown, expired or used. */
    approve(userCode: string, userName: string): void;
    deny(userCode: string): void;
    /** The user codes waiting for a decision, oldest first, with the client that asked. */
    pending(): { userCode: string; clientName: string; createdAt: string }[];
  };
}

/** Bodies above this are refused; the rest of an oversized body is drained up to DRAIN_LIMIT so the client reads the answer. */
export const MAX_BODY_BYTES = 1024 * 1024;
const DRAIN_LIMIT = 8 * MAX_BODY_BYTES;

type Service = 'oidc' | 'portal' | 'sts' | 'federation' | 'page' | 'admin' | 'none';

interface Route {
  service: Service;
  /** Operation name for stats and logs. */
  operation: string;
  handler: Handler;
}

const AWS_API: ReadonlySet<Service> = new Set(['oidc', 'portal', 'sts']);

const optionsSchema = knobsPatchSchema.extend({
  port: z.number().int().min(0).max(65_535).optional(),
  host: z.string().min(1).optional(),
  publicUrl: z.url({ protocol: /^https?$/ }).optional(),
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'must look like us-east-1').optional(),
  seed: z.number().int().optional(),
  secretMarker: z.string().regex(/^[A-Za-z0-9]{0,32}$/, 'letters and digits only').optional(),
});

function validateOptions(options: EmulatorOptions): z.infer<typeof optionsSchema> {
  // Objects (directory, clock, log) are typed by the caller; everything else is checked here.
  const plain: Record<string, unknown> = { ...options };
  delete plain.directory;
  delete plain.clock;
  delete plain.log;
  const result = optionsSchema.safeParse(plain);
  if (!result.success) throw new TypeError(`Invalid emulator options: ${describeIssues(result.error)}`);
  return result.data;
}

function hostForUrl(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

/** Reads the body into memory up to MAX_BODY_BYTES. */
function readBody(req: IncomingMessage): Promise<{ kind: 'ok'; body: Buffer } | { kind: 'too-large' } | { kind: 'aborted' }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (value: { kind: 'ok'; body: Buffer } | { kind: 'too-large' } | { kind: 'aborted' }) => {
      if (!settled) {
        settled = true;
        resolve(value);
      }
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
      else if (size > DRAIN_LIMIT) {
        req.socket.destroy();
        settle({ kind: 'aborted' });
      }
    });
    req.on('end', () => settle(size > MAX_BODY_BYTES ? { kind: 'too-large' } : { kind: 'ok', body: Buffer.concat(chunks) }));
    req.on('error', () => settle({ kind: 'aborted' }));
    req.on('close', () => settle({ kind: 'aborted' }));
  });
}

/** The STS/federation Action, for stats only (never trusted beyond that). */
function actionName(url: URL, body: Buffer, fallback: string): string {
  const fromQuery = url.searchParams.get('Action');
  const action = fromQuery ?? (body.length > 0 && body.length < 65_536 ? new URLSearchParams(body.toString('utf8')).get('Action') : null);
  return action && /^[A-Za-z]{1,64}$/.test(action) ? action : fallback;
}

export async function createEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const valid = validateOptions(options);
  const knobPatch = knobsPatchSchema.parse(Object.fromEntries(Object.entries(valid).filter(([key]) => key in DEFAULT_KNOBS)));
  const baseKnobs: EmulatorKnobs = { ...DEFAULT_KNOBS, rateBurst: Math.max(1, knobPatch.rateLimit ?? 0) };
  const knobs = applyKnobs(baseKnobs, knobPatch);
  const directory = options.directory ? parseDirectory(options.directory, 'options.directory') : loadDemoDirectory();
  const clock = options.clock ?? systemClock;
  const region = valid.region ?? 'us-east-1';
  const host = valid.host ?? '127.0.0.1';
  const log = options.log;

  const ctx: EmulatorContext = {
    clock,
    knobs,
    directory,
    region,
    publicUrl: '',
    roleCredentials: new Map(),
    signinTokens: new Map(),
    random: mulberry32(valid.seed ?? randomInt(2 ** 31)),
  };
  const runtime: EmulatorRuntime = {
    ctx,
    store: new SsoStore(region, options.secretMarker ?? ''),
    bucket: new TokenBucket(clock),
    faults: new ForcedFaults(),
    stats: new Stats(),
  };
  const oidc = createOidcHandlers(runtime);
  const portal = createPortalHandlers(runtime);
  const pages = createPageHandlers(runtime);
  // Set once the server listens: the address this process reaches it at, beside ctx.publicUrl.
  let listenUrl = '';
  const admin = createAdminHandler(runtime, () => [ctx.publicUrl, listenUrl]);

  const table: Record<string, Record<string, Route>> = {
    '/client/register': { POST: { service: 'oidc', operation: 'RegisterClient', handler: oidc.registerClient } },
    '/device_authorization': { POST: { service: 'oidc', operation: 'StartDeviceAuthorization', handler: oidc.startDeviceAuthorization } },
    '/token': { POST: { service: 'oidc', operation: 'CreateToken', handler: oidc.createToken } },
    '/assignment/accounts': { GET: { service: 'portal', operation: 'ListAccounts', handler: portal.listAccounts } },
    '/assignment/roles': { GET: { service: 'portal', operation: 'ListAccountRoles', handler: portal.listAccountRoles } },
    '/federation/credentials': { GET: { service: 'portal', operation: 'GetRoleCredentials', handler: portal.getRoleCredentials } },
    '/logout': { POST: { service: 'portal', operation: 'Logout', handler: portal.logout } },
    '/federation': { GET: { service: 'federation', operation: 'federation', handler: handleFederation } },
    '/device': {
      GET: { service: 'page', operation: 'DevicePage', handler: pages.getDevice },
      POST: { service: 'page', operation: 'DeviceDecision', handler: pages.postDevice },
    },
  };

  function route(method: string, url: URL): Route | { service: Service; notAllowed: true } | undefined {
    const path = url.pathname;
    if (path.startsWith('/__emulator/')) return { service: 'admin', operation: 'admin', handler: admin };
    if (path === '/') {
      // STS is the query protocol at the root; a plain browser visit gets the index page instead.
      if (method === 'POST' || (method === 'GET' && url.searchParams.has('Action'))) return { service: 'sts', operation: 'STS', handler: handleSts };
      if (method === 'GET') return { service: 'page', operation: 'Index', handler: pages.index };
      return { service: 'sts', notAllowed: true };
    }
    const entry = Object.hasOwn(table, path) ? table[path] : undefined;
    if (!entry) return undefined;
    const match = Object.hasOwn(entry, method) ? entry[method] : undefined;
    if (match) return match;
    const service = Object.values(entry)[0]?.service ?? 'none';
    return { service, notAllowed: true };
  }

  /** An error in the shape the service's clients parse. */
  function sendError(service: Service, res: ServerResponse, requestId: string, status: number, shape: string, message: string): void {
    switch (service) {
      case 'oidc': {
        const oauth = status >= 500 ? 'server_error' : 'invalid_request';
        return sendOidcError(res, requestId, status, shape, oauth, message);
      }
      case 'portal':
        return sendPortalError(res, requestId, status, shape, message);
      case 'sts':
        return sendStsError(res, requestId, status, shape === 'InternalServerException' ? 'InternalFailure' : shape, message, status >= 500 ? 'Receiver' : 'Sender');
      case 'page':
        return sendHtml(res, status, `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Error</title></head><body><h1>Error ${status}</h1><p>${escapeHtml(message)}</p></body></html>`);
      default: {
        const text = JSON.stringify({ message });
        res.writeHead(status, { 'Content-Type': 'application/json', 'x-amzn-RequestId': requestId, 'x-amzn-ErrorType': shape, 'Content-Length': Buffer.byteLength(text) });
        res.end(text);
      }
    }
  }

  function sendInternalError(service: Service, res: ServerResponse, requestId: string): void {
    sendError(service, res, requestId, 500, 'InternalServerException', 'An internal error occurred. Try again later.');
  }

  function drop(res: ServerResponse): void {
    runtime.stats.droppedConnections += 1;
    res.socket?.destroy();
  }

  /** Knobs on AWS API calls: latency, random faults, and for the portal forced faults and the token bucket. True = continue. */
  async function applyKnobsTo(service: Service, res: ServerResponse, requestId: string, url: URL): Promise<boolean> {
    if (ctx.knobs.latencyMs > 0) await delay(ctx.knobs.latencyMs);
    if (ctx.knobs.faultRate > 0 && ctx.random() < ctx.knobs.faultRate) {
      if (ctx.random() < 0.5) {
        runtime.stats.injectedErrors += 1;
        sendInternalError(service, res, requestId);
      } else drop(res);
      return false;
    }
    if (service !== 'portal') return true;
    const forced = runtime.faults.next(url.searchParams.get('account_id'));
    if (forced === 'error') {
      runtime.stats.injectedErrors += 1;
      sendInternalError(service, res, requestId);
      return false;
    }
    if (forced === 'drop') {
      drop(res);
      return false;
    }
    if (forced === 'throttle' || !runtime.bucket.take(ctx.knobs.rateLimit, ctx.knobs.rateBurst)) {
      runtime.stats.throttled += 1;
      // Exactly what AWS sends (doc §8); Retry-After is an extra the SDKs honour.
      sendPortalError(res, requestId, 429, 'TooManyRequestsException', 'HTTP 429 Unknown Code', { 'Retry-After': '1' });
      return false;
    }
    return true;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now();
    const requestId = randomUUID();
    const method = req.method ?? 'GET';
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://emulator.local');
      if (req.headers.host && /^[\w.:[\]-]+$/.test(req.headers.host)) url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    } catch {
      sendError('none', res, requestId, 400, 'InvalidRequestException', 'Malformed request target');
      return;
    }
    let operation = 'unknown';
    res.on('finish', () => log?.(`${method} ${url.pathname} ${res.statusCode} ${Date.now() - started}ms ${operation}`));

    const target = route(method, url);
    if (!target) {
      // Drain so the client can read the answer on a kept-alive connection.
      req.resume();
      sendError('none', res, requestId, 404, 'UnknownOperationException', 'The requested operation is not supported by this endpoint');
      return;
    }
    if ('notAllowed' in target) {
      req.resume();
      sendError(target.service, res, requestId, 405, 'MethodNotAllowedException', `Method ${method} is not allowed on this resource`);
      return;
    }
    const read = await readBody(req);
    if (read.kind === 'aborted') return;
    operation = target.operation;
    if (target.service === 'sts' || target.service === 'federation') operation = actionName(url, read.kind === 'ok' ? read.body : Buffer.alloc(0), target.operation);
    if (target.service !== 'admin' && target.service !== 'page') runtime.stats.record(operation);
    if (read.kind === 'too-large') {
      sendError(target.service, res, requestId, 413, target.service === 'sts' ? 'RequestEntityTooLarge' : 'InvalidRequestException', `Request body exceeds ${MAX_BODY_BYTES} bytes`);
      return;
    }

    try {
      if (AWS_API.has(target.service) && !(await applyKnobsTo(target.service, res, requestId, url))) return;
      const request: EmulatorRequest = { req, res, method, url, body: read.body, requestId, ctx };
      await target.handler(request);
    } catch (error) {
      // Name and message only: a stack or request detail could carry a token into a log.
      log?.(`error in ${operation}: ${error instanceof Error ? `${error.name}: ${error.message}` : 'non-error thrown'}`);
      if (!log) console.error(`[emulator] error in ${operation}:`, error instanceof Error ? error.message : error);
      if (!res.headersSent) sendInternalError(target.service, res, requestId);
      else res.destroy();
    }
  }

  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) sendJson(res, 500, { message: 'Internal error' }, randomUUID());
      else res.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // A malformed request line or header never reaches a handler; answer 400 and move on.
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });

  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      server.once('error', onError);
      server.listen(port, host, () => {
        server.off('error', onError);
        resolve();
      });
    });
  const stopListening = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
      server.closeAllConnections();
    });
  await listen(valid.port ?? 4599);
  const port = (server.address() as AddressInfo).port;
  const url = `http://${hostForUrl(host)}:${port}`;
  listenUrl = url;
  ctx.publicUrl = (valid.publicUrl ?? url).replace(/\/+$/, '');

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    ctx,
    admin: {
      approve: (userCode, userName) => decideDevice(runtime, userCode, { approve: true, userName }),
      deny: (userCode) => decideDevice(runtime, userCode, { approve: false }),
      pending: () => runtime.store.pendingAuthorizations(ctx.clock.now()),
    },
    close() {
      closing ??= server.listening ? stopListening() : Promise.resolve();
      return closing;
    },
    suspend: () => (server.listening ? stopListening() : Promise.resolve()),
    resume: () => (server.listening || closing ? Promise.resolve() : listen(port)),
  };
}
