import 'server-only';

import type { SessionKind } from './record';

/**
 * The name Identity Center shows on its approval page. Naming the portal's host (PUBLIC_URL's,
 * never a request's Host header) lets a person notice when someone else's portal asks for their
 * sign-in; a terminal's sign-in has a client of its own, so the page says a terminal is asking.
 */
export function clientName(host: string, kind: SessionKind = 'browser'): string {
  return kind === 'terminal' ? `Gatehouse terminal (${host})` : `Gatehouse (${host})`;
}
