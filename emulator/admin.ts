/**
 * Admin API under /__emulator/ for tests and benchmarks: approve/deny device codes, change knobs, force
 * faults, read counters. JSON in and out; never delayed, throttled or faulted. State-changing calls are
 * refused from other sites (see refuseCrossSite).
 */
import { z } from 'zod';
import { indexDirectory, parseDirectory } from './directory';
import { sendJson } from './http';
import { applyKnobs, describeIssues, forcedFaultsSchema, knobsPatchSchema } from './knobs';
import type { EmulatorRuntime } from './runtime';
import type { DecisionResult } from './store';
import type { EmulatorRequest } from './types';

const approveSchema = z.strictObject({ userCode: z.string().min(1).max(64), userName: z.string().min(1).max(128) });
const denySchema = z.strictObject({ userCode: z.string().min(1).max(64) });
const revokeSchema = z.strictObject({ userName: z.string().min(1).max(128) });

export class AdminError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = 'AdminError';
  }
}

const DECISION_ERRORS: Record<Exclude<DecisionResult, { ok: true }>['reason'], [number, string]> = {
  'unknown-code': [404, 'Unknown user code'],
  expired: [410, 'The user code has expired'],
  'already-decided': [409, 'The user code was already approved or denied'],
  'unknown-user': [400, 'Unknown user'],
  'bad-form-token': [403, 'Bad form token'],
};

/** Approve/deny shared by the HTTP admin API and RunningEmulator.admin; throws AdminError on refusal. */
export function decideDevice(runtime: EmulatorRuntime, userCode: string, decision: { approve: true; userName: string } | { approve: false }): void {
  const { ctx, store } = runtime;
  const result = decision.approve
    ? store.decide(userCode, { approve: true, userName: decision.userName, knownUser: indexDirectory(ctx.directory).user(decision.userName) !== undefined }, ctx.clock.now())
    : store.decide(userCode, { approve: false }, ctx.clock.now());
  if (!result.ok) {
    const [status, message] = DECISION_ERRORS[result.reason];
    throw new AdminError(status, message);
  }
}

/** Whether `origin` (an Origin header) is the origin of `url`; "null" and malformed values never are. */
function sameOrigin(url: string, origin: string): boolean {
  try {
    return new URL(url).origin === new URL(origin).origin;
  } catch {
    return false;
  }
}

const READ_METHODS = new Set(['GET', 'HEAD']);

/**
 * `ownOrigins` are the origins the emulator is reached at (its public URL and the address it listens on);
 * read on every request, as the listening address is known only once the server is up.
 */
export function createAdminHandler(runtime: EmulatorRuntime, ownOrigins: () => readonly string[]) {
  const { ctx } = runtime;

  function fail(request: EmulatorRequest, status: number, message: string): void {
    sendJson(request.res, status, { message }, request.requestId);
  }

  /**
   * CSRF defence, the portal's rule (lib/server/http/request-guard.ts): any web page a demo user visits
   * could otherwise POST here (a text/plain form or fetch needs no preflight) and change knobs or revoke
   * sessions. A browser marks another site's request with Sec-Fetch-Site and Origin; a state-changing
   * call must also carry JSON, which a cross-site page cannot send without a preflight we never grant.
   * Tests and scripts (Node fetch: neither header, JSON) pass. True when refused (the answer is sent).
   */
  function refuseCrossSite(request: EmulatorRequest): boolean {
    const { headers } = request.req;
    const site = headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin') {
      fail(request, 403, 'Cross-site requests to the admin API are refused');
      return true;
    }
    const origin = headers.origin;
    if (origin !== undefined && !ownOrigins().some((own) => sameOrigin(own, origin))) {
      fail(request, 403, 'Requests from another origin to the admin API are refused');
      return true;
    }
    if (!/^application\/json\s*(;|$)/i.test(headers['content-type'] ?? '')) {
      fail(request, 415, 'Send the request body as application/json');
      return true;
    }
    return false;
  }

  function body<T extends z.ZodType>(request: EmulatorRequest, schema: T): z.infer<T> | undefined {
    let json: unknown;
    try {
      json = request.body.length === 0 ? {} : JSON.parse(request.body.toString('utf8'));
    } catch {
      fail(request, 400, 'Request body is not valid JSON');
      return undefined;
    }
    const result = schema.safeParse(json);
    if (!result.success) {
      fail(request, 400, describeIssues(result.error));
      return undefined;
    }
    return result.data;
  }

  function decide(request: EmulatorRequest, run: () => void, status: string): void {
    try {
      run();
      sendJson(request.res, 200, { status }, request.requestId);
    } catch (error) {
      if (error instanceof AdminError) fail(request, error.status, error.message);
      else throw error;
    }
  }

  return function handleAdmin(request: EmulatorRequest): void {
    if (!READ_METHODS.has(request.method) && refuseCrossSite(request)) return;
    const route = `${request.method} ${request.url.pathname.slice('/__emulator'.length)}`;
    switch (route) {
      case 'GET /health':
        return sendJson(request.res, 200, { status: 'ok' }, request.requestId);
      case 'POST /device/approve': {
        const input = body(request, approveSchema);
        if (input) decide(request, () => decideDevice(runtime, input.userCode, { approve: true, userName: input.userName }), 'approved');
        return;
      }
      case 'GET /device/pending':
        // The codes waiting for approval, as a person handed a link would see one.
        return sendJson(request.res, 200, { pending: runtime.store.pendingAuthorizations(ctx.clock.now()) }, request.requestId);
      case 'POST /device/deny': {
        const input = body(request, denySchema);
        if (input) decide(request, () => decideDevice(runtime, input.userCode, { approve: false }), 'denied');
        return;
      }
      case 'GET /knobs':
        return sendJson(request.res, 200, ctx.knobs, request.requestId);
      case 'POST /knobs': {
        const input = body(request, knobsPatchSchema);
        if (!input) return;
        // In place: anything holding a reference to ctx.knobs sees the change.
        Object.assign(ctx.knobs, applyKnobs(ctx.knobs, input));
        return sendJson(request.res, 200, ctx.knobs, request.requestId);
      }
      case 'GET /faults':
        return sendJson(request.res, 200, runtime.faults.snapshot(), request.requestId);
      case 'POST /faults': {
        const input = body(request, forcedFaultsSchema);
        if (!input) return;
        runtime.faults.set(input);
        return sendJson(request.res, 200, runtime.faults.snapshot(), request.requestId);
      }
      case 'GET /directory':
        return sendJson(request.res, 200, ctx.directory, request.requestId);
      case 'PUT /directory': {
        // What an administrator does in Identity Center: assignments change under a signed-in person.
        const input = body(request, z.unknown());
        if (input === undefined) return;
        try {
          ctx.directory = parseDirectory(input, 'request body');
        } catch (error) {
          return fail(request, 400, error instanceof Error ? error.message : 'Invalid directory');
        }
        return sendJson(request.res, 200, { status: 'replaced' }, request.requestId);
      }
      case 'POST /users/revoke-sessions': {
        // Ends every sign-in of the user, as an administrator revoking their sessions would.
        const input = body(request, revokeSchema);
        if (!input) return;
        const revoked = runtime.store.revokeUser(input.userName);
        return sendJson(request.res, 200, { revoked }, request.requestId);
      }
      case 'GET /stats':
        return sendJson(request.res, 200, runtime.stats.snapshot(), request.requestId);
      case 'POST /stats/reset':
        runtime.stats.reset();
        return sendJson(request.res, 200, runtime.stats.snapshot(), request.requestId);
      default:
        return fail(request, 404, `No admin endpoint ${request.method} ${request.url.pathname}`);
    }
  };
}
