import { describe, expect, it } from 'vitest';

import { createSealer, sha256Hex } from '@/lib/server/core/crypto';
import { addressGroup, createPendingSignIns, PENDING_PER_ADDRESS, PENDING_PER_INSTANCE } from '@/lib/server/session/pending-sign-ins';
import { terminalEndMessage } from '@/lib/server/session/session-end';
import { createSessionManager, type SessionSettings } from '@/lib/server/session/session-manager';
import { createMemoryStore } from '@/lib/server/store/memory-store';

import { FakeClock } from '../support/clock';
import { fakeIdentityCenter } from '../support/fake-identity-center';

/**
 * Terminals' sessions in the session layer, on a fake clock: they last as long as Identity Center's
 * session (or TERMINAL_MAX_HOURS), not the browser's idle window; their end is remembered with its
 * reason, time and who ended it; a portal with a new key says so; they sign in with a client of their
 * own; and sign-ins waiting for approval are capped per address and per instance.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const SETTINGS: SessionSettings = { idleTimeoutMs: 60 * MINUTE, absoluteTimeoutMs: 12 * HOUR, refreshWindowMs: 5 * MINUTE };
const CLIENT_NAMES = { browser: 'Gatehouse (portal.test)', terminal: 'Gatehouse terminal (portal.test)' };
const SECRET = 'k'.repeat(32);

function setup(settings: Partial<SessionSettings> = {}, secret = SECRET) {
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const idc = fakeIdentityCenter(clock);
  const store = createMemoryStore(clock.now);
  const manager = (key: string) =>
    createSessionManager({
      store,
      sealer: createSealer([key]),
      now: clock.now,
      settings: { ...SETTINGS, ...settings },
      instanceId: 'instance-1',
      clientNames: CLIENT_NAMES,
      oidc: idc.oidc,
      portal: idc.portal,
      pause: async (ms) => {
        await new Promise((resolve) => setTimeout(resolve, 0));
        clock.advance(ms);
      },
    });
  return { clock, idc, store, manager: manager(secret), withSecret: manager };
}

async function signIn(ctx: ReturnType<typeof setup>, kind: 'browser' | 'terminal'): Promise<string> {
  const client = kind === 'terminal' ? { label: 'gatehouse-cli/0.1.0 (laptop; linux x64; node 20)', address: '192.0.2.10' } : undefined;
  const flow = await ctx.manager.startDeviceFlow(undefined, undefined, { kind, client }, '192.0.2.10');
  ctx.clock.advance(1000);
  ctx.idc.script.push(ctx.idc.grant());
  const result = await ctx.manager.pollDeviceFlow(flow.sessionId, kind);
  expect(result.status).toBe('approved');
  return result.newSessionId!;
}

describe("a terminal's session", () => {
  it('has no idle end: unused for hours it still works, while a browser session ends after the idle time', async () => {
    const ctx = setup();
    const terminal = await signIn(ctx, 'terminal');
    const browser = await signIn(ctx, 'browser');
    ctx.clock.advance(3 * HOUR);
    expect((await ctx.manager.lookup(browser)).kind).toBe('ended');
    ctx.idc.script.push(ctx.idc.grant());
    expect((await ctx.manager.accessToken(terminal, { holder: 'terminal' })).token).toMatch(/^access-/);
  });

  it("outlives the browser's SESSION_MAX_HOURS while Identity Center's session goes on", async () => {
    const ctx = setup();
    const terminal = await signIn(ctx, 'terminal');
    for (let hour = 1; hour <= 13; hour += 1) {
      ctx.clock.advance(HOUR);
      ctx.idc.script.push(ctx.idc.grant());
      await ctx.manager.accessToken(terminal, { holder: 'terminal' });
    }
    expect((await ctx.manager.lookup(terminal)).kind).toBe('active');
  });

  it('ends at TERMINAL_MAX_HOURS however busy it is, and says so', async () => {
    const ctx = setup({ terminalMaxMs: 2 * HOUR });
    const terminal = await signIn(ctx, 'terminal');
    ctx.clock.advance(HOUR);
    ctx.idc.script.push(ctx.idc.grant());
    await ctx.manager.accessToken(terminal, { holder: 'terminal' });
    ctx.clock.advance(HOUR);
    const ended = await ctx.manager.lookup(terminal);
    expect(ended).toMatchObject({ kind: 'ended', reason: 'absolute', at: ctx.clock.now() });
    expect(await ctx.manager.lookup(terminal)).toMatchObject({ kind: 'ended', reason: 'absolute' });
  });

  it('is remembered as revoked, when and by whom, after its record is gone; a browser cookie leaves no such note', async () => {
    const ctx = setup();
    const terminal = await signIn(ctx, 'terminal');
    const browser = await signIn(ctx, 'browser');
    ctx.clock.advance(MINUTE);
    const revokedAt = ctx.clock.now();
    expect(await ctx.manager.revoke(sha256Hex(terminal), 'ref', { by: 'developer' })).toBe(true);
    const found = await ctx.manager.lookup(terminal, 'terminal');
    expect(found).toEqual({ kind: 'ended', reason: 'revoked', at: revokedAt, by: 'developer' });
    expect(found.kind === 'ended' && terminalEndMessage(found)).toBe(
      "Your Gatehouse session was revoked on 2026-01-01 at 00:01 UTC by developer from the portal's Activity page.",
    );
    // The Identity Center session behind it was logged out.
    expect(ctx.idc.logouts).toHaveLength(1);
    await ctx.manager.signOut(browser);
    expect(await ctx.manager.lookup(browser)).toEqual({ kind: 'none' });
  });

  it('reads as ended because the key changed when the portal restarts with another SESSION_SECRET; an altered record is simply gone', async () => {
    const ctx = setup();
    const terminal = await signIn(ctx, 'terminal');
    const other = await signIn(ctx, 'terminal');
    const restarted = ctx.withSecret('n'.repeat(32));
    expect(await restarted.lookup(terminal, 'terminal')).toEqual({ kind: 'ended', reason: 'key_changed' });
    expect(terminalEndMessage({ reason: 'key_changed' })).toMatch(/session key changed/);
    const key = ctx.manager.storeKeyFor(other);
    const sealed = (await ctx.store.get(key))!;
    const parts = sealed.split('.');
    // One character of the sealed data changed for another: always other bytes (the last characters of
    // base64 may carry bits that decode to nothing, so changing those could leave the bytes as they were).
    const sealedData = parts[3]!;
    parts[3] = `${sealedData.startsWith('A') ? 'B' : 'A'}${sealedData.slice(1)}`;
    await ctx.store.set(key, parts.join('.'), MINUTE);
    expect(await ctx.manager.lookup(other, 'terminal')).toEqual({ kind: 'none' });
  });

  it('signs in and refreshes with a client of its own, which Identity Center shows as a terminal of this portal', async () => {
    const ctx = setup();
    const terminal = await signIn(ctx, 'terminal');
    await signIn(ctx, 'browser');
    expect(ctx.idc.registeredNames).toEqual(['Gatehouse terminal (portal.test)', 'Gatehouse (portal.test)']);
    ctx.clock.advance(HOUR);
    ctx.idc.script.push(ctx.idc.grant());
    await ctx.manager.accessToken(terminal, { holder: 'terminal' });
    // The device grant and the refresh of the terminal used the terminals' client; the browser's its own.
    expect(ctx.idc.clientsUsed).toEqual(['client-1', 'client-2', 'client-1']);
  });
});

describe('sign-ins waiting for approval', () => {
  const pending = (clock: FakeClock, store = createMemoryStore(clock.now)) => createPendingSignIns({ store, now: clock.now, instanceId: 'instance-1' });

  it('counts an IPv6 /64 as one address, and an IPv4-mapped address as its IPv4 one', () => {
    expect(addressGroup('2001:db8:1:2:aaaa:bbbb:cccc:dddd')).toBe(addressGroup('2001:db8:1:2::1'));
    expect(addressGroup('2001:0db8:0001:0002::1')).toBe('2001:db8:1:2::/64');
    expect(addressGroup('2001:db8:1:3::1')).not.toBe(addressGroup('2001:db8:1:2::1'));
    expect(addressGroup('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(addressGroup('192.0.2.1')).toBe('192.0.2.1');
  });

  it('refuses the next one from an address that has as many as it may, with a Retry-After; finishing one makes room', async () => {
    const clock = new FakeClock(Date.UTC(2026, 0, 1));
    const signIns = pending(clock);
    const slots = [];
    for (let each = 0; each < PENDING_PER_ADDRESS; each += 1) slots.push(await signIns.start(`2001:db8::${each.toString(16)}`));
    await expect(signIns.start('2001:db8::ffff')).rejects.toMatchObject({ code: 'rate_limited', details: { retryAfterSeconds: expect.any(Number) as unknown } });
    // Another address is not held back.
    await signIns.start('198.51.100.7');
    await signIns.finish(slots[0]!);
    await signIns.start('2001:db8::ffff');
  });

  it('forgets sign-ins nobody finished once their codes are dead', async () => {
    const clock = new FakeClock(Date.UTC(2026, 0, 1));
    const signIns = pending(clock);
    for (let each = 0; each < PENDING_PER_ADDRESS; each += 1) await signIns.start('192.0.2.1');
    await expect(signIns.start('192.0.2.1')).rejects.toMatchObject({ code: 'rate_limited' });
    clock.advance(15 * MINUTE);
    await signIns.start('192.0.2.1');
  });

  it('refuses beyond the instance-wide cap, from everyone together', async () => {
    const clock = new FakeClock(Date.UTC(2026, 0, 1));
    const signIns = pending(clock);
    for (let each = 0; each < PENDING_PER_INSTANCE; each += 1) await signIns.start(`10.0.${Math.floor(each / 200)}.${each % 200}`);
    await expect(signIns.start('203.0.113.9')).rejects.toMatchObject({ code: 'rate_limited' });
  });
});
