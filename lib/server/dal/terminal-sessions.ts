import 'server-only';

import { sessionAuditRef, sha256Hex } from '@/lib/server/core/crypto';
import { GatehouseError } from '@/lib/server/core/errors';
import { services } from '@/lib/server/services';
import { TERMINALS_PER_PERSON } from '@/lib/server/session/terminal-registry';
import type { TerminalLogin } from '@/lib/server/session/terminal-logins';
import type { Viewer } from '@/lib/server/viewer';

import { sessionsByInstance } from './session';

/**
 * A person's terminal sessions seen from their browser: joining the list when a terminal's sign-in
 * is finished (with a notice for their next page, and the least recently used one ended when the
 * person already has as many as they may), Revoke, and Revoke all.
 */

/**
 * Puts a newly signed-in terminal on its person's list, where they see and revoke it. Beyond
 * TERMINALS_PER_PERSON, the one of theirs used least recently ends first (audited), so the list
 * always holds every live terminal.
 */
export async function admitTerminal(terminal: Viewer, userName: string, login: TerminalLogin): Promise<void> {
  const { instance } = terminal;
  const { terminals, sessions } = services().of(instance);
  const id = terminal.sessionId;
  if (id === undefined) return;
  const live = await liveTerminals(instance, userName);
  const crowd = live.filter(({ entry }) => entry.idHash !== sha256Hex(id));
  const over = crowd.length - (TERMINALS_PER_PERSON - 1);
  if (over > 0) {
    const leastUsed = [...crowd].sort((a, b) => a.lastUsedAt - b.lastUsedAt).slice(0, over);
    for (const { entry } of leastUsed) {
      await sessions.revoke(entry.idHash, entry.sessionRef, { reason: 'evicted' });
      await services().audit.record({
        event: 'terminal_session_evicted',
        via: 'terminal',
        user: userName,
        reason: 'evicted',
        client: entry.client?.label,
        address: entry.client?.address,
        instance: instance.id,
        session: entry.sessionRef,
        requestId: terminal.requestId,
      });
    }
    const gone = new Set(leastUsed.map(({ entry }) => entry.handle));
    await terminals.prune(instance.id, userName, (entry) => !gone.has(entry.handle));
  }
  const record = await sessions.readByHash(sha256Hex(id));
  await terminals.add(instance.id, userName, {
    idHash: sha256Hex(id),
    sessionRef: sessionAuditRef(id),
    createdAt: record?.createdAt ?? Date.now(),
    client: login.client,
  });
}

/** The person's terminal sessions that are still alive at an instance, with their last use; the ended ones pruned. */
export async function liveTerminals(instance: Viewer['instance'], userName: string) {
  const { terminals, sessions } = services().of(instance);
  const entries = await terminals.list(instance.id, userName);
  const found = await Promise.all(entries.map(async (entry) => ({ entry, record: await sessions.readByHash(entry.idHash) })));
  const gone = new Set(found.filter(({ record }) => record === null).map(({ entry }) => entry.handle));
  if (gone.size > 0) await terminals.prune(instance.id, userName, (entry) => !gone.has(entry.handle));
  return found.flatMap(({ entry, record }) =>
    record === null ? [] : [{ entry, record, lastUsedAt: record.lastSeenAt, expiresAt: sessions.expiryOf(record) }],
  );
}

/**
 * Revokes one of the person's terminal sessions from their Activity page (a browser session): the
 * terminal's next command is refused and says when and by whom.
 */
export async function revokeTerminal(viewer: Viewer, handle: string): Promise<void> {
  const person = await viewer.person();
  if (!person.userName) throw new GatehouseError('not_found', 'There is no such terminal session.');
  const { terminals, sessions } = services().of(viewer.instance);
  const entry = (await terminals.list(viewer.instance.id, person.userName)).find((each) => each.handle === handle);
  if (!entry) throw new GatehouseError('not_found', 'There is no such terminal session.');
  await sessions.revoke(entry.idHash, entry.sessionRef, { by: person.userName });
  await terminals.prune(viewer.instance.id, person.userName, (each) => each.handle !== handle);
  await terminals.dismissNotices(viewer.instance.id, person.userName, [handle]);
}

/**
 * Revokes every terminal session of the person, at every Identity Center instance this browser is
 * signed in to (a lost laptop, a leaked token: one click). The number revoked.
 */
export async function revokeAllTerminals(viewer: Viewer): Promise<{ revoked: number }> {
  await viewer.person();
  const { of } = services();
  const people = (await sessionsByInstance()).flatMap(({ instance, session }) => (session?.user ? [{ instance, user: session.user }] : []));
  let revoked = 0;
  for (const { instance, user } of people) {
    const { terminals, sessions } = of(instance);
    for (const entry of await terminals.list(instance.id, user)) {
      if (await sessions.revoke(entry.idHash, entry.sessionRef, { by: user })) revoked += 1;
    }
    await terminals.prune(instance.id, user, () => false);
    await terminals.dismissNotices(instance.id, user);
  }
  return { revoked };
}

/** The person has seen the notices of new terminal sign-ins. */
export async function dismissTerminalNotices(viewer: Viewer): Promise<void> {
  const person = await viewer.person();
  if (person.userName) await services().of(viewer.instance).terminals.dismissNotices(viewer.instance.id, person.userName);
}
