import 'server-only';

import type { NextRequest } from 'next/server';
import type { z } from 'zod';

import { ERRORS, GatehouseError, hasCode, isGatehouseError } from '@/lib/server/core/errors';
import { logger } from '@/lib/server/core/log';
import { metrics, routePattern } from '@/lib/server/core/metrics';
import { type LimitedAction, recordRefusal, spendBudget } from '@/lib/server/dal/request-checks';
import { services } from '@/lib/server/services';
import { PORTAL_VERSION } from '@/lib/server/core/version';
import { endOf, terminalEndMessage } from '@/lib/server/session/session-end';
import { clearSessionCookie, getViewer, requestFacts, type SessionTransport, type Viewer } from '@/lib/server/viewer';

import { errorResponse } from './api';
import { whatIsWrong } from './invalid-input';
import { htmlError } from './html-error';
import { readJsonBody, refuseCrossSite, requireJson } from './request-guard';

/**
 * Where every API request enters: the checks that come before any work (the cross-site check for
 * state changes, the request budget, the route parameters, query and body parsed with zod, a
 * refusal audited), then the viewer, then the route's one call to the front door. Whatever the
 * front door throws becomes its answer through the one error table; anything unexpected is logged
 * by name and answered with a generic 500, never a stack trace. One log line and one metric per
 * request.
 */

export interface RouteOptions<P, Q, B> {
  /**
   * How the route's callers present their session: the browser's cookie (the default) or the
   * `gatehouse` command's bearer token. A bearer route needs no cross-site check (no cookie is ever
   * read, so nothing can be forged from another site) and ignores cookies altogether.
   */
  via?: SessionTransport;
  /** The request budget the route spends (see dal/request-checks.ts). */
  budget?: LimitedAction;
  /** The route's dynamic segments. */
  params?: z.ZodType<P>;
  /** The query (first value of each parameter; `instance` is the viewer's, not the route's). */
  query?: z.ZodType<Q>;
  /** A JSON body: the route changes state, so it must come from the portal's own pages. */
  body?: z.ZodType<B>;
  /** What a malformed parameter or query is told. */
  invalid?: string;
}

export interface RouteInput<P, Q, B> {
  viewer: Viewer;
  params: P;
  query: Q;
  body: B;
  request: NextRequest;
}

type RouteContext = { params: Promise<Record<string, string | string[]>> };

/** The query as an object of first values, without `instance` (which chooses the viewer). */
function queryOf(request: NextRequest): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [name, value] of request.nextUrl.searchParams) if (name !== 'instance' && !(name in query)) query[name] = value;
  return query;
}

/** Runs the checks and the handler; throws what should be answered. */
async function handle<P, Q, B>(
  request: NextRequest,
  context: RouteContext | undefined,
  options: RouteOptions<P, Q, B>,
  handler: (input: RouteInput<P, Q, B>) => Promise<Response>,
  resolved: { viewer?: Viewer },
  linkFirst = false,
): Promise<Response> {
  const via = options.via ?? 'cookie';
  const facts = await requestFacts(via);
  const instanceParam = request.nextUrl.searchParams.get('instance');
  // Every state change from a browser is checked for its origin, body or not; a terminal's request
  // reads no cookie, so nothing can be forged from another site, but its body must be JSON too.
  const changesState = request.method !== 'GET' && request.method !== 'HEAD';
  if (changesState && via === 'cookie') refuseCrossSite(request, services().config);
  if (options.body) requireJson(request);
  // A link is checked before it spends the budget; an API request spends it before its input is read.
  if (options.budget && !linkFirst) await spendBudget(facts, options.budget);
  const refuse = async (error: GatehouseError): Promise<never> => {
    await recordRefusal(facts, await getViewer(instanceParam, via).catch(() => undefined), 'input_validation_fail');
    throw error;
  };
  const parse = async <T,>(schema: z.ZodType<T> | undefined, value: unknown): Promise<T> => {
    if (!schema) return undefined as T;
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data;
    // The route's own sentence, then which field is wrong.
    const wrong = whatIsWrong(parsed.error, schema);
    const message = [options.invalid ?? ERRORS.bad_request.message, wrong ? `(${wrong})` : undefined].filter(Boolean).join(' ');
    return refuse(new GatehouseError('bad_request', message));
  };
  const params = await parse(options.params, context ? await context.params : {});
  const query = await parse(options.query, queryOf(request));
  if (options.budget && linkFirst) await spendBudget(facts, options.budget);
  let body = undefined as B;
  if (options.body) {
    try {
      body = await readJsonBody(request, options.body);
    } catch (error) {
      if (isGatehouseError(error)) await refuse(error);
      throw error;
    }
  }
  const viewer = await getViewer(instanceParam, via);
  resolved.viewer = viewer;
  return handler({ viewer, params, query, body, request });
}

/** What a failed request is answered with, and what it leaves behind. */
async function answerFailure(error: unknown, request: NextRequest, viewer: Viewer | undefined, requestId: string, via: SessionTransport): Promise<Response> {
  if (!isGatehouseError(error)) {
    logger().error({ event: 'unexpected_error', errorName: error instanceof Error ? error.name : typeof error, path: request.nextUrl.pathname, requestId });
    return errorResponse(new GatehouseError('internal'));
  }
  // A browser whose session ended forgets its cookie; a terminal is told, and its token is no longer good anyway.
  if (error.code === 'session_ended' && via === 'cookie') {
    const instance = viewer?.instance ?? (await getViewer(request.nextUrl.searchParams.get('instance')).catch(() => undefined))?.instance;
    if (instance) await clearSessionCookie(instance);
  }
  // The command prints why its session ended, in the portal's words.
  if (error.code === 'session_ended' && via === 'bearer') {
    return errorResponse(new GatehouseError('session_ended', terminalEndMessage(endOf(error))));
  }
  const { code } = error;
  if (code === 'upstream_unavailable' || code === 'upstream_invalid') {
    logger().warn({ event: code, path: request.nextUrl.pathname, requestId });
  } else if (code === 'store_unavailable') {
    logger().error({ event: code, path: request.nextUrl.pathname, requestId });
  }
  return errorResponse(error);
}

/** One structured line and one metric per API request; the id is also in the response and in any audit event. */
function observed(request: NextRequest, response: Response, requestId: string, started: number): Response {
  const route = routePattern(request.nextUrl.pathname);
  metrics().httpRequests.inc({ route, method: request.method, status: String(response.status) });
  response.headers.set('X-Request-Id', requestId);
  // The `gatehouse` command says when the portal has a newer one than it is.
  response.headers.set('X-Gatehouse-Version', PORTAL_VERSION);
  logger().info({ event: 'request', requestId, method: request.method, route, status: response.status, durationMs: Math.round(performance.now() - started) });
  return response;
}

/** An API route: JSON in, JSON (or text, or a stream) out, errors in the API's shape. */
export function apiRoute<P = undefined, Q = undefined, B = undefined>(
  options: RouteOptions<P, Q, B>,
  handler: (input: RouteInput<P, Q, B>) => Promise<Response>,
): (request: NextRequest, context: RouteContext) => Promise<Response> {
  return async (request, context) => {
    const started = performance.now();
    const { requestId } = await requestFacts();
    const resolved: { viewer?: Viewer } = {};
    let response: Response;
    try {
      response = await handle(request, context, options, handler, resolved);
    } catch (error) {
      response = await answerFailure(error, request, resolved.viewer, requestId, options.via ?? 'cookie');
    }
    return observed(request, response, requestId, started);
  };
}

/**
 * A route a browser follows as a link (the console shortcut): the same checks and front door, but
 * failures are pages from the same error table, and an ended session goes to sign in and back.
 */
export function linkRoute<P = undefined, Q = undefined>(
  options: Omit<RouteOptions<P, Q, undefined>, 'body'>,
  handler: (input: RouteInput<P, Q, undefined>) => Promise<Response>,
): (request: NextRequest, context: RouteContext) => Promise<Response> {
  return async (request, context) => {
    const { requestId } = await requestFacts();
    const resolved: { viewer?: Viewer } = {};
    try {
      return await handle(request, context, options, handler, resolved, true);
    } catch (error) {
      if (hasCode(error, 'session_ended')) {
        const back = `${request.nextUrl.pathname}${request.nextUrl.search}`;
        const instance = request.nextUrl.searchParams.get('instance');
        const which = instance === null ? '' : `instance=${encodeURIComponent(instance)}&`;
        // A relative Location: the browser stays on the host it came by, where its cookies are.
        return new Response(null, { status: 303, headers: { 'Cache-Control': 'no-store', Location: `/sign-in?${which}next=${encodeURIComponent(back)}` } });
      }
      if (!isGatehouseError(error)) {
        logger().error({ event: 'unexpected_error', errorName: error instanceof Error ? error.name : typeof error, path: '/console', requestId });
      }
      return htmlError(isGatehouseError(error) ? error : new GatehouseError('internal', 'The console could not be opened. Try again.'), requestId);
    }
  };
}

/** A 404 in the API's error shape (a path that names no route). */
export function notFoundError(message: string): GatehouseError {
  return new GatehouseError('not_found', message);
}
