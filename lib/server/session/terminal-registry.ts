import 'server-only';

import { randomBytes } from 'node:crypto';

import { z } from 'zod';

import { sha256Hex } from '@/lib/server/core/crypto';
import type { SealedRecords } from '@/lib/server/store/sealed';

/**
 * A person's terminal sessions, so they can see and revoke them from their Activity page: per
 * Identity Center user and instance, sealed, with a handle for each (never the token: only the hash
 * of its id, which finds the session record and nothing else). Also the notices of new terminal
 * sign-ins the person has not dismissed yet, shown on their next page.
 */

const KEEP_MS = 90 * 24 * 60 * 60 * 1000;
/**
 * Terminal sessions one person may hold at one instance: more than anyone signs in from (laptops,
 * servers, containers), few enough that a leaked token is found in a list one can read. A new one
 * beyond it ends the one used least recently.
 */
export const TERMINALS_PER_PERSON = 25;
const NOTICES_KEPT = 10;
const NOTICE_MS = 7 * 24 * 60 * 60 * 1000;

const clientSchema = z.object({ label: z.string(), address: z.string() });
const entrySchema = z.object({
  /** What the Activity page's Revoke names: random, meaningless outside this list. */
  handle: z.string().regex(/^[0-9a-f]{16}$/),
  /** sha256 of the session id: the record's key. */
  idHash: z.string().regex(/^[0-9a-f]{64}$/),
  sessionRef: z.string(),
  createdAt: z.number(),
  client: clientSchema.optional(),
});
// Room for entries whose sessions ended and are not pruned yet.
const registrySchema = z.object({ terminals: z.array(entrySchema).max(TERMINALS_PER_PERSON * 4) });

const noticeSchema = z.object({ handle: z.string(), createdAt: z.number(), client: clientSchema.optional() });
const noticesSchema = z.object({ notices: z.array(noticeSchema).max(NOTICES_KEPT) });

export type TerminalEntry = z.infer<typeof entrySchema>;
export type TerminalNotice = z.infer<typeof noticeSchema>;

export function createTerminalRegistry(deps: { sealed: SealedRecords }) {
  const personHash = (instanceId: string, userName: string) => sha256Hex(`${instanceId}\n${userName}`);
  const keyFor = (instanceId: string, userName: string) => `terminals:${personHash(instanceId, userName)}`;
  const noticesKey = (instanceId: string, userName: string) => `terminal-notices:${personHash(instanceId, userName)}`;

  async function list(instanceId: string, userName: string): Promise<TerminalEntry[]> {
    return (await deps.sealed.read(keyFor(instanceId, userName), registrySchema))?.terminals ?? [];
  }

  async function write(instanceId: string, userName: string, terminals: TerminalEntry[]): Promise<void> {
    await deps.sealed.write(keyFor(instanceId, userName), { terminals: terminals.slice(-TERMINALS_PER_PERSON * 4) }, KEEP_MS);
  }

  /** Adds a terminal session to its person's list (once), and a notice of it for their next page; the entry's handle. */
  async function add(instanceId: string, userName: string, entry: Omit<TerminalEntry, 'handle'>): Promise<string> {
    const terminals = await list(instanceId, userName);
    const existing = terminals.find((each) => each.idHash === entry.idHash);
    if (existing) return existing.handle;
    const handle = randomBytes(8).toString('hex');
    await write(instanceId, userName, [...terminals, { ...entry, handle }]);
    const notices = await readNotices(instanceId, userName);
    const notice: TerminalNotice = { handle, createdAt: entry.createdAt, client: entry.client };
    await deps.sealed.write(noticesKey(instanceId, userName), { notices: [...notices, notice].slice(-NOTICES_KEPT) }, NOTICE_MS);
    return handle;
  }

  /** Keeps only the entries `keep` says are still sessions. */
  async function prune(instanceId: string, userName: string, keep: (entry: TerminalEntry) => boolean): Promise<void> {
    const terminals = await list(instanceId, userName);
    const kept = terminals.filter(keep);
    if (kept.length !== terminals.length) await write(instanceId, userName, kept);
  }

  /** New terminal sign-ins the person has not dismissed, oldest first. */
  async function readNotices(instanceId: string, userName: string): Promise<TerminalNotice[]> {
    return (await deps.sealed.read(noticesKey(instanceId, userName), noticesSchema))?.notices ?? [];
  }

  /** The person has seen the notices (all of them, or those of these handles). */
  async function dismissNotices(instanceId: string, userName: string, handles?: readonly string[]): Promise<void> {
    if (!handles) {
      await deps.sealed.remove(noticesKey(instanceId, userName));
      return;
    }
    const left = (await readNotices(instanceId, userName)).filter((notice) => !handles.includes(notice.handle));
    if (left.length === 0) await deps.sealed.remove(noticesKey(instanceId, userName));
    else await deps.sealed.write(noticesKey(instanceId, userName), { notices: left }, NOTICE_MS);
  }

  return { list, add, prune, readNotices, dismissNotices };
}

export type TerminalRegistry = ReturnType<typeof createTerminalRegistry>;
