import { describe, expect, it } from 'vitest';

import { GatehouseError } from '@/lib/server/core/errors';
import { TokenSources } from '@/lib/server/listing/token-sources';

/**
 * The tokens a person's shared listing calls Identity Center with: one per session that follows it.
 * A session that ended is passed over; a session Identity Center refuses is ended and passed over;
 * only when none is left does the listing's call fail as a session's would.
 */

/** An error as the SSO client throws it for an expired or revoked access token. */
function unauthorized(): Error {
  return Object.assign(new Error('Session token not found or invalid'), { name: 'UnauthorizedException', $metadata: { httpStatusCode: 401 } });
}

/** A session as a listing sees it: its token (or that it has ended), and how often it was told Identity Center refused it. */
function session(sessionRef: string, token: string) {
  const state = { ended: false, refusals: 0 };
  return {
    state,
    request: {
      sessionRef,
      accessToken: async () => {
        if (state.ended) throw new GatehouseError('session_ended');
        return token;
      },
      onUnauthorized: async () => {
        state.refusals += 1;
        state.ended = true;
      },
    },
  };
}

describe('the sessions a shared listing calls with', () => {
  it('goes on with the next session\'s token when the first one\'s session ends, and tells nobody', async () => {
    const terminal = session('terminal', 'terminal-token');
    const browser = session('browser', 'browser-token');
    const tokens = new TokenSources();
    tokens.add(terminal.request);
    tokens.add(browser.request);
    const sent: string[] = [];
    const call = (token: string) => {
      sent.push(token);
      return Promise.resolve('page');
    };
    expect(await tokens.call(call)).toBe('page');
    terminal.state.ended = true;
    expect(await tokens.call(call)).toBe('page');
    expect(sent).toEqual(['terminal-token', 'browser-token']);
    expect([terminal.state.refusals, browser.state.refusals]).toEqual([0, 0]);
    expect(tokens.size).toBe(1);
  });

  it('ends a session Identity Center refuses twice (once, however many calls saw it), and asks with the next', async () => {
    const revoked = session('terminal', 'revoked-token');
    const browser = session('browser', 'browser-token');
    const tokens = new TokenSources();
    tokens.add(revoked.request);
    tokens.add(browser.request);
    const answers = await Promise.all(
      Array.from({ length: 5 }, () =>
        tokens.call(async (token) => {
          if (token === 'revoked-token') throw unauthorized();
          return token;
        }),
      ),
    );
    expect(answers).toEqual(Array(5).fill('browser-token'));
    expect([revoked.state.refusals, browser.state.refusals]).toEqual([1, 0]);
  });

  it('keeps a session whose second try with its current token is accepted', async () => {
    const tokens = new TokenSources();
    const issued = ['taken-before-a-long-wait', 'refreshed-since'];
    let refusals = 0;
    tokens.add({ sessionRef: 'browser', accessToken: async () => issued.shift() ?? 'refreshed-since', onUnauthorized: async () => void (refusals += 1) });
    const sent: string[] = [];
    const answer = await tokens.call(async (token) => {
      sent.push(token);
      if (token === 'taken-before-a-long-wait') throw unauthorized();
      return 'roles';
    });
    expect(answer).toBe('roles');
    expect(sent).toEqual(['taken-before-a-long-wait', 'refreshed-since']);
    expect(refusals).toBe(0);
    expect(tokens.size).toBe(1);
  });

  it('fails as a session would once no session is left, and counts a session that joins twice once', async () => {
    const only = session('browser', 'browser-token');
    const tokens = new TokenSources();
    tokens.add(only.request);
    tokens.add(only.request);
    expect(tokens.size).toBe(1);
    await expect(tokens.call(async () => Promise.reject(unauthorized()))).rejects.toMatchObject({ code: 'session_ended' });
    expect(only.state.refusals).toBe(1);
    await expect(tokens.call(async () => 'never')).rejects.toMatchObject({ code: 'session_ended' });
  });

  it('lets any other failure stand without trying another session', async () => {
    const first = session('first', 'first-token');
    const second = session('second', 'second-token');
    const tokens = new TokenSources();
    tokens.add(first.request);
    tokens.add(second.request);
    const sent: string[] = [];
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException', $metadata: { httpStatusCode: 429 } });
    await expect(
      tokens.call(async (token) => {
        sent.push(token);
        throw throttled;
      }),
    ).rejects.toBe(throttled);
    expect(sent).toEqual(['first-token']);
    expect(tokens.size).toBe(2);
  });
});
