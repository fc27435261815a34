import 'server-only';

import { cookies, headers } from 'next/headers';
import { notFound, redirect } from 'next/navigation';
import { cache } from 'react';

import { getConfig, type IdentityCenterInstance } from '@/lib/server/env';
import { resolveInstance, UnknownInstanceError } from '@/lib/server/http/instance';
import { portalHost } from '@/lib/server/http/request-guard';
import { sessionCookieName } from '@/lib/server/http/session-cookie';
import { runtime } from '@/lib/server/runtime';
import { withInstance } from '@/lib/shared/instances';

import { clientName } from './client-name';
import { sessionAuditRef } from './crypto';
import { proxyBindingHolds } from './proxy-binding';
import { isSignedIn } from './record';
import { SessionEndedError } from './session-manager';

export interface CurrentSession {
  user?: string;
  /** Epoch milliseconds: when the session ends if nothing else happens. */
  expiresAt: number;
  instance: IdentityCenterInstance;
  /** The instance's key for URLs, or undefined when only one instance is configured. */
  instanceKey?: string;
  /** With several instances: the instance's name, for the header. */
  instanceName?: string;
  /** The session's reference in the audit trail (its events before its user is known). */
  sessionRef: string;
}

function describe(instance: IdentityCenterInstance, sessionId: string, user: string | undefined, expiresAt: number): CurrentSession {
  const several = getConfig().instances.length > 1;
  return {
    user,
    expiresAt,
    sessionRef: sessionAuditRef(sessionId),
    instance,
    instanceKey: several ? instance.key : undefined,
    instanceName: several ? instance.name : undefined,
  };
}

/**
 * The instance a page is about: `?instance=` when given (an unknown one is a 404), else the first
 * configured instance this browser is signed in to (a cookie of an abandoned or ended sign-in does
 * not count), else the first configured one.
 */
export async function pageInstance(requested: string | string[] | undefined): Promise<IdentityCenterInstance> {
  if (typeof requested === 'string') {
    try {
      return resolveInstance(requested, () => false);
    } catch (error) {
      if (error instanceof UnknownInstanceError) notFound();
      throw error;
    }
  }
  const { instances } = getConfig();
  if (instances.length === 1) return instances[0];
  return (await firstSignedIn()) ?? instances[0];
}

/** The first configured instance with a live signed-in session in this browser, if any. */
async function firstSignedIn(): Promise<IdentityCenterInstance | undefined> {
  for (const instance of getConfig().instances) {
    if (await sessionAt(instance)) return instance;
  }
  return undefined;
}

/**
 * The signed-in session for one instance (read only: no refresh, no activity), or null. Read once
 * per request however many parts of the page ask (React's request cache).
 */
export const sessionAt = cache(async (instance: IdentityCenterInstance): Promise<CurrentSession | null> => {
  const sessions = runtime().sessionsFor(instance);
  const id = (await cookies()).get(sessionCookieName(instance))?.value;
  if (id === undefined) return null;
  const found = await sessions.lookup(id);
  if (found.kind !== 'active' || !isSignedIn(found.record)) return null;
  if (!(await proxyBindingHolds(await headers(), found.id, found.record))) return null;
  return describe(instance, found.id, found.record.user?.userName, sessions.expiryOf(found.record));
});

/** The signed-in session behind this request's cookie, for server components; null when signed out. */
export async function currentSession(requested?: string | string[]): Promise<CurrentSession | null> {
  return sessionAt(await pageInstance(requested));
}

export interface InstanceSession {
  instance: IdentityCenterInstance;
  session: CurrentSession | null;
}

/** Every configured instance, with this browser's session at each (null where it is not signed in). */
export async function sessionsByInstance(): Promise<InstanceSession[]> {
  return Promise.all(getConfig().instances.map(async (instance) => ({ instance, session: await sessionAt(instance) })));
}

/** The first live session among them, for the header of a page about no one instance. */
export function firstLiveSession(all: readonly InstanceSession[]): CurrentSession | null {
  return all.find((each) => each.session !== null)?.session ?? null;
}

/**
 * For pages that need a signed-in person: counts as activity, refreshes the SSO token when it is
 * close to expiry, and sends anyone without a live session to the sign-in page (for the instance
 * the page is about), and back here afterwards when the page says where.
 */
export async function requireSession(options: { next?: string; instance?: string | string[] } = {}): Promise<CurrentSession> {
  const several = getConfig().instances.length > 1;
  let instance: IdentityCenterInstance;
  if (several && typeof options.instance !== 'string') {
    // Several instances, none named: the first one signed in to; with none, the person chooses.
    const live = await firstSignedIn();
    if (!live) redirect(options.next ? `/sign-in?next=${encodeURIComponent(options.next)}` : '/sign-in');
    instance = live;
  } else {
    instance = await pageInstance(options.instance);
  }
  const sessions = runtime().sessionsFor(instance);
  const id = (await cookies()).get(sessionCookieName(instance))?.value;
  const base = several ? withInstance('/sign-in', instance.key) : '/sign-in';
  const signIn = options.next ? withInstance(`/sign-in?next=${encodeURIComponent(options.next)}`, several ? instance.key : undefined) : base;
  const ended = withInstance('/sign-in?reason=session-ended', several ? instance.key : undefined);
  if (id === undefined) redirect(signIn);
  let record;
  let sessionId;
  try {
    ({ record, id: sessionId } = await sessions.accessToken(id, clientName(portalHost(getConfig()))));
  } catch (error) {
    if (error instanceof SessionEndedError) redirect(error.reason === 'signed_out' ? signIn : ended);
    throw error;
  }
  if (!(await proxyBindingHolds(await headers(), sessionId, record))) redirect(ended);
  return describe(instance, sessionId, record.user?.userName, sessions.expiryOf(record));
}
