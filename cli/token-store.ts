/**
 * Where the terminal session is kept: `$XDG_CONFIG_HOME/gatehouse/sessions.json` (default
 * `~/.config/gatehouse/`), the folder 0700 and the file 0600. Each entry is one sign-in: the portal and
 * the instance it belongs to, the opaque terminal token, who and until when. No AWS token, refresh
 * token or client secret is ever here: the portal never sends them.
 *
 * A token is only ever looked up by the portal and instance it was issued for, so it cannot be sent
 * to another portal; asking for one the store does not have is refused, naming what it does have.
 */
import type { Environment } from './environment';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

import * as z from 'zod/mini';

import { CliError } from './errors';
import { writeFileAtomic } from './files';

export const STORE_FILE = 'sessions.json';

const storedSessionSchema = z.object({
  portal: z.url(),
  instance: z.object({ key: z.string().check(z.minLength(1)), name: z.string() }),
  /** Whether the person chose the instance (`--instance`); only then do requests name it. */
  instanceChosen: z.boolean(),
  token: z.string().check(z.minLength(20), z.maxLength(512)),
  user: z.optional(z.string()),
  expiresAt: z.string(),
  savedAt: z.string(),
});
export type StoredSession = z.infer<typeof storedSessionSchema>;

const storeSchema = z.object({
  version: z.literal(1),
  /** The last sign-in: used when a command names no portal. */
  current: z.optional(z.object({ portal: z.string(), instance: z.string() })),
  sessions: z.array(storedSessionSchema),
});
export type Store = z.infer<typeof storeSchema>;

export function configDirectory(env: Environment): string {
  const base = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(env.HOME || homedir(), '.config');
  return path.join(base, 'gatehouse');
}

export function readStore(directory: string): Store {
  const file = path.join(directory, STORE_FILE);
  if (!existsSync(file)) return { version: 1, sessions: [] };
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw new CliError(`${file} is damaged: remove it and run \`gatehouse login\`.`);
  }
  const parsed = storeSchema.safeParse(value);
  if (!parsed.success) throw new CliError(`${file} is damaged: remove it and run \`gatehouse login\`.`);
  return parsed.data;
}

function writeStore(directory: string, store: Store): void {
  mkdirSync(directory, { recursive: true, mode: 0o700 });
  // A folder made before (by hand, or with a loose umask) is tightened: it holds a bearer token.
  if ((statSync(directory).mode & 0o077) !== 0) chmodSync(directory, 0o700);
  writeFileAtomic(path.join(directory, STORE_FILE), `${JSON.stringify(store, null, 2)}\n`, 0o600);
}

const sameSession = (a: { portal: string; instance: { key: string } }, portal: string, instance: string) =>
  a.portal === portal && a.instance.key === instance;

/** Keeps `session`, replacing one for the same portal and instance, and makes it the current one. */
export function saveSession(directory: string, session: StoredSession): void {
  const store = readStore(directory);
  const sessions = store.sessions.filter((s) => !sameSession(s, session.portal, session.instance.key));
  sessions.push(session);
  writeStore(directory, { version: 1, current: { portal: session.portal, instance: session.instance.key }, sessions });
}

export function removeSession(directory: string, portal: string, instance: string): void {
  const store = readStore(directory);
  const sessions = store.sessions.filter((s) => !sameSession(s, portal, instance));
  const current = store.current && !(store.current.portal === portal && store.current.instance === instance) ? store.current : undefined;
  const next = sessions.at(-1);
  writeStore(directory, { version: 1, current: current ?? (next ? { portal: next.portal, instance: next.instance.key } : undefined), sessions });
}

function describe(session: StoredSession): string {
  return `${session.portal} (instance ${session.instance.key})`;
}

/**
 * The stored session for `portal` (and `instance`, when given); without either, the current one.
 * Refuses, in one line, when there is none for what was asked: never another portal's token.
 */
export function findSession(store: Store, portal: string | undefined, instance: string | undefined): StoredSession {
  if (portal === undefined && instance === undefined) {
    const current = store.current && store.sessions.find((s) => sameSession(s, store.current!.portal, store.current!.instance));
    if (current) return current;
    throw new CliError('You are not signed in: run `gatehouse login --portal URL`.');
  }
  const portalOf = portal ?? store.current?.portal;
  const matching = store.sessions.filter((s) => s.portal === portalOf && (instance === undefined || s.instance.key === instance));
  if (matching.length === 1) return matching[0]!;
  if (matching.length > 1) {
    const current = matching.find((s) => store.current && sameSession(s, store.current.portal, store.current.instance));
    if (current) return current;
    const keys = matching.map((s) => s.instance.key).join(', ');
    throw new CliError(`You are signed in to several instances of ${portalOf} (${keys}): choose one with --instance.`, 2);
  }
  const login = `gatehouse login${portal ? ` --portal ${portal}` : ''}${instance ? ` --instance ${instance}` : ''}`;
  const held = store.sessions.map(describe);
  if (held.length > 0) {
    throw new CliError(`Your Gatehouse session is for ${held.join(', ')}, not for ${portalOf ?? 'that portal'}${instance ? ` (instance ${instance})` : ''}: run \`${login}\`.`);
  }
  throw new CliError(`You are not signed in: run \`${login}\`.`);
}
