import 'server-only';

import { cookies, headers } from 'next/headers';
import { cache } from 'react';

import { findInstance, type IdentityCenterInstance, type ServerConfig } from '@/lib/server/core/config';
import { SESSION_ID_PATTERN, sessionAuditRef, sha256Hex } from '@/lib/server/core/crypto';
import { GatehouseError, hasCode } from '@/lib/server/core/errors';
import type { ListingRequest } from '@/lib/server/listing/types';
import { services } from '@/lib/server/services';
import { SESSION_COOKIE_OPTIONS, sessionCookieName } from '@/lib/server/session/cookie';
import { proxyIdentity, sameIdentity } from '@/lib/server/session/proxy-identity';
import { isSignedIn, type SignedInRecord } from '@/lib/server/session/record';
import type { SessionEnd, SessionEnding } from '@/lib/server/session/session-manager';
import { endOf } from '@/lib/server/session/session-end';
import { INSTANCE_KEY_PATTERN } from '@/lib/shared/instances';

/**
 * Who is asking, read once per request: the Identity Center instance the request is about, the
 * session it presents, the person an authenticating proxy vouches for, and (on demand) the
 * signed-in person with their SSO token. Pages and route handlers alike get it from `getViewer`;
 * nothing else reads a session.
 */

const REQUEST_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The signed-in person, as the work done on their behalf needs them. */
export interface Person extends ListingRequest {
  instance: IdentityCenterInstance;
  requestId: string;
  /** The session's reference in the audit trail (never its id). */
  sessionRef: string;
  /** Held by a browser (cookie) or a terminal (bearer token). */
  via: SessionTransport;
}

export type Standing =
  | { state: 'signed-out' }
  /** `end`: why, when the portal knows (a terminal's session). */
  | { state: 'ended'; end?: SessionEnd }
  | { state: 'signed-in'; user?: string; expiresAt: number; endsBecause: SessionEnding; sessionRef: string };

/** How a request presents its session: a browser's cookie, or the `gatehouse` command's bearer token. */
export type SessionTransport = 'cookie' | 'bearer';

export interface Viewer {
  /** How this request presents its session; the other way is refused. */
  via: SessionTransport;
  requestId: string;
  /** What the request asks (`POST /api/credentials`), for the audit record of a refusal. */
  action: string;
  config: ServerConfig;
  headers: Pick<Headers, 'get'>;
  instance: IdentityCenterInstance;
  /** The instance's key for URLs, or undefined when only one instance is configured. */
  instanceKey?: string;
  /** The session id this request presents for the instance, if any. */
  sessionId?: string;
  /** The session ids it presents for every instance, by instance key. */
  sessionIds: ReadonlyMap<string, string>;
  /** Where the session stands, read only: not use, but a token due is refreshed, so the end is the real one. */
  standing(): Promise<Standing>;
  /** The signed-in person: counts as use, refreshes the token when due; a `session_ended` error otherwise. */
  person(): Promise<Person>;
}

/** What the request asks, as proxy.ts wrote it: the method and path. */
export function actionOf(requestHeaders: Pick<Headers, 'get'>): string {
  return (requestHeaders.get('x-gatehouse-action') ?? 'unknown').slice(0, 200);
}

/** The request's id (proxy.ts gives every request one); a fresh one if it is somehow missing. */
export function requestIdOf(requestHeaders: Pick<Headers, 'get'>): string {
  const id = requestHeaders.get('x-request-id');
  return id !== null && REQUEST_ID_PATTERN.test(id) ? id : crypto.randomUUID();
}

/** The instance `?instance=` names (an unknown one is a 400), or undefined when it names none. */
export function namedInstance(config: ServerConfig, requested: string | null | undefined): IdentityCenterInstance | undefined {
  if (requested === null || requested === undefined) return undefined;
  const found = INSTANCE_KEY_PATTERN.test(requested) ? findInstance(config, requested) : undefined;
  if (!found) throw new GatehouseError('unknown_instance');
  return found;
}

/**
 * Behind an authenticating proxy, a browser's session belongs to the person the proxy named when it
 * began. Presented for anyone else, or for nobody, it is a stolen session: it ends (Logout at
 * Identity Center included) and the mismatch is audited. A terminal's session is bound otherwise:
 * the person confirmed it from a browser behind the proxy, and the terminal API is not behind it.
 */
async function proxyBindingHolds(requestHeaders: Pick<Headers, 'get'>, instance: IdentityCenterInstance, sessionId: string, record: SignedInRecord): Promise<boolean> {
  const { config, audit, of } = services();
  if (record.kind === 'terminal') return true;
  const proxyUser = proxyIdentity(requestHeaders, config.trustedIdentityHeader);
  if (proxyUser === undefined) return true;
  if (proxyUser !== null && record.proxyUser !== undefined && sameIdentity(proxyUser, record.proxyUser)) return true;
  await audit.record({
    event: 'identity_mismatch',
    user: record.user?.userName,
    reason: 'proxy_user_changed',
    instance: instance.id,
    requestId: requestIdOf(requestHeaders),
  });
  await of(instance).sessions.signOut(sessionId);
  return false;
}

function buildViewer(
  config: ServerConfig,
  requestHeaders: Pick<Headers, 'get'>,
  sessionIds: ReadonlyMap<string, string>,
  instance: IdentityCenterInstance,
  via: SessionTransport,
): Viewer {
  const requestId = requestIdOf(requestHeaders);
  const { sessions } = services().of(instance);
  // A cookie names a browser's session, a bearer token a terminal's; the other kind reads as none.
  const holder = via === 'cookie' ? 'browser' : 'terminal';
  const sessionId = sessionIds.get(instance.key);
  let standing: Promise<Standing> | undefined;
  let person: Promise<Person> | undefined;

  async function readStanding(): Promise<Standing> {
    if (sessionId === undefined) return { state: 'signed-out' };
    const found = await sessions.lookup(sessionId, holder);
    if (found.kind === 'active' && !isSignedIn(found.record)) return { state: 'signed-out' };
    if (found.kind === 'ended') return { state: 'ended', end: found };
    if (found.kind !== 'active' || !isSignedIn(found.record)) return { state: 'ended' };
    let record = found.record;
    try {
      record = (await sessions.accessToken(sessionId, { countAsUse: false, holder })).record;
    } catch (error) {
      if (hasCode(error, 'session_ended')) return { state: 'ended', end: endOf(error) };
      // Identity Center did not answer the refresh: the session stands as it was.
      if (!hasCode(error, 'upstream_unavailable')) throw error;
    }
    if (!(await proxyBindingHolds(requestHeaders, instance, found.id, record))) return { state: 'ended' };
    return {
      state: 'signed-in',
      user: record.user?.userName,
      expiresAt: sessions.expiryOf(record),
      endsBecause: sessions.endingOf(record),
      sessionRef: sessionAuditRef(found.id),
    };
  }

  async function readPerson(): Promise<Person> {
    const { audit } = services();
    const signedIn = await sessions.accessToken(sessionId, { holder });
    const id = signedIn.id;
    const userName = signedIn.record.user?.userName;
    if (!(await proxyBindingHolds(requestHeaders, instance, id, signedIn.record))) {
      throw new GatehouseError('session_ended', undefined, { reason: 'unauthorized' });
    }
    const userKey = (user: string) => personKeyOf(instance, user);
    const personKey = userName ? userKey(userName) : `session:${instance.id}:${sha256Hex(id)}`;
    // The token this request just read (refreshed when due) serves its first use; later uses, such
    // as a long listing's, ask the session again.
    let fresh: string | undefined = signedIn.token;
    return {
      userName,
      instance,
      requestId,
      personKey,
      sessionStartedAt: signedIn.record.createdAt,
      sessionRef: sessionAuditRef(id),
      via,
      owner: sha256Hex(personKey).slice(0, 16),
      accessToken: async () => {
        const token = fresh ?? (await sessions.accessToken(id, { holder })).token;
        fresh = undefined;
        return token;
      },
      onIdentity: async (user) => {
        // The device-flow phishing guard: whoever approved the code must be the person the proxy
        // vouches for. A terminal's sign-in has its own guard: the person confirms it in a browser.
        const vouched = signedIn.record.proxyUser;
        if (config.trustedIdentityHeader && signedIn.record.kind === 'browser' && (!vouched || !sameIdentity(vouched, user))) {
          await audit.record({ event: 'identity_mismatch', user, reason: 'identity_center_user_differs', instance: instance.id, requestId });
          await sessions.signOut(id);
          throw new GatehouseError('session_ended', undefined, { reason: 'unauthorized' });
        }
        let named = false;
        await sessions.remember(id, (record) => {
          named = record.user === undefined;
          return { ...record, user: { userName: user } };
        });
        // The first time the session's user is known, its earlier events (the sign-in) become theirs.
        if (named) await audit.identifySession(instance.id, sessionAuditRef(id), user, requestId);
        return userKey(user);
      },
      onUnauthorized: () => sessions.endUnauthorized(id),
      // Until the Identity Center user is known to be the person the proxy vouches for, nothing is shown.
      confirmIdentity: config.trustedIdentityHeader !== undefined && !userName && signedIn.record.kind === 'browser',
    };
  }

  return {
    via,
    requestId,
    action: actionOf(requestHeaders),
    config,
    headers: requestHeaders,
    instance,
    instanceKey: config.instances.length > 1 ? instance.key : undefined,
    sessionId,
    sessionIds,
    standing: () => (standing ??= readStanding()),
    person: () => (person ??= readPerson()),
  };
}

/** The key a person's listing (in progress and kept) is found by, once their user name is known. */
export function personKeyOf(instance: IdentityCenterInstance, userName: string): string {
  return `user:${instance.id}:${userName}`;
}

/** The bearer token a request presents (`Authorization: Bearer …`), when it is one's shape. */
export function bearerToken(requestHeaders: Pick<Headers, 'get'>): string | undefined {
  const token = /^Bearer ([A-Za-z0-9_-]{20,100})$/.exec(requestHeaders.get('authorization') ?? '')?.[1];
  return token !== undefined && SESSION_ID_PATTERN.test(token) ? token : undefined;
}

/** The session ids a request presents by cookie, by instance key. */
async function presentedSessions(config: ServerConfig): Promise<Map<string, string>> {
  const jar = await cookies();
  const ids = new Map<string, string>();
  for (const instance of config.instances) {
    const value = jar.get(sessionCookieName(instance))?.value;
    if (value !== undefined) ids.set(instance.key, value);
  }
  return ids;
}

/** What the checks before any work need of a request: its id, what it asks, its headers and session ids. */
export const requestFacts = cache(async (via: SessionTransport = 'cookie'): Promise<Pick<Viewer, 'requestId' | 'action' | 'headers' | 'sessionIds'>> => {
  const requestHeaders = await headers();
  const token = bearerToken(requestHeaders);
  return {
    requestId: requestIdOf(requestHeaders),
    action: actionOf(requestHeaders),
    headers: requestHeaders,
    // A terminal's budget is its token's, wherever it is used from.
    sessionIds: via === 'bearer' ? new Map(token ? [['bearer', token]] : []) : await presentedSessions(services().config),
  };
});

/**
 * The viewer of this request for the instance `?instance=` names; without one, the first
 * configured instance the request holds a live session for, else the first configured. A cookie
 * request is read from its cookies, a bearer request from its token alone. Read once per request
 * however many parts of a page ask.
 */
export const getViewer = cache(async (requested?: string | null, via: SessionTransport = 'cookie'): Promise<Viewer> => {
  const { config } = services();
  const requestHeaders = await headers();
  const named = namedInstance(config, requested);
  const viewerAt = (instance: IdentityCenterInstance, ids: ReadonlyMap<string, string>) => buildViewer(config, requestHeaders, ids, instance, via);
  if (via === 'bearer') {
    const token = bearerToken(requestHeaders);
    const idsAt = (instance: IdentityCenterInstance) => new Map(token ? [[instance.key, token]] : []);
    if (named) return viewerAt(named, idsAt(named));
    if (config.instances.length === 1 || token === undefined) return viewerAt(config.instances[0], idsAt(config.instances[0]));
    // The token belongs to one instance: the one whose sessions know it.
    for (const instance of config.instances) {
      if ((await services().of(instance).sessions.lookup(token, 'terminal')).kind !== 'none') return viewerAt(instance, idsAt(instance));
    }
    return viewerAt(config.instances[0], idsAt(config.instances[0]));
  }
  const sessionIds = await presentedSessions(config);
  if (named) return viewerAt(named, sessionIds);
  if (config.instances.length === 1 || sessionIds.size === 0) return viewerAt(config.instances[0], sessionIds);
  for (const instance of config.instances) {
    if (!sessionIds.has(instance.key)) continue;
    const viewer = viewerAt(instance, sessionIds);
    if ((await viewer.standing()).state === 'signed-in') return viewer;
  }
  return viewerAt(config.instances[0], sessionIds);
});

/** The viewer a terminal's new token has, for the work the portal starts for it right after its sign-in. */
export async function viewerForToken(instance: IdentityCenterInstance, token: string, via: SessionTransport = 'bearer'): Promise<Viewer> {
  return buildViewer(services().config, await headers(), new Map([[instance.key, token]]), instance, via);
}

/** The viewer of this request for each configured instance. */
export async function viewersByInstance(): Promise<Viewer[]> {
  return Promise.all(services().config.instances.map((instance) => getViewer(instance.key)));
}

/** Gives the browser the session's cookie for the instance, until `expiresAt`. */
export async function setSessionCookie(instance: IdentityCenterInstance, id: string, expiresAt: number): Promise<void> {
  (await cookies()).set(sessionCookieName(instance), id, { ...SESSION_COOKIE_OPTIONS, maxAge: Math.max(1, Math.floor((expiresAt - Date.now()) / 1000)) });
}

/** Removes the browser's session cookie for the instance. */
export async function clearSessionCookie(instance: IdentityCenterInstance): Promise<void> {
  (await cookies()).set(sessionCookieName(instance), '', { ...SESSION_COOKIE_OPTIONS, maxAge: 0 });
}
