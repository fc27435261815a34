import 'server-only';

import { randomBytes } from 'node:crypto';

import { z } from 'zod';

import { sha256Hex } from '@/lib/server/core/crypto';
import type { SealedRecords } from '@/lib/server/store/sealed';

/**
 * A person's terminal sessions, so they can see and revoke them from their Activity page: per
 * Identity Center user and instance, sealed, with a handle for each (never the token: only the hash
 * of its id, which finds the session record and nothing else).
 */

const KEEP_MS = 30 * 24 * 60 * 60 * 1000;
const MAX_TERMINALS = 50;

const entrySchema = z.object({
  /** What the Activity page's Revoke names: random, meaningless outside this list. */
  handle: z.string().regex(/^[0-9a-f]{16}$/),
  /** sha256 of the session id: the record's key. */
  idHash: z.string().regex(/^[0-9a-f]{64}$/),
  sessionRef: z.string(),
  createdAt: z.number(),
  client: z.object({ label: z.string(), address: z.string() }).optional(),
});
const registrySchema = z.object({ terminals: z.array(entrySchema).max(MAX_TERMINALS) });

export type TerminalEntry = z.infer<typeof entrySchema>;

export function createTerminalRegistry(deps: { sealed: SealedRecords }) {
  const keyFor = (instanceId: string, userName: string) => `terminals:${sha256Hex(`${instanceId}\n${userName}`)}`;

  async function list(instanceId: string, userName: string): Promise<TerminalEntry[]> {
    return (await deps.sealed.read(keyFor(instanceId, userName), registrySchema))?.terminals ?? [];
  }

  async function write(instanceId: string, userName: string, terminals: TerminalEntry[]): Promise<void> {
    await deps.sealed.write(keyFor(instanceId, userName), { terminals: terminals.slice(-MAX_TERMINALS) }, KEEP_MS);
  }

  /** Adds a terminal session to its person's list (once). */
  async function add(instanceId: string, userName: string, entry: Omit<TerminalEntry, 'handle'>): Promise<void> {
    const terminals = await list(instanceId, userName);
    if (terminals.some((each) => each.idHash === entry.idHash)) return;
    await write(instanceId, userName, [...terminals, { ...entry, handle: randomBytes(8).toString('hex') }]);
  }

  /** Keeps only the entries `keep` says are still sessions. */
  async function prune(instanceId: string, userName: string, keep: (entry: TerminalEntry) => boolean): Promise<void> {
    const terminals = await list(instanceId, userName);
    const kept = terminals.filter(keep);
    if (kept.length !== terminals.length) await write(instanceId, userName, kept);
  }

  return { list, add, prune };
}

export type TerminalRegistry = ReturnType<typeof createTerminalRegistry>;
