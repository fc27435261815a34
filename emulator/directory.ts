/**
 * The emulator's organisation: who exists, which accounts and permission sets, who is assigned what.
 * A JSON file validated with zod (cross references included), an index for fast per-user queries, a
 * deterministic generator for synthetic organisations, and the demo directory.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { describeIssues } from './knobs';
import { mulberry32 } from './random';
import type { Directory, DirectoryAccount, DirectoryAssignment, DirectoryUser } from './types';

export type DirectoryRole = Directory['roles'][number];

export const DEMO_START_URL = 'https://gatehouse-demo.awsapps.com/start';
export const DEMO_INSTANCE_NAME = 'Gatehouse demo organisation';

const userName = z.string().regex(/^[\w+=,.@-]{1,128}$/, 'must be 1-128 characters of letters, digits and +=,.@_-');
const accountId = z.string().regex(/^\d{12}$/, 'must be exactly 12 digits');
// Permission-set names: at most 32 characters of [\w+=,.@-] (sso-admin model).
const roleName = z.string().regex(/^[\w+=,.@-]{1,32}$/, 'must be 1-32 characters of letters, digits and +=,.@_-');
const email = z.string().min(1).max(254).regex(/^[^\s@]+@[^\s@]+$/, 'must be an email address');

const httpUrl = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}, 'must be an http(s) URL');

export const directorySchema = z
  .strictObject({
    instanceName: z.string().min(1).max(100),
    startUrl: httpUrl,
    users: z.array(z.strictObject({ userName, displayName: z.string().min(1).max(200), email })),
    accounts: z.array(z.strictObject({ accountId, accountName: z.string().min(1).max(50), emailAddress: email })),
    roles: z.array(
      z.strictObject({ roleName, sessionDurationSeconds: z.number().int().min(900).max(43_200) }),
    ),
    assignments: z.array(z.strictObject({ userName, accountId, roleName })),
  })
  .superRefine((dir, ctx) => {
    const seen = (label: string, values: string[], key: string): Set<string> => {
      const set = new Set<string>();
      values.forEach((value, i) => {
        if (set.has(value)) ctx.addIssue({ code: 'custom', path: [label, i, key], message: `duplicate ${key} "${value}"` });
        set.add(value);
      });
      return set;
    };
    const users = seen('users', dir.users.map((u) => u.userName), 'userName');
    const accounts = seen('accounts', dir.accounts.map((a) => a.accountId), 'accountId');
    const roles = seen('roles', dir.roles.map((r) => r.roleName), 'roleName');
    const assigned = new Set<string>();
    dir.assignments.forEach((a, i) => {
      if (!users.has(a.userName)) ctx.addIssue({ code: 'custom', path: ['assignments', i, 'userName'], message: `unknown user "${a.userName}"` });
      if (!accounts.has(a.accountId)) ctx.addIssue({ code: 'custom', path: ['assignments', i, 'accountId'], message: `unknown account "${a.accountId}"` });
      if (!roles.has(a.roleName)) ctx.addIssue({ code: 'custom', path: ['assignments', i, 'roleName'], message: `unknown role "${a.roleName}"` });
      const key = `${a.userName}\u0000${a.accountId}\u0000${a.roleName}`;
      if (assigned.has(key)) ctx.addIssue({ code: 'custom', path: ['assignments', i], message: 'duplicate assignment' });
      assigned.add(key);
    });
  });

export class DirectoryError extends Error {
  override name = 'DirectoryError';
}

/** Validates an already-parsed value; `source` names it in the error message. */
export function parseDirectory(value: unknown, source = 'directory'): Directory {
  const result = directorySchema.safeParse(value);
  if (!result.success) {
    throw new DirectoryError(`${source} is not a valid directory: ${describeIssues(result.error)}`);
  }
  return result.data;
}

export function loadDirectoryFile(path: string): Directory {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : 'read error';
    throw new DirectoryError(`Cannot read directory file "${path}" (${code})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new DirectoryError(`Directory file "${path}" is not valid JSON: ${error instanceof Error ? error.message : 'parse error'}`);
  }
  return parseDirectory(json, `Directory file "${path}"`);
}

export const DEMO_DIRECTORY_PATH = fileURLToPath(new URL('./directories/demo.json', import.meta.url));

export function loadDemoDirectory(): Directory {
  return loadDirectoryFile(DEMO_DIRECTORY_PATH);
}

// ---------------------------------------------------------------------------------------------------
// Queries. The index is built once per Directory object (treat directories as immutable; replace
// ctx.directory with a new object to change it).

export interface DirectoryIndex {
  user(userName: string): DirectoryUser | undefined;
  account(accountId: string): DirectoryAccount | undefined;
  role(roleName: string): DirectoryRole | undefined;
  /** Accounts the user has at least one role in, sorted by name then id (stable across calls). */
  accountsOf(userName: string): readonly DirectoryAccount[];
  /** Role names of the user in the account, sorted; empty when not assigned. */
  rolesOf(userName: string, accountId: string): readonly string[];
}

/** Code-unit order: deterministic whatever the process locale. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const indexCache = new WeakMap<Directory, DirectoryIndex>();

export function indexDirectory(directory: Directory): DirectoryIndex {
  const cached = indexCache.get(directory);
  if (cached) return cached;
  const users = new Map(directory.users.map((u) => [u.userName, u]));
  const accounts = new Map(directory.accounts.map((a) => [a.accountId, a]));
  const roles = new Map(directory.roles.map((r) => [r.roleName, r]));
  const byUser = new Map<string, Map<string, string[]>>();
  for (const a of directory.assignments) {
    let perAccount = byUser.get(a.userName);
    if (!perAccount) byUser.set(a.userName, (perAccount = new Map()));
    const list = perAccount.get(a.accountId);
    if (list) list.push(a.roleName);
    else perAccount.set(a.accountId, [a.roleName]);
  }
  const accountsOfUser = new Map<string, DirectoryAccount[]>();
  for (const [user, perAccount] of byUser) {
    for (const list of perAccount.values()) list.sort(compareStrings);
    const list = [...perAccount.keys()]
      .map((id) => accounts.get(id))
      .filter((a): a is DirectoryAccount => a !== undefined)
      .sort((x, y) => compareStrings(x.accountName, y.accountName) || compareStrings(x.accountId, y.accountId));
    accountsOfUser.set(user, list);
  }
  const index: DirectoryIndex = {
    user: (name) => users.get(name),
    account: (id) => accounts.get(id),
    role: (name) => roles.get(name),
    accountsOf: (name) => accountsOfUser.get(name) ?? [],
    rolesOf: (name, id) => byUser.get(name)?.get(id) ?? [],
  };
  indexCache.set(directory, index);
  return index;
}

export function accountsOfUser(directory: Directory, userName: string): readonly DirectoryAccount[] {
  return indexDirectory(directory).accountsOf(userName);
}

export function rolesOfUser(directory: Directory, userName: string, accountId: string): readonly string[] {
  return indexDirectory(directory).rolesOf(userName, accountId);
}

// ---------------------------------------------------------------------------------------------------
// Generator.

/** Permission sets with realistic session durations. */
export const ROLE_CATALOGUE: readonly DirectoryRole[] = [
  { roleName: 'AdministratorAccess', sessionDurationSeconds: 3600 },
  { roleName: 'ReadOnlyAccess', sessionDurationSeconds: 43_200 },
  { roleName: 'PowerUserAccess', sessionDurationSeconds: 14_400 },
  { roleName: 'Billing', sessionDurationSeconds: 3600 },
  { roleName: 'DataScientist', sessionDurationSeconds: 28_800 },
  { roleName: 'ViewOnlyAccess', sessionDurationSeconds: 43_200 },
  { roleName: 'SecurityAudit', sessionDurationSeconds: 28_800 },
  { roleName: 'DatabaseAdministrator', sessionDurationSeconds: 3600 },
  { roleName: 'NetworkAdministrator', sessionDurationSeconds: 3600 },
  { roleName: 'SupportUser', sessionDurationSeconds: 28_800 },
  { roleName: 'DeveloperAccess', sessionDurationSeconds: 28_800 },
  { roleName: 'SystemAdministrator', sessionDurationSeconds: 7200 },
];

const TEAMS = [
  'payments', 'checkout', 'identity', 'data-lake', 'analytics', 'ml-platform', 'search', 'mobile-api',
  'web-frontend', 'notifications', 'billing', 'ledger', 'fraud-detection', 'logistics', 'inventory', 'catalog',
  'recommendations', 'observability', 'security-tooling', 'networking', 'shared-services', 'log-archive',
  'audit', 'backup', 'marketing-site', 'customer-support', 'hr-systems', 'finance-reporting', 'edge-cdn',
  'streaming', 'iot-gateway', 'partner-api', 'messaging', 'media-transcoding', 'ci-cd', 'artifact-registry',
  'kubernetes-platform', 'data-warehouse', 'pricing', 'loyalty',
] as const;
const ENVIRONMENTS = ['prod', 'staging', 'dev', 'qa'] as const;

export interface GenerateOptions {
  accounts: number;
  /** Roles each user gets in each account: a fixed count, or a range drawn per account. */
  rolesPerAccount: number | { min: number; max: number };
  /** Users assigned to every generated account (default `["operator"]`). */
  users?: string[];
  seed: number;
  instanceName?: string;
  startUrl?: string;
}

function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    const a = out[i] as T;
    out[i] = out[j] as T;
    out[j] = a;
  }
  return out;
}

function titleCase(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** Same inputs, same organisation, byte for byte. */
export function generateOrganisation(options: GenerateOptions): Directory {
  const { accounts: count, seed } = options;
  const range = typeof options.rolesPerAccount === 'number'
    ? { min: options.rolesPerAccount, max: options.rolesPerAccount }
    : options.rolesPerAccount;
  if (!Number.isInteger(count) || count < 0 || count > 100_000) throw new RangeError('accounts must be an integer 0..100000');
  if (!Number.isInteger(range.min) || !Number.isInteger(range.max) || range.min < 1 || range.max < range.min || range.max > ROLE_CATALOGUE.length) {
    throw new RangeError(`rolesPerAccount must be integers with 1 <= min <= max <= ${ROLE_CATALOGUE.length}`);
  }
  const random = mulberry32(seed);
  const userNames = options.users ?? ['operator'];

  const combos = shuffle(TEAMS.flatMap((team) => ENVIRONMENTS.map((env) => `${team}-${env}`)), random);
  const usedIds = new Set<string>();
  const accounts: DirectoryAccount[] = [];
  for (let i = 0; i < count; i += 1) {
    const base = combos[i % combos.length] ?? 'account';
    const round = Math.floor(i / combos.length);
    const accountName = round === 0 ? base : `${base}-${round + 1}`;
    let id: string;
    do id = String(100_000_000_000 + Math.floor(random() * 899_999_999_999));
    while (usedIds.has(id));
    usedIds.add(id);
    accounts.push({ accountId: id, accountName, emailAddress: `aws+${accountName}@example.com` });
  }

  const usedRoles = new Set<string>();
  const assignments: DirectoryAssignment[] = [];
  for (const account of accounts) {
    const k = range.min + Math.floor(random() * (range.max - range.min + 1));
    const picked = shuffle(ROLE_CATALOGUE, random).slice(0, k);
    for (const role of picked) {
      usedRoles.add(role.roleName);
      for (const user of userNames) assignments.push({ userName: user, accountId: account.accountId, roleName: role.roleName });
    }
  }

  return {
    instanceName: options.instanceName ?? 'Synthetic organisation',
    startUrl: options.startUrl ?? DEMO_START_URL,
    users: userNames.map((name) => ({ userName: name, displayName: titleCase(name), email: `${name}@example.com` })),
    accounts,
    roles: ROLE_CATALOGUE.filter((r) => usedRoles.has(r.roleName)).map((r) => ({ ...r })),
    assignments,
  };
}

/**
 * The demo organisation (committed as directories/demo.json): `operator` has 120 accounts with 1-4 roles
 * each, `developer` four non-production accounts, `newcomer` nothing.
 */
export function buildDemoDirectory(): Directory {
  const base = generateOrganisation({
    accounts: 120,
    rolesPerAccount: { min: 1, max: 4 },
    users: ['operator'],
    seed: 20_240_601,
    instanceName: DEMO_INSTANCE_NAME,
    startUrl: DEMO_START_URL,
  });
  const developerAccounts = [...base.accounts]
    .filter((a) => /-(dev|staging)$/.test(a.accountName))
    .sort((x, y) => compareStrings(x.accountName, y.accountName))
    .slice(0, 4);
  const developerRoles = ['DeveloperAccess', 'ReadOnlyAccess'];
  const roles = [...base.roles];
  for (const name of developerRoles) {
    const role = ROLE_CATALOGUE.find((r) => r.roleName === name);
    if (role && !roles.some((r) => r.roleName === name)) roles.push({ ...role });
  }
  return {
    ...base,
    users: [
      { userName: 'operator', displayName: 'Olivia Operator', email: 'olivia.operator@example.com' },
      { userName: 'developer', displayName: 'Dev Patel', email: 'dev.patel@example.com' },
      { userName: 'newcomer', displayName: 'Nina Newcomer', email: 'nina.newcomer@example.com' },
    ],
    roles,
    assignments: [
      ...base.assignments,
      ...developerAccounts.flatMap((a) => developerRoles.map((roleName) => ({ userName: 'developer', accountId: a.accountId, roleName }))),
    ],
  };
}
