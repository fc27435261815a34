/**
 * What every command shares: its input and output, where the session is kept, which portal, instance
 * and token a command uses, the update notice, and choosing the account and role.
 */
import type { Environment } from './environment';
import { ACCOUNT_ID_PATTERN, ROLE_NAME_PATTERN } from '../lib/shared/aws-names';
import { INSTANCE_KEY_PATTERN } from '../lib/shared/instances';
import { CliError } from './errors';
import type { HttpOpenStream, HttpSend } from './http';
import { followListing, Listing, type ListingEntry } from './listing';
import { pickRole, type RoleFilter } from './picker';
import { normalisePortalUrl, PortalApi } from './portal';
import { configDirectory, findSession, readStore, type StoredSession } from './token-store';
import { updateNotice } from './version';

export interface Output {
  write(text: string): unknown;
}

export interface Io {
  stdout: Output;
  stderr: Output;
  stdinIsTty: boolean;
  /** Whether stderr is a terminal: progress is shown there only then. */
  stderrIsTty?: boolean;
  /** Where the picker draws (stderr's stream). */
  pickerOutput?: NodeJS.WritableStream;
  /** Where the picker reads keys (stdin's stream). */
  pickerInput?: NodeJS.ReadableStream;
  env: Environment;
  platform: NodeJS.Platform;
  now: () => number;
  /** The HTTP client (a test may hand in another). */
  send?: HttpSend;
  openStream?: HttpOpenStream;
  /** The silence after which a request to the portal is given up (default 15 s). */
  idleMs?: number;
  /** The path this command runs from (process.argv[1]): how profiles and update notices name it. */
  runningScript?: string;
}

export interface TargetOptions {
  portal?: string;
  instance?: string;
}

export interface Target {
  portal: string;
  /** Sent as ?instance= (only when the person chose one). */
  instance?: string;
  token: string;
  /** The stored sign-in the token comes from (none when GATEHOUSE_TOKEN gave it). */
  session?: StoredSession;
}

export class Context {
  private noticeShown = false;

  constructor(
    readonly io: Io,
    readonly options: TargetOptions,
  ) {
    if (options.instance !== undefined && !INSTANCE_KEY_PATTERN.test(options.instance)) {
      throw new CliError(`--instance takes an instance key such as production (letters a-z, digits and -), not ${JSON.stringify(options.instance)}.`, 2);
    }
  }

  get configDirectory(): string {
    return configDirectory(this.io.env);
  }

  /** The portal named by --portal, else GATEHOUSE_PORTAL; undefined when neither names one. */
  namedPortal(): string | undefined {
    const text = this.options.portal ?? (this.io.env.GATEHOUSE_PORTAL || undefined);
    return text === undefined ? undefined : normalisePortalUrl(text);
  }

  /** Prints the update notice once, on stderr, when the portal runs a newer version. */
  readonly onVersion = (version: string, portal: string): void => {
    if (this.noticeShown) return;
    const notice = updateNotice(version, portal, undefined, this.io.runningScript);
    if (!notice) return;
    this.noticeShown = true;
    this.io.stderr.write(`${notice}\n`);
  };

  api(portal: string, instance: string | undefined, token?: string): PortalApi {
    const { send, openStream, idleMs } = this.io;
    return new PortalApi({ portal, instance, token, send, openStream, idleMs, onVersion: (version) => this.onVersion(version, portal) });
  }

  /** The portal, instance and token a command uses; refuses, in one line, a token for another portal or instance. */
  target(): Target {
    const portal = this.namedPortal();
    const envToken = this.io.env.GATEHOUSE_TOKEN?.trim();
    const store = readStore(this.configDirectory);
    if (envToken) {
      const resolved = portal ?? store.current?.portal;
      if (!resolved) throw new CliError('GATEHOUSE_TOKEN is set but no portal is named: give --portal URL or set GATEHOUSE_PORTAL.', 2);
      return { portal: resolved, instance: this.options.instance, token: envToken };
    }
    const session = findSession(store, portal, this.options.instance);
    return { portal: session.portal, instance: session.instanceChosen ? session.instance.key : undefined, token: session.token, session };
  }

  apiFor(target: Target): PortalApi {
    return this.api(target.portal, target.instance, target.token);
  }
}

export interface RoleOptions {
  account?: string;
  role?: string;
}

export interface ChosenRole {
  accountId: string;
  roleName: string;
}

export function forbiddenLine(role: ChosenRole): string {
  return `You do not have role ${role.roleName} in account ${role.accountId}.`;
}

/** Refuses a role the command line cannot name, before anything is asked of the portal or read from disk. */
export function checkRoleOptions(context: Context, options: RoleOptions): void {
  if (options.role !== undefined && !ROLE_NAME_PATTERN.test(options.role)) {
    throw new CliError(`--role takes a role (permission set) name (1 to 64 of A-Z a-z 0-9 + = , . @ _ -), not ${JSON.stringify(options.role)}.`, 2);
  }
  if (options.account !== undefined && options.account.trim() === '') throw new CliError('--account takes an account id or name.', 2);
  if ((options.account === undefined || options.role === undefined) && !context.io.stdinIsTty) {
    throw new CliError('Say which role with --account ID --role NAME (there is no terminal to choose one in).', 2);
  }
}

/** Whether `entry` is the account --account names: by id, name or nickname. */
function named(entry: ListingEntry, account: string): boolean {
  const { accountId, accountName, nickname } = entry.account;
  return accountId === account || accountName === account || nickname === account;
}

/**
 * The account and role, without waiting on a whole listing: from --account ID and --role as given
 * (nothing is listed); --account NAME is looked up in the listing's accounts, which come before any
 * role, and the listing is left as soon as every account is known; without both, chosen in the picker,
 * which opens at once and fills as the listing streams in.
 */
export async function chooseRole(context: Context, api: PortalApi, options: RoleOptions): Promise<ChosenRole> {
  checkRoleOptions(context, options);
  const { account, role } = options;
  if (account !== undefined && ACCOUNT_ID_PATTERN.test(account) && role !== undefined) return { accountId: account, roleName: role };

  let filter: RoleFilter | undefined;
  if (account !== undefined && role !== undefined) {
    const listing = new Listing();
    await followListing(api, listing, (known) => known.total !== null);
    const ids = [...listing.entries.values()].filter((entry) => named(entry, account)).map((entry) => entry.account.accountId);
    const [only] = ids;
    if (ids.length === 1 && only) return { accountId: only, roleName: role };
    if (ids.length === 0) throw new CliError(`You have no account called ${account}.`);
    if (!context.io.stdinIsTty) throw new CliError(`More than one account is called ${account} (${ids.join(', ')}): give its 12-digit id.`, 2);
    filter = (entry, roleName) => ids.includes(entry.account.accountId) && roleName === role;
  } else if (account !== undefined) {
    filter = (entry) => named(entry, account);
  } else if (role !== undefined) {
    filter = (_entry, roleName) => roleName === role;
  }

  const listing = new Listing();
  const following = followListing(api, listing);
  following.catch(() => undefined);
  try {
    const picked = await pickRole(listing, context.io.pickerOutput ?? process.stderr, { filter, input: context.io.pickerInput, following });
    return { accountId: picked.accountId, roleName: picked.roleName };
  } finally {
    // The listing goes on at the portal for the next command; this one stops reading it.
    listing.stop();
  }
}
