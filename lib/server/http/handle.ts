import 'server-only';

import type { NextRequest } from 'next/server';
import type { z } from 'zod';

import { ConsolePartitionError, FederationUnavailableError } from '@/lib/server/dal/console';
import { CredentialsUnavailableError, RoleNotAssignedError } from '@/lib/server/dal/credentials';
import { IdentityCenterUnauthorizedError, ListingFailedError, UnknownAccountError } from '@/lib/server/dal/listing';
import { audit } from '@/lib/server/audit';
import { MalformedAnswerError } from '@/lib/server/aws/portal';
import { getConfig } from '@/lib/server/env';
import { logger } from '@/lib/server/log';
import { metrics, routePattern } from '@/lib/server/metrics';
import { runtime } from '@/lib/server/runtime';
import { SessionEndedError, UpstreamUnavailableError } from '@/lib/server/session/session-manager';
import { sessionAuditRef, sha256Hex } from '@/lib/server/session/crypto';
import { StoreUnavailableError } from '@/lib/server/store/types';

import { apiError } from './api';
import { clientAddress } from './peer-address';
import { type LimitedAction, overBudget } from './rate-limit';
import { readJsonBody, refuseCrossSite, requestIdOf } from './request-guard';
import { instanceOf, sessionCookieOf, UnknownInstanceError } from './instance';
import { clearSessionCookie } from './session-cookie';

type RouteHandler<C> = (request: NextRequest, context: C) => Promise<Response>;

/**
 * Maps the portal's failures to clear answers: an ended session is a 401 that clears the cookie,
 * an unavailable store or Identity Center a 503; anything unexpected is logged (name only, never
 * a message that could carry a value) and answered with a generic 500, never a stack trace.
 */
export function withErrorHandling<C>(handler: RouteHandler<C>): RouteHandler<C> {
  const answer: RouteHandler<C> = async (request, context) => {
    try {
      return await handler(request, context);
    } catch (error) {
      if (error instanceof UnknownInstanceError) {
        return apiError(400, 'unknown_instance', error.message);
      }
      if (error instanceof ConsolePartitionError) {
        await auditRefusal('input_validation_fail', request);
        return apiError(400, 'bad_request', error.message);
      }
      if (error instanceof UnknownAccountError) {
        await auditRefusal('authz_fail', request, error.attempt);
        return apiError(404, 'not_found', 'You have no account with that id.');
      }
      if (error instanceof RoleNotAssignedError) {
        await auditRefusal('authz_fail', request, error.attempt);
        return apiError(403, 'forbidden', 'You do not have that role in that account.');
      }
      if (error instanceof CredentialsUnavailableError) {
        return apiError(503, 'upstream_unavailable', error.message, { 'Retry-After': String(error.retryAfterSeconds) });
      }
      if (error instanceof FederationUnavailableError) {
        return apiError(503, 'upstream_unavailable', error.message, { 'Retry-After': '5' });
      }
      if (error instanceof ListingFailedError) {
        return apiError(503, 'upstream_unavailable', error.message, { 'Retry-After': '5' });
      }
      if (error instanceof SessionEndedError || error instanceof IdentityCenterUnauthorizedError) {
        const response = apiError(401, 'session_ended', 'Your session has ended. Sign in again.');
        const instance = safeInstanceOf(request);
        if (instance) clearSessionCookie(response, instance);
        return response;
      }
      if (error instanceof MalformedAnswerError) {
        // What Identity Center said is not used, and not repeated: it may carry anything.
        logger().warn({ event: 'upstream_invalid', path: request.nextUrl.pathname, requestId: requestIdOf(request) });
        return apiError(502, 'upstream_invalid', 'Identity Center answered in a form AWS does not document, so Gatehouse did not use the answer. Ask your administrator.');
      }
      if (error instanceof UpstreamUnavailableError) {
        logger().warn({ event: 'upstream_unavailable', code: error.code, path: request.nextUrl.pathname, requestId: requestIdOf(request) });
        return apiError(503, 'upstream_unavailable', 'IAM Identity Center did not answer. Try again in a few seconds.', {
          'Retry-After': '5',
        });
      }
      if (error instanceof StoreUnavailableError) {
        logger().error({ event: 'store_unavailable', path: request.nextUrl.pathname, requestId: requestIdOf(request) });
        return apiError(503, 'store_unavailable', 'The session store is unavailable. Try again shortly.', {
          'Retry-After': '5',
        });
      }
      logger().error({
        event: 'unexpected_error',
        errorName: error instanceof Error ? error.name : typeof error,
        path: request.nextUrl.pathname,
        requestId: requestIdOf(request),
      });
      return apiError(500, 'internal', 'Something went wrong on the portal. Try again.');
    }
  };
  return async (request, context) => {
    const started = performance.now();
    const response = await answer(request, context);
    const route = routePattern(request.nextUrl.pathname);
    metrics().httpRequests.inc({ route, method: request.method, status: String(response.status) });
    // One structured line per API request; the id is also in the response and in any audit event.
    const requestId = requestIdOf(request);
    response.headers.set('X-Request-Id', requestId);
    logger().info({
      event: 'request',
      requestId,
      method: request.method,
      route,
      status: response.status,
      durationMs: Math.round(performance.now() - started),
    });
    return response;
  };
}

/** Refusals written to the audit trail per minute: by a signed-in session, and without one. */
const REFUSALS_PER_SESSION = 10;
const REFUSALS_PER_ADDRESS = 2;
const ANONYMOUS_REFUSALS = 30;
const REFUSAL_WINDOW_MS = 60_000;

/**
 * Whether this refusal goes into the audit trail. Every refusal is counted in the metrics; the trail
 * keeps a sample, so that nobody can flush real events out of it with a flood of bad requests: the
 * first 10 a minute of each kind for a signed-in session, and without a session the first 2 a minute
 * of each kind per client address, 30 a minute from everyone together.
 */
async function sampledIntoTrail(
  event: string,
  request: NextRequest,
  session: { sessionRef: string } | undefined,
): Promise<boolean> {
  const { store, config } = runtime();
  const window = Math.floor(Date.now() / REFUSAL_WINDOW_MS);
  const within = async (key: string, limit: number) => (await store.increment(`audit-sample:${key}:${window}`, REFUSAL_WINDOW_MS)) <= limit;
  try {
    if (session) return await within(`session:${session.sessionRef}:${event}`, REFUSALS_PER_SESSION);
    const address = sha256Hex(clientAddress(request.headers, config.trustedProxyCount));
    return (await within(`address:${address}:${event}`, REFUSALS_PER_ADDRESS)) && (await within('anonymous', ANONYMOUS_REFUSALS));
  } catch {
    // The store cannot count: the metric has it; the trail does not.
    return false;
  }
}

/**
 * Records a refused request: the route, and for a refused account or role, who asked for what (the
 * person's own session says who; the values were validated before they were looked up). Counted
 * always, written to the audit trail as sampled above.
 */
export async function auditRefusal(
  event: 'authz_fail' | 'input_validation_fail',
  request: NextRequest,
  attempt?: { accountId: string; roleName?: string },
): Promise<void> {
  const session = await liveSessionOf(request);
  metrics().refusals.inc({ event, by: session ? 'session' : 'anonymous' });
  if (!(await sampledIntoTrail(event, request, session))) return;
  await audit({
    event,
    user: session?.userName,
    accountId: attempt?.accountId,
    roleName: attempt?.roleName,
    action: `${request.method} ${request.nextUrl.pathname}`.slice(0, 200),
    instance: safeInstanceOf(request)?.id,
    session: session?.sessionRef,
    requestId: requestIdOf(request),
  });
}

function safeInstanceOf(request: NextRequest) {
  try {
    return instanceOf(request);
  } catch {
    return undefined;
  }
}

/** The live session behind the request's cookie, if any (read only: a refusal is not use). */
async function liveSessionOf(request: NextRequest): Promise<{ userName?: string; sessionRef: string } | undefined> {
  try {
    const instance = instanceOf(request);
    const found = await runtime().sessionsFor(instance).lookup(sessionCookieOf(request, instance));
    return found.kind === 'active' && found.record.sso ? { userName: found.record.user?.userName, sessionRef: sessionAuditRef(found.id) } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A state-changing JSON route: the cross-site check, the request budget and the body's schema
 * come first, so the handler only ever sees a same-origin request within budget with a valid body.
 */
export function jsonPostRoute<S extends z.ZodType, C = unknown>(
  schema: S,
  handler: (request: NextRequest, body: z.infer<S>, context: C) => Promise<Response>,
  options: { limit?: LimitedAction } = {},
): RouteHandler<C> {
  return withErrorHandling<C>(async (request, context) => {
    const refused = refuseCrossSite(request, getConfig());
    if (refused) return refused;
    if (options.limit) {
      const limited = await overBudget(request, options.limit);
      if (limited) return limited;
    }
    const body = await readJsonBody(request, schema);
    if (!body.ok) {
      await auditRefusal('input_validation_fail', request);
      return body.response;
    }
    return handler(request, body.value, context);
  });
}
