import 'server-only';

import { z } from 'zod';

import { newSessionId, sha256Hex } from '@/lib/server/core/crypto';
import type { SealedRecords } from '@/lib/server/store/sealed';

import type { SessionRecords } from './records';

/**
 * A terminal's sign-in waiting for its person: what the terminal said it is and where it asked
 * from, the words both sides show, and the portal-side confirmation that must come from a browser
 * signed in as the same Identity Center user before the terminal gets a token. Identity Center's
 * approval alone never finishes it. Found by the hash of the terminal's login token (its polls) or
 * of the confirmation id in the link the terminal prints (the confirmation page); neither id is
 * kept in the clear.
 */

const loginSchema = z.object({
  instanceId: z.string(),
  confirmHash: z.string().regex(/^[0-9a-f]{64}$/),
  words: z.string(),
  client: z.object({ label: z.string().max(200), address: z.string().max(64) }),
  requestedAt: z.number(),
  expiresAt: z.number(),
  userCode: z.string(),
  verificationUriComplete: z.string(),
  confirmedBy: z.object({ userName: z.string(), sessionRef: z.string(), at: z.number() }).optional(),
  /** Identity Center approved and the portal holds the new session (its id is the terminal's token to be). */
  approvedSessionId: z.string().optional(),
  refused: z.object({ reason: z.enum(['declined', 'identity_differs', 'identity_unknown']), at: z.number(), message: z.string() }).optional(),
  /** The terminal has its token: the login token is spent; the page can still say it worked. */
  completedAt: z.number().optional(),
});

export type TerminalLogin = z.infer<typeof loginSchema>;
export type TerminalLoginRefusal = NonNullable<TerminalLogin['refused']>['reason'];

const indexSchema = z.object({ loginHash: z.string().regex(/^[0-9a-f]{64}$/) });

/** Kept a little past the code's expiry, so a late poll or page learns it expired rather than "unknown". */
const KEEP_PAST_EXPIRY_MS = 10 * 60 * 1000;

export function createTerminalLogins(deps: { sealed: SealedRecords; records: Pick<SessionRecords, 'withLock'>; now: () => number }) {
  const loginKey = (loginHash: string) => `terminal-login:${loginHash}`;
  const confirmKey = (confirmHash: string) => `terminal-confirm:${confirmHash}`;
  const ttl = (login: TerminalLogin) => Math.max(1, login.expiresAt + KEEP_PAST_EXPIRY_MS - deps.now());

  /** Records a new pending sign-in for the login token; returns the confirmation id for the portal link. */
  async function create(loginToken: string, login: Omit<TerminalLogin, 'confirmHash'>): Promise<string> {
    const confirmId = newSessionId();
    const record: TerminalLogin = { ...login, confirmHash: sha256Hex(confirmId) };
    await deps.sealed.write(loginKey(sha256Hex(loginToken)), record, ttl(record));
    await deps.sealed.write(confirmKey(record.confirmHash), { loginHash: sha256Hex(loginToken) }, ttl(record));
    return confirmId;
  }

  const read = (loginHash: string) => deps.sealed.read(loginKey(loginHash), loginSchema);

  /** The sign-in a terminal polls with its login token. */
  const byLoginToken = (loginToken: string) => read(sha256Hex(loginToken));

  /** The sign-in a confirmation link names, with the hash that finds it again. */
  async function byConfirmId(confirmId: string): Promise<{ loginHash: string; login: TerminalLogin } | null> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(confirmId)) return null;
    const index = await deps.sealed.read(confirmKey(sha256Hex(confirmId)), indexSchema);
    const login = index ? await read(index.loginHash) : null;
    return index && login ? { loginHash: index.loginHash, login } : null;
  }

  /**
   * Changes a sign-in under a lock, so a confirmation and a poll on two portals never overwrite each
   * other; `change` sees the current record and returns the next (or null to leave it). The result
   * is the record as it stands afterwards; null when it is gone.
   */
  async function update(loginHash: string, change: (login: TerminalLogin) => TerminalLogin | null): Promise<TerminalLogin | null> {
    for (let attempt = 0; attempt < 50; attempt += 1) {
      const result = await deps.records.withLock(`terminal-login:${loginHash}`, async () => {
        const current = await read(loginHash);
        if (!current) return null;
        const next = change(current);
        if (next === null || next === current) return current;
        await deps.sealed.write(loginKey(loginHash), next, ttl(next));
        return next;
      });
      if (result.acquired) return result.value;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return read(loginHash);
  }

  return { create, byLoginToken, byConfirmId, update };
}

export type TerminalLogins = ReturnType<typeof createTerminalLogins>;
