import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { accountsOfUser, rolesOfUser } from '../../emulator/directory';
import { createEmulator, type RunningEmulator } from '../../emulator/server';
import type { Directory } from '../../emulator/types';
import type { ListingEvent } from '../../lib/shared/accounts';
import { emulatorAdmin } from '../../scripts/support/emulator-admin';
import { type PortalClient, signIn } from '../../scripts/support/portal-client';
import { type RunningPortal, startPortal } from '../../scripts/support/portal-process';
import { listedRoles, readListing, until } from '../support/api-session';

/**
 * Warm listings: a person's last complete listing is kept across sessions and sign-outs. A new
 * session's visit (or one past ACCOUNTS_CACHE_MINUTES, 1 here) shows it at once, marked with when it
 * was listed, while a new listing checks it and reports what changed; a role removed since is never
 * handed out. "Forget my saved listing" removes it.
 */

const stream = async (client: PortalClient): Promise<ListingEvent[]> => readListing(await client.get('/api/accounts/stream'), { ndjson: true, noStore: true });
const starts = (events: ListingEvent[]) => events.flatMap((event) => (event.type === 'start' ? [event] : []));
const dones = (events: ListingEvent[]) => events.flatMap((event) => (event.type === 'done' ? [event] : []));

/** A role of the person in an account where they have another one, to take away. */
function twoRoles(directory: Directory, userName: string): { accountId: string; kept: string; removed: string } {
  for (const account of accountsOfUser(directory, userName)) {
    const [kept, removed] = [...rolesOfUser(directory, userName, account.accountId)].sort();
    if (kept !== undefined && removed !== undefined) return { accountId: account.accountId, kept, removed };
  }
  throw new Error(`${userName} has no account with two roles`);
}

describe('a returning person’s kept listing', () => {
  let emulator: RunningEmulator;
  let portal: RunningPortal;
  let original: Directory;
  const listedAt = new Map<string, number>();
  const taken = new Map<string, ReturnType<typeof twoRoles>>();
  const sessions = new Map<string, PortalClient>();

  /** Waits until the person's kept listing is older than ACCOUNTS_CACHE_MINUTES: warm, no longer fresh. */
  const warm = (userName: string) =>
    until('the kept listing to be older than ACCOUNTS_CACHE_MINUTES', () => (Date.now() > listedAt.get(userName)! + 61_000 ? true : undefined), {
      timeoutMs: 80_000,
      intervalMs: 500,
    });

  beforeAll(async () => {
    emulator = await createEmulator({ port: 0 });
    original = emulator.ctx.directory;
    portal = await startPortal({ emulatorPort: emulator.port, env: { IDC_RATE_LIMIT: '200', ACCOUNTS_CACHE_MINUTES: '1' } });
    // Both people list everything; developer signs out (which keeps the listing), operator stays ...
    for (const userName of ['developer', 'operator']) {
      const client = await signIn(portal.url, emulator, userName);
      const events = await stream(client);
      expect(dones(events)).toHaveLength(1);
      listedAt.set(userName, Date.parse(starts(events)[0]!.listedAt));
      taken.set(userName, twoRoles(original, userName));
      sessions.set(userName, client);
    }
    expect((await sessions.get('developer')!.post('/api/auth/logout')).status).toBe(200);
    // ... then one role of each is taken away in Identity Center.
    await emulatorAdmin(emulator).replaceDirectory({
      ...original,
      assignments: original.assignments.filter((a) =>
        [...taken].every(([userName, role]) => !(a.userName === userName && a.accountId === role.accountId && a.roleName === role.removed)),
      ),
    });
  }, 60_000);
  afterAll(async () => {
    await portal?.stop();
    await emulator?.close();
  });

  it('is shown at once on the next sign-in, checked in the background with the change reported; the removed role is refused', async () => {
    const { accountId, kept, removed } = taken.get('developer')!;
    const since = new Date(listedAt.get('developer')!).toISOString();

    const again = await signIn(portal.url, emulator, 'developer');
    const events = await stream(again);
    // First the kept listing, all of it at once, as of when it was listed (the removed role still in it) ...
    const [shown, check] = starts(events);
    expect(shown).toMatchObject({ cached: true, listedAt: since });
    const checkAt = events.indexOf(check!);
    expect(listedRoles(events.slice(0, checkAt)).get(accountId)).toEqual([kept, removed]);
    // ... then the check of it, which lists afresh and reports what changed, in the one `done`.
    expect(check).toMatchObject({ cached: false, revalidates: since });
    expect(listedRoles(events.slice(checkAt)).get(accountId)).toEqual([kept]);
    expect(dones(events)).toHaveLength(1);
    expect(events.at(-1)).toMatchObject({
      type: 'done',
      diff: { accountsAdded: [], accountsRemoved: [], rolesAdded: [], rolesRemoved: [{ accountId, roleName: removed }] },
    });

    // The removed role is refused, as any role the person does not have; the one kept is handed out.
    const refused = await again.post('/api/credentials', { accountId, roleName: removed });
    expect(refused.status).toBe(403);
    expect(await refused.text()).not.toContain('ASIA');
    expect((await again.post('/api/credentials', { accountId, roleName: kept })).status).toBe(200);

    // The Activity page shows what is kept, and forgets it on request: the next visit lists from scratch.
    expect(await (await again.get('/activity')).text()).toContain('Forget my saved listing');
    expect((await again.post('/api/saved-listing/forget', {})).status).toBe(200);
    expect(await (await again.get('/activity')).text()).toContain('Nothing is saved');
    const cold = await stream(await signIn(portal.url, emulator, 'developer'));
    expect(starts(cold)).toHaveLength(1);
    expect(starts(cold)[0]).toMatchObject({ cached: false });
    expect(starts(cold)[0]).not.toHaveProperty('revalidates');
  }, 120_000);

  it('past ACCOUNTS_CACHE_MINUTES, is never the answer for a hand-out: a role removed since is refused without asking Identity Center for it', async () => {
    const { accountId, kept, removed } = taken.get('operator')!;
    const session = sessions.get('operator')!;
    await warm('operator');
    const before = (await emulatorAdmin(emulator).calls()).GetRoleCredentials ?? 0;
    const refused = await session.post('/api/credentials', { accountId, roleName: removed });
    expect(refused.status).toBe(403);
    expect(await refused.text()).not.toContain('ASIA');
    // Refused by the portal's own check against a current listing: Identity Center was never asked for it.
    expect(((await emulatorAdmin(emulator).calls()).GetRoleCredentials ?? 0) - before).toBe(0);
    expect((await session.post('/api/credentials', { accountId, roleName: kept })).status).toBe(200);
    // The hand-out was checked against a new listing, which the page ends with: the removed role is gone.
    const events = await stream(session);
    const latest = starts(events).at(-1)!;
    expect(Date.parse(latest.listedAt)).toBeGreaterThan(listedAt.get('operator')!);
    const roles = listedRoles(events.slice(events.indexOf(latest))).get(accountId);
    expect(roles).toContain(kept);
    expect(roles).not.toContain(removed);
  }, 120_000);
});
