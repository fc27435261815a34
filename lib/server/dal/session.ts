import 'server-only';

import { notFound, redirect } from 'next/navigation';

import type { IdentityCenterInstance } from '@/lib/server/core/config';
import { GatehouseError, hasCode } from '@/lib/server/core/errors';
import { services } from '@/lib/server/services';
import { getViewer, type Standing, type Viewer } from '@/lib/server/viewer';
import type { InstanceSessionState, SessionResponse } from '@/lib/shared/api';
import { withInstance } from '@/lib/shared/instances';
import type { NewTerminalNotice } from '@/lib/shared/terminal-sessions';

/**
 * Where a person stands, for pages (the header, the redirects to sign in) and for
 * GET /api/session. Everything is read through the request's viewer.
 */

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
  /** Terminals that signed in as the person and that they have not acknowledged: every page says so. */
  newTerminals?: NewTerminalNotice[];
}

function describe(viewer: Viewer, standing: Extract<Standing, { state: 'signed-in' }>): CurrentSession {
  return {
    user: standing.user,
    expiresAt: standing.expiresAt,
    sessionRef: standing.sessionRef,
    instance: viewer.instance,
    instanceKey: viewer.instanceKey,
    instanceName: viewer.instanceKey === undefined ? undefined : viewer.instance.name,
  };
}

/** The viewer of a page's `?instance=`: an unknown instance is the page's 404. */
async function pageViewer(requested: string | string[] | undefined): Promise<Viewer> {
  try {
    return await getViewer(typeof requested === 'string' ? requested : undefined);
  } catch (error) {
    if (hasCode(error, 'unknown_instance')) notFound();
    throw error;
  }
}

/** The instance a page is about (see getViewer); an unknown `?instance=` is a 404. */
export async function pageInstance(requested: string | string[] | undefined): Promise<IdentityCenterInstance> {
  return (await pageViewer(requested)).instance;
}

/** The signed-in session at one instance (read only), or null. */
export async function sessionAt(instance: IdentityCenterInstance): Promise<CurrentSession | null> {
  const viewer = await getViewer(instance.key);
  const standing = await viewer.standing();
  return standing.state === 'signed-in' ? describe(viewer, standing) : null;
}

/** The signed-in session of the instance a page is about, or null. */
export async function currentSession(requested?: string | string[]): Promise<CurrentSession | null> {
  const viewer = await pageViewer(requested);
  const standing = await viewer.standing();
  return standing.state === 'signed-in' ? describe(viewer, standing) : null;
}

export interface InstanceSession {
  instance: IdentityCenterInstance;
  session: CurrentSession | null;
}

/** Every configured instance, with this browser's session at each (null where it is not signed in). */
export async function sessionsByInstance(): Promise<InstanceSession[]> {
  return Promise.all(services().config.instances.map(async (instance) => ({ instance, session: await sessionAt(instance) })));
}

/** The first live session among them, for the header of a page about no one instance. */
export function firstLiveSession(all: readonly InstanceSession[]): CurrentSession | null {
  return all.find((each) => each.session !== null)?.session ?? null;
}

/**
 * For pages that need a signed-in person: counts as use, refreshes the SSO token when it is
 * close to expiry, and sends anyone without a live session to the sign-in page (for the instance
 * the page is about), and back here afterwards when the page says where.
 */
export async function requireSession(options: { next?: string; instance?: string | string[] } = {}): Promise<CurrentSession> {
  const several = services().config.instances.length > 1;
  const viewer = await pageViewer(options.instance);
  const named = typeof options.instance === 'string';
  const key = several ? viewer.instance.key : undefined;
  const signIn = options.next
    ? withInstance(`/sign-in?next=${encodeURIComponent(options.next)}`, named ? key : undefined)
    : withInstance('/sign-in', named ? key : undefined);
  if (viewer.sessionId === undefined) redirect(signIn);
  try {
    await viewer.person();
  } catch (error) {
    if (hasCode(error, 'session_ended')) {
      redirect(error.details.reason === 'signed_out' ? signIn : withInstance('/sign-in?reason=session-ended', key));
    }
    throw error;
  }
  const standing = await viewer.standing();
  if (standing.state !== 'signed-in') redirect(withInstance('/sign-in?reason=session-ended', key));
  const session = describe(viewer, standing);
  return { ...session, newTerminals: await newTerminalNotices(session) };
}

/**
 * GET /api/session: who is signed in and when the session ends. Without a session: signed out.
 * With a session that has ended: a `session_ended` error (401), so the page sends the person to
 * sign in again. Reading it is not use. With several instances, `instances` says where the browser
 * stands with each.
 */
export async function sessionState(viewer: Viewer): Promise<SessionResponse> {
  const own = await viewer.standing();
  if (own.state === 'ended') throw new GatehouseError('session_ended');
  const answer: SessionResponse =
    own.state === 'signed-in'
      ? { signedIn: true, user: own.user, expiresAt: new Date(own.expiresAt).toISOString(), endsBecause: own.endsBecause }
      : { signedIn: false };
  const { instances } = viewer.config;
  if (instances.length > 1) {
    answer.instance = viewer.instance.key;
    answer.instances = await Promise.all(
      instances.map(async (each): Promise<InstanceSessionState> => {
        const state = each.key === viewer.instance.key ? own : await (await getViewer(each.key)).standing();
        return state.state === 'signed-in'
          ? { key: each.key, name: each.name, signedIn: true, user: state.user, expiresAt: new Date(state.expiresAt).toISOString() }
          : { key: each.key, name: each.name, signedIn: false };
      }),
    );
  }
  return answer;
}

/** The new terminal sign-ins the person has not acknowledged, for the notice on every page; none while their name is not known. */
async function newTerminalNotices(session: CurrentSession): Promise<NewTerminalNotice[]> {
  if (session.user === undefined) return [];
  const notices = await services()
    .of(session.instance)
    .terminals.readNotices(session.instance.id, session.user)
    .catch(() => []);
  return notices.map((notice) => ({
    handle: notice.handle,
    instanceKey: session.instanceKey,
    label: notice.client?.label ?? 'a terminal',
    address: notice.client?.address ?? '',
    createdAt: new Date(notice.createdAt).toISOString(),
  }));
}
