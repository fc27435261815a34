import { describe, expect, it } from 'vitest';

import { type AuditEvent, createAuditTrail } from '@/lib/server/audit';
import { createMemoryStore } from '@/lib/server/store/memory-store';

import { FakeClock } from '../support/clock';

/**
 * A person's trail in the store, on a fake clock: kept by time (AUDIT_RETENTION_DAYS), not by count,
 * so a terminal's loop cannot wipe it; a terminal's repeated hand-outs of one access key are one entry
 * with a count and a time range; read newest first, in pages that neither skip nor repeat.
 */

const DAY = 24 * 60 * 60 * 1000;
const INSTANCE = { id: 'instance-1', key: 'default', name: 'Default' };

function setup() {
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const store = createMemoryStore(clock.now);
  const config = { instances: [INSTANCE] as never, auditRetentionMs: 90 * DAY };
  const trail = createAuditTrail({ store, config, now: clock.now });
  return { clock, trail };
}

const handOut = (accessKeyId: string, cached: boolean): AuditEvent => ({
  event: 'credentials_issued',
  via: 'terminal',
  cached,
  user: 'developer',
  accountId: '111122223333',
  roleName: 'ReadOnly',
  accessKeyId,
  instance: INSTANCE.id,
  session: 'terminal-session',
  requestId: 'r',
});

async function everything(trail: ReturnType<typeof setup>['trail']) {
  const seen = [];
  let before;
  for (;;) {
    const page = await trail.personActivity(INSTANCE.id, 'developer', 50, before);
    seen.push(...page.entries);
    if (!page.more) return seen;
    before = page.entries.at(-1)!.cursor;
  }
}

describe("a person's audit trail", () => {
  it("keeps a terminal's 210 hand-outs of one access key as one entry with a count and a time range, and everything before it", async () => {
    const { clock, trail } = setup();
    await trail.record({ event: 'authn_login_success', user: 'developer', instance: INSTANCE.id, requestId: 'r' });
    clock.advance(1000);
    const firstAt = new Date(clock.now()).toISOString();
    for (let each = 0; each < 210; each += 1) {
      await trail.record(handOut('ASIAAAAAAAAAAAAAAAA1', each > 0), { repeatOf: 'terminal-session\n111122223333/ReadOnly\nASIAAAAAAAAAAAAAAAA1' });
      clock.advance(10);
    }
    const { entries } = await trail.personActivity(INSTANCE.id, 'developer');
    expect(entries.map((entry) => entry.event.event)).toEqual(['credentials_issued', 'authn_login_success']);
    expect(entries[0]!.event).toMatchObject({ count: 210, firstTime: firstAt, accessKeyId: 'ASIAAAAAAAAAAAAAAAA1' });
    expect(Date.parse(entries[0]!.event.time)).toBe(Date.parse(firstAt) + 209 * 10);
  });

  it('starts a new entry when the credentials are renewed (another access key)', async () => {
    const { trail } = setup();
    for (const key of ['ASIAAAAAAAAAAAAAAAA1', 'ASIAAAAAAAAAAAAAAAA1', 'ASIAAAAAAAAAAAAAAAA2']) {
      await trail.record(handOut(key, true), { repeatOf: `terminal-session\n111122223333/ReadOnly\n${key}` });
    }
    const { entries } = await trail.personActivity(INSTANCE.id, 'developer');
    expect(entries.map((entry) => [entry.event.accessKeyId, entry.event.count ?? 1])).toEqual([
      ['ASIAAAAAAAAAAAAAAAA2', 1],
      ['ASIAAAAAAAAAAAAAAAA1', 2],
    ]);
  });

  it('keeps events by time, not by count: 500 of them all there, in pages that neither skip nor repeat; older than the retention, gone', async () => {
    const { clock, trail } = setup();
    await trail.record({ event: 'authn_login_success', user: 'developer', instance: INSTANCE.id, requestId: 'first' });
    for (let each = 0; each < 500; each += 1) {
      // Browser hand-outs: each a key of its own, each its own entry.
      await trail.record({ ...handOut(`ASIA${String(each).padStart(16, '0')}`, false), via: undefined, cached: undefined });
      if (each % 3 === 0) clock.advance(1);
    }
    const all = await everything(trail);
    expect(all).toHaveLength(501);
    expect(new Set(all.map((entry) => entry.cursor.id)).size).toBe(501);
    expect(all.at(-1)!.event.requestId).toBe('first');
    // 91 days on, the next event drops everything older than 90 days.
    clock.advance(91 * DAY);
    await trail.record({ event: 'authn_login_success', user: 'developer', instance: INSTANCE.id, requestId: 'later' });
    expect((await everything(trail)).map((entry) => entry.event.requestId)).toEqual(['later']);
  });

  it("files a session's events under the person once Identity Center names them", async () => {
    const { trail } = setup();
    await trail.record({ event: 'authn_login_success', session: 'browser-session', instance: INSTANCE.id, requestId: 'sign-in' });
    expect((await trail.sessionActivity('browser-session')).entries).toHaveLength(1);
    await trail.identifySession(INSTANCE.id, 'browser-session', 'developer', 'named');
    expect((await trail.sessionActivity('browser-session')).entries).toHaveLength(0);
    expect((await trail.personActivity(INSTANCE.id, 'developer')).entries.map((entry) => [entry.event.event, entry.event.user])).toEqual([
      ['authn_login_success', 'developer'],
    ]);
  });
});
