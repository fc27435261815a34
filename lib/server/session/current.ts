import 'server-only';

import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';

import { getConfig } from '@/lib/server/env';
import { hostFrom } from '@/lib/server/http/request-guard';
import { SESSION_COOKIE } from '@/lib/server/http/session-cookie';
import { runtime } from '@/lib/server/runtime';

import { clientName } from './client-name';
import { proxyBindingHolds } from './proxy-binding';
import { isSignedIn } from './record';
import { SessionEndedError } from './session-manager';

export interface CurrentSession {
  user?: string;
  /** Epoch milliseconds: when the session ends if nothing else happens. */
  expiresAt: number;
}

/** The signed-in session behind this request's cookie, for server components; null when signed out. */
export async function currentSession(): Promise<CurrentSession | null> {
  const { sessions } = runtime();
  const id = (await cookies()).get(SESSION_COOKIE)?.value;
  const found = await sessions.lookup(id);
  if (found.kind !== 'active' || !isSignedIn(found.record)) return null;
  if (!(await proxyBindingHolds(await headers(), found.id, found.record))) return null;
  return { user: found.record.user?.userName, expiresAt: sessions.expiryOf(found.record) };
}

/**
 * For pages that need a signed-in person: counts as activity, refreshes the SSO token when it is
 * close to expiry, and sends anyone without a live session to the sign-in page.
 */
export async function requireSession(options: { next?: string } = {}): Promise<CurrentSession> {
  const { sessions } = runtime();
  const id = (await cookies()).get(SESSION_COOKIE)?.value;
  // Without a session, sign in and (when the page says where) come back here afterwards.
  const signIn = options.next ? `/sign-in?next=${encodeURIComponent(options.next)}` : '/sign-in';
  if (id === undefined) redirect(signIn);
  const host = hostFrom((await headers()).get('host'), getConfig().publicUrl);
  let record;
  let sessionId;
  try {
    ({ record, id: sessionId } = await sessions.accessToken(id, clientName(host)));
  } catch (error) {
    if (error instanceof SessionEndedError) {
      redirect(error.reason === 'signed_out' ? signIn : '/sign-in?reason=session-ended');
    }
    throw error;
  }
  if (!(await proxyBindingHolds(await headers(), sessionId, record))) redirect('/sign-in?reason=session-ended');
  return { user: record.user?.userName, expiresAt: sessions.expiryOf(record) };
}
