import { describe, expect, it } from 'vitest';

import { createSealer } from '@/lib/server/core/crypto';
import type { TokenResult } from '@/lib/server/aws/oidc';
import { createSessionManager, type SessionSettings } from '@/lib/server/session/session-manager';
import { createMemoryStore } from '@/lib/server/store/memory-store';

import { FakeClock } from '../support/clock';
import { fakeIdentityCenter } from '../support/fake-identity-center';

/**
 * The session manager against a scripted Identity Center and a fake clock: these tests are about
 * the portal's own schedule and state, which a real clock would make slow and flaky.
 */

const MINUTE = 60_000;
const SETTINGS: SessionSettings = { idleTimeoutMs: 60 * MINUTE, absoluteTimeoutMs: 12 * 60 * MINUTE, refreshWindowMs: 5 * MINUTE };

const CLIENT_NAMES = { browser: 'Gatehouse (portal.test)', terminal: 'Gatehouse terminal (portal.test)' };

function setup(options: { intervalSeconds?: number; expiresInSeconds?: number } = {}) {
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const idc = fakeIdentityCenter(clock, options);
  const store = createMemoryStore(clock.now);
  const ended: string[] = [];
  const manager = createSessionManager({
    store,
    sealer: createSealer(['k'.repeat(32)]),
    now: clock.now,
    settings: SETTINGS,
    instanceId: 'instance-1',
    clientNames: CLIENT_NAMES,
    oidc: idc.oidc,
    portal: idc.portal,
    // A waiter yields to the event loop, as a real timer would, while the fake clock moves on.
    pause: async (ms) => {
      await new Promise((resolve) => setTimeout(resolve, 0));
      clock.advance(ms);
    },
    onSessionEnded: (reason) => ended.push(reason),
  });
  return { clock, idc, store, manager, ended };
}

/** Polls like the sign-in page: every second until the status is not pending. */
async function pollUntilSettled(ctx: ReturnType<typeof setup>, id: string) {
  for (let i = 0; i < 10_000; i += 1) {
    const result = await ctx.manager.pollDeviceFlow(id);
    if (result.status !== 'pending') return result;
    ctx.clock.advance(1000);
  }
  throw new Error('never settled');
}

async function signedIn(ctx: ReturnType<typeof setup>) {
  const flow = await ctx.manager.startDeviceFlow(undefined, undefined, { kind: 'browser' }, '192.0.2.10');
  ctx.idc.script.push(ctx.idc.grant());
  const result = await pollUntilSettled(ctx, flow.sessionId);
  if (!result.newSessionId) throw new Error('not approved');
  return result.newSessionId;
}


/** A CreateToken answer the test holds back: `called` settles once the manager has made the call. */
function heldAnswer(): { answer: () => Promise<TokenResult>; called: Promise<void>; release: (value: TokenResult) => void } {
  let release: (value: TokenResult) => void = () => {};
  let markCalled: () => void = () => {};
  const called = new Promise<void>((resolve) => (markCalled = resolve));
  const result = new Promise<TokenResult>((resolve) => (release = resolve));
  return {
    answer: () => {
      markCalled();
      return result;
    },
    called,
    release: (value) => release(value),
  };
}
describe('the device flow', () => {
  it('waits i, i+5, i+10, i+10 after pending, slow_down, slow_down, pending', async () => {
    const ctx = setup({ intervalSeconds: 2 });
    const flow = await ctx.manager.startDeviceFlow(undefined, undefined, { kind: 'browser' }, '192.0.2.10');
    const started = ctx.clock.now();
    ctx.idc.script.push(ctx.idc.pending(), ctx.idc.slowDown(), ctx.idc.slowDown(), ctx.idc.pending(), ctx.idc.grant());
    const result = await pollUntilSettled(ctx, flow.sessionId);
    expect(result.status).toBe('approved');
    const times = [started, ...ctx.idc.calls.map((call) => call.at)];
    const waits = times.slice(1).map((at, index) => (at - (times[index] as number)) / 1000);
    // The first call waits one interval after the code was issued; then the schedule under test.
    expect(waits).toEqual([2, 2, 7, 12, 12]);
  });

  it('never calls CreateToken faster than the interval, however often the browser polls', async () => {
    const ctx = setup({ intervalSeconds: 5 });
    const flow = await ctx.manager.startDeviceFlow(undefined, undefined, { kind: 'browser' }, '192.0.2.10');
    ctx.idc.script.push(ctx.idc.pending(), ctx.idc.pending());
    for (let i = 0; i < 105; i += 1) {
      const result = await ctx.manager.pollDeviceFlow(flow.sessionId);
      expect(result.status).toBe('pending');
      expect(result.retryAfterMs).toBeGreaterThan(0);
      ctx.clock.advance(100); // ten polls a second, for 10.5 seconds
    }
    // Calls at 5 s and 10 s after the code was issued, and no others.
    expect(ctx.idc.calls.map((call) => call.at - ctx.idc.calls[0]!.at)).toEqual([0, 5000]);
  });

  it('lets one of many simultaneous polls call CreateToken', async () => {
    const ctx = setup({ intervalSeconds: 1 });
    const flow = await ctx.manager.startDeviceFlow(undefined, undefined, { kind: 'browser' }, '192.0.2.10');
    ctx.clock.advance(1000);
    const held = heldAnswer();
    ctx.idc.script.push(held.answer);
    const polls = Array.from({ length: 5 }, () => ctx.manager.pollDeviceFlow(flow.sessionId));
    await held.called;
    held.release(ctx.idc.pending());
    const results = await Promise.all(polls);
    expect(ctx.idc.calls).toHaveLength(1);
    expect(results.every((result) => result.status === 'pending')).toBe(true);
  });

  it('stops at expiry without calling Identity Center again', async () => {
    const ctx = setup({ intervalSeconds: 1, expiresInSeconds: 5 });
    const flow = await ctx.manager.startDeviceFlow(undefined, undefined, { kind: 'browser' }, '192.0.2.10');
    ctx.idc.script.push(...Array.from({ length: 10 }, () => ctx.idc.pending()));
    const result = await pollUntilSettled(ctx, flow.sessionId);
    expect(result.status).toBe('expired');
    const callsAtExpiry = ctx.idc.calls.length;
    expect(callsAtExpiry).toBeLessThanOrEqual(5);
    expect((await ctx.manager.pollDeviceFlow(flow.sessionId)).status).toBe('expired');
    expect(ctx.idc.calls).toHaveLength(callsAtExpiry);
  });

  it('ends with "denied" when the person denies, and stays denied', async () => {
    const ctx = setup();
    const flow = await ctx.manager.startDeviceFlow(undefined, undefined, { kind: 'browser' }, '192.0.2.10');
    ctx.idc.script.push(ctx.idc.pending(), ctx.idc.denied());
    expect((await pollUntilSettled(ctx, flow.sessionId)).status).toBe('denied');
    ctx.clock.advance(5000);
    expect((await ctx.manager.pollDeviceFlow(flow.sessionId)).status).toBe('denied');
    expect(ctx.idc.calls).toHaveLength(2);
  });

  it('keeps polling through throttling and server errors', async () => {
    const ctx = setup();
    const flow = await ctx.manager.startDeviceFlow(undefined, undefined, { kind: 'browser' }, '192.0.2.10');
    ctx.idc.script.push(ctx.idc.throttled(), ctx.idc.throttled(), ctx.idc.grant());
    expect((await pollUntilSettled(ctx, flow.sessionId)).status).toBe('approved');
  });

  it('issues a new session id on approval and forgets the old one', async () => {
    const ctx = setup();
    const flow = await ctx.manager.startDeviceFlow(undefined, undefined, { kind: 'browser' }, '192.0.2.10');
    ctx.idc.script.push(ctx.idc.grant());
    const result = await pollUntilSettled(ctx, flow.sessionId);
    expect(result.newSessionId).toBeDefined();
    expect(result.newSessionId).not.toBe(flow.sessionId);
    expect((await ctx.manager.lookup(flow.sessionId)).kind).toBe('none');
    const current = await ctx.manager.lookup(result.newSessionId);
    expect(current.kind).toBe('active');
  });

  it('replaces the flow when a session starts another: one flow per session', async () => {
    const ctx = setup();
    const first = await ctx.manager.startDeviceFlow(undefined, undefined, { kind: 'browser' }, '192.0.2.10');
    const second = await ctx.manager.startDeviceFlow(first.sessionId, undefined, { kind: 'browser' }, '192.0.2.10');
    expect(second.sessionId).toBe(first.sessionId);
    const found = await ctx.manager.lookup(first.sessionId);
    expect(found.kind === 'active' && found.record.flow?.expiresAt).toBe(second.expiresAt);
  });

  it('registers the client once and reuses it', async () => {
    const ctx = setup();
    await ctx.manager.startDeviceFlow(undefined, undefined, { kind: 'browser' }, '192.0.2.10');
    await ctx.manager.startDeviceFlow(undefined, undefined, { kind: 'browser' }, '192.0.2.10');
    expect(ctx.idc.registrations()).toBe(1);
  });

  it('renews the client registration in its last day, before it expires', async () => {
    const ctx = setup();
    await ctx.manager.startDeviceFlow(undefined, undefined, { kind: 'browser' }, '192.0.2.10');
    ctx.clock.advance((90 * 24 - 25) * 60 * MINUTE);
    await ctx.manager.startDeviceFlow(undefined, undefined, { kind: 'browser' }, '192.0.2.10');
    expect(ctx.idc.registrations()).toBe(1);
    ctx.clock.advance(2 * 60 * MINUTE);
    await ctx.manager.startDeviceFlow(undefined, undefined, { kind: 'browser' }, '192.0.2.10');
    expect(ctx.idc.registrations()).toBe(2);
  });
});

describe('token refresh', () => {
  it('refreshes before expiry and keeps the rotated refresh token', async () => {
    const ctx = setup();
    const id = await signedIn(ctx); // access-1, refresh-1, valid one hour
    expect((await ctx.manager.accessToken(id)).token).toBe('access-1');
    ctx.clock.advance(56 * MINUTE); // inside the five-minute window
    ctx.idc.script.push(ctx.idc.grant());
    expect((await ctx.manager.accessToken(id)).token).toBe('access-2');
    ctx.clock.advance(56 * MINUTE);
    ctx.idc.script.push(ctx.idc.grant());
    expect((await ctx.manager.accessToken(id)).token).toBe('access-3');
    expect(ctx.idc.calls.map((call) => call.grant).slice(-2)).toEqual(['refresh:refresh-1', 'refresh:refresh-2']);
  });

  it('refreshes once for many simultaneous requests (the refresh lock)', async () => {
    const ctx = setup();
    const id = await signedIn(ctx);
    ctx.clock.advance(58 * MINUTE);
    const held = heldAnswer();
    ctx.idc.script.push(held.answer);
    const requests = Array.from({ length: 5 }, () => ctx.manager.accessToken(id));
    await held.called;
    held.release(ctx.idc.grant());
    const tokens = await Promise.all(requests);
    expect(tokens.map((entry) => entry.token)).toEqual(['access-2', 'access-2', 'access-2', 'access-2', 'access-2']);
    expect(ctx.idc.calls.filter((call) => call.grant.startsWith('refresh:'))).toHaveLength(1);
  });

  it('keeps the session through throttling while the token lasts', async () => {
    const ctx = setup();
    const id = await signedIn(ctx);
    ctx.clock.advance(57 * MINUTE);
    ctx.idc.script.push(ctx.idc.throttled());
    expect((await ctx.manager.accessToken(id)).token).toBe('access-1');
    expect((await ctx.manager.lookup(id)).kind).toBe('active');
  });

  it('ends the session on a definitive rejection', async () => {
    const ctx = setup();
    const id = await signedIn(ctx);
    ctx.clock.advance(57 * MINUTE);
    ctx.idc.script.push(ctx.idc.invalidGrant());
    await expect(ctx.manager.accessToken(id)).rejects.toMatchObject({ name: 'GatehouseError', code: 'session_ended' });
    expect((await ctx.manager.lookup(id)).kind).toBe('none');
    expect(ctx.ended).toContain('refresh_rejected');
  });

  it('never outlives a token that cannot be refreshed', async () => {
    const ctx = setup();
    const flow = await ctx.manager.startDeviceFlow(undefined, undefined, { kind: 'browser' }, '192.0.2.10');
    ctx.idc.script.push(ctx.idc.grant(false));
    const { newSessionId } = await pollUntilSettled(ctx, flow.sessionId);
    ctx.clock.advance(30 * MINUTE);
    expect((await ctx.manager.accessToken(newSessionId)).token).toBe('access-1');
    ctx.clock.advance(31 * MINUTE);
    expect((await ctx.manager.lookup(newSessionId)).kind).toBe('ended');
  });
});

describe('the end of the Identity Center session', () => {
  /** A token grant expiring `seconds` from now, as Identity Center caps tokens at its session's end. */
  const lasting = (seconds: number, name: string): TokenResult => ({
    ok: true,
    value: { accessToken: name, expiresInSeconds: seconds, refreshToken: `refresh-of-${name}` },
  });

  async function signedInFor(ctx: ReturnType<typeof setup>, seconds: number) {
    const flow = await ctx.manager.startDeviceFlow(undefined, undefined, { kind: 'browser' }, '192.0.2.10');
    ctx.idc.script.push(lasting(seconds, 'first'));
    const { newSessionId } = await pollUntilSettled(ctx, flow.sessionId);
    if (!newSessionId) throw new Error('not approved');
    return newSessionId;
  }

  it('is learned from a refresh that extends nothing, and then bounds the session', async () => {
    const ctx = setup();
    const id = await signedInFor(ctx, 90); // the Identity Center session has 90 s left
    const signedInAt = ctx.clock.now();
    // The portal's own idle and absolute ends are far away: without more, the session seems to last an hour.
    const before = await ctx.manager.lookup(id);
    expect(before.kind === 'active' && ctx.manager.expiryOf(before.record)).toBe(signedInAt + 60 * MINUTE);

    ctx.clock.advance(10_000);
    ctx.idc.script.push(lasting(80, 'second')); // refreshed, yet expiring exactly when the first did
    expect((await ctx.manager.accessToken(id)).token).toBe('second');
    const after = await ctx.manager.lookup(id);
    expect(after.kind === 'active' && ctx.manager.expiryOf(after.record)).toBe(signedInAt + 90_000);

    // Nothing can extend it now: no more CreateToken calls, and the session ends on time.
    const calls = ctx.idc.calls.length;
    ctx.clock.advance(30_000);
    expect((await ctx.manager.accessToken(id)).token).toBe('second');
    expect(ctx.idc.calls).toHaveLength(calls);
    ctx.clock.advance(50_000);
    expect(await ctx.manager.lookup(id)).toEqual({ kind: 'ended', reason: 'token_expired', at: ctx.clock.now() });
  });

  it('is not inferred from short tokens that each run their full course', async () => {
    const ctx = setup();
    const id = await signedInFor(ctx, 30);
    for (let round = 0; round < 6; round += 1) {
      ctx.clock.advance(20_000);
      ctx.idc.script.push(lasting(30, `token-${round}`));
      expect((await ctx.manager.accessToken(id)).token).toBe(`token-${round}`);
    }
    const found = await ctx.manager.lookup(id);
    expect(found.kind === 'active' && ctx.manager.expiryOf(found.record)).toBe(ctx.clock.now() + 60 * MINUTE);
  });

  it('does not refresh a token issued moments ago, however many requests ask', async () => {
    const ctx = setup();
    const id = await signedInFor(ctx, 60); // always inside the refresh window
    for (let request = 0; request < 20; request += 1) {
      ctx.clock.advance(200);
      expect((await ctx.manager.accessToken(id)).token).toBe('first');
    }
    expect(ctx.idc.calls.filter((call) => call.grant.startsWith('refresh:'))).toHaveLength(0);
  });
});

describe('timeouts', () => {
  it('slides the idle window with every use, to the second', async () => {
    const ctx = setup();
    // One-minute idle timeout, the shortest SESSION_IDLE_MINUTES allows.
    const short = createSessionManager({
      store: ctx.store,
      sealer: createSealer(['k'.repeat(32)]),
      now: ctx.clock.now,
      settings: { ...SETTINGS, idleTimeoutMs: MINUTE },
      instanceId: 'instance-1',
      clientNames: CLIENT_NAMES,
      oidc: ctx.idc.oidc,
      portal: ctx.idc.portal,
    });
    const id = await signedIn(ctx);
    for (let second = 15; second <= 180; second += 15) {
      ctx.clock.advance(15_000);
      expect((await short.accessToken(id)).token).toBe('access-1');
    }
    ctx.clock.advance(59_000);
    expect((await short.lookup(id)).kind).toBe('active');
    ctx.clock.advance(1_000);
    expect(await short.lookup(id)).toEqual({ kind: 'ended', reason: 'idle', at: ctx.clock.now() });
  });

  it('keeps the cookie until the absolute end: idle is the server\'s to enforce', async () => {
    const ctx = setup();
    const id = await signedIn(ctx);
    const found = await ctx.manager.lookup(id);
    if (found.kind !== 'active') throw new Error('not signed in');
    expect(ctx.manager.cookieExpiryOf(found.record)).toBe(ctx.clock.now() + 12 * 60 * MINUTE);
    expect(ctx.manager.expiryOf(found.record)).toBe(ctx.clock.now() + 60 * MINUTE);
  });

  it('ends an idle session after the idle timeout, on the server', async () => {
    const ctx = setup();
    const id = await signedIn(ctx);
    ctx.clock.advance(60 * MINUTE - 1000);
    expect((await ctx.manager.lookup(id)).kind).toBe('active');
    ctx.clock.advance(2000);
    expect(await ctx.manager.lookup(id)).toEqual({ kind: 'ended', reason: 'idle', at: ctx.clock.now() });
    expect((await ctx.manager.lookup(id)).kind).toBe('none');
    expect(ctx.ended).toEqual(['idle']);
  });

  it('ends a busy session at the absolute timeout', async () => {
    const ctx = setup();
    const id = await signedIn(ctx);
    for (let minutes = 0; minutes < 12 * 60 - 1; minutes += 1) {
      ctx.clock.advance(MINUTE);
      if (ctx.idc.script.length === 0) ctx.idc.script.push(ctx.idc.grant());
      await ctx.manager.accessToken(id);
    }
    expect((await ctx.manager.lookup(id)).kind).toBe('active');
    ctx.clock.advance(MINUTE + 1);
    expect(await ctx.manager.lookup(id)).toEqual({ kind: 'ended', reason: 'absolute', at: ctx.clock.now() });
  });
});

describe('sign-out', () => {
  it('calls Logout with the session token and deletes the record', async () => {
    const ctx = setup();
    const id = await signedIn(ctx);
    expect(await ctx.manager.signOut(id)).toBe(true);
    expect(ctx.idc.logouts).toEqual(['access-1']);
    expect((await ctx.manager.lookup(id)).kind).toBe('none');
  });

  it('signs out even when Logout fails', async () => {
    const ctx = setup();
    const id = await signedIn(ctx);
    ctx.idc.portal.logout = async () => {
      throw new Error('503');
    };
    expect(await ctx.manager.signOut(id)).toBe(true);
    expect((await ctx.manager.lookup(id)).kind).toBe('none');
  });
});

describe('records in the store', () => {
  it.each([
    ['forged', 'A'.repeat(43)],
    ['truncated', 'abc'],
    ['garbage', '%%%\u0000💥'.repeat(20)],
    ['oversized', 'a'.repeat(10_000)],
  ])('a %s session id reads as no session', async (_label, id) => {
    const ctx = setup();
    await signedIn(ctx);
    expect((await ctx.manager.lookup(id)).kind).toBe('none');
  });

  it('a record whose ciphertext was altered reads as no session', async () => {
    const ctx = setup();
    const id = await signedIn(ctx);
    const key = ctx.manager.storeKeyFor(id);
    const sealed = (await ctx.store.get(key)) as string;
    const flipped = sealed.slice(0, -3) + (sealed.at(-3) === 'A' ? 'B' : 'A') + sealed.slice(-2);
    await ctx.store.set(key, flipped, MINUTE);
    expect((await ctx.manager.lookup(id)).kind).toBe('none');
  });

  it('a record moved under another id is rejected', async () => {
    const ctx = setup();
    const victim = await signedIn(ctx);
    const attacker = await signedIn(ctx);
    const sealed = (await ctx.store.get(ctx.manager.storeKeyFor(victim))) as string;
    await ctx.store.set(ctx.manager.storeKeyFor(attacker), sealed, MINUTE);
    expect((await ctx.manager.lookup(attacker)).kind).toBe('none');
    expect((await ctx.manager.lookup(victim)).kind).toBe('active');
  });

  it('stores no token and no session id in readable form', async () => {
    const ctx = setup();
    const id = await signedIn(ctx);
    const sealed = (await ctx.store.get(ctx.manager.storeKeyFor(id))) as string;
    expect(ctx.manager.storeKeyFor(id)).not.toContain(id);
    for (const secret of ['access-1', 'refresh-1', 'device-code', 'secret']) expect(sealed).not.toContain(secret);
  });
});
