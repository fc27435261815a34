import 'server-only';

import { awsErrorKind } from '@/lib/server/aws/retry';
import { hasCode } from '@/lib/server/core/errors';

import { noLongerAccepted } from './failures';
import type { ListingRequest } from './types';

/**
 * The sessions a shared listing calls Identity Center with: one per session of the person that
 * started or joined it (a tab, a browser, a terminal). A listing is the person's, not one session's:
 * when a session ends (revoked, signed out, no longer accepted by Identity Center) its token is
 * dropped and the next session's is used, and only once none is left does the listing end as a
 * session would. The session Identity Center refused is ended as before; the others never hear of it.
 */

type TokenSource = Pick<ListingRequest, 'accessToken' | 'onUnauthorized'>;

export class TokenSources {
  private readonly sources = new Map<string | symbol, TokenSource>();

  /** A session that follows the listing: its token serves once the ones before it are gone. */
  add(request: Pick<ListingRequest, 'accessToken' | 'onUnauthorized' | 'sessionRef'>): void {
    // One source per session; a request that does not say which session it is counts as its own.
    const key = request.sessionRef ?? Symbol('session');
    if (!this.sources.has(key)) this.sources.set(key, { accessToken: request.accessToken, onUnauthorized: request.onUnauthorized });
  }

  /** How many sessions the listing can still call with. */
  get size(): number {
    return this.sources.size;
  }

  /** Drops a session's token; the one call that drops it tells the session when Identity Center refused it. */
  private async drop(key: string | symbol, refusedByIdentityCenter: boolean): Promise<void> {
    const source = this.sources.get(key);
    if (!source || !this.sources.delete(key)) return;
    if (refusedByIdentityCenter) await source.onUnauthorized();
  }

  /** The session's token, or undefined when the session has ended (it is then dropped). */
  private async tokenOf(key: string | symbol, source: TokenSource): Promise<string | undefined> {
    try {
      return await source.accessToken();
    } catch (error) {
      if (!hasCode(error, 'session_ended')) throw error;
      await this.drop(key, false);
      return undefined;
    }
  }

  /**
   * Calls Identity Center with the first session's token. On a 401 the session's current token gets
   * one more try (a token taken before a long wait can expire before its call goes out, which says
   * nothing about the session); a second 401 ends that session, and the next one's token is used.
   * Throws a `session_ended` error once no session is left.
   */
  async call<T>(call: (token: string) => Promise<T>): Promise<T> {
    for (;;) {
      const first = this.sources.entries().next();
      if (first.done) throw noLongerAccepted();
      const [key, source] = first.value;
      let refused = false;
      for (let attempt = 0; attempt < 2 && !refused; attempt += 1) {
        const token = await this.tokenOf(key, source);
        if (token === undefined) break;
        try {
          return await call(token);
        } catch (error) {
          if (awsErrorKind(error) !== 'unauthorized') throw error;
          refused = attempt === 1;
        }
      }
      if (refused) await this.drop(key, true);
    }
  }
}
