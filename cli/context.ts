/**
 * What every command shares: its input and output, where the session is kept, which portal, instance
 * and token a command uses, the update notice, and choosing the account and role.
 */
import type { Environment } from './environment';
import { CliError } from './errors';
import type { HttpSend } from './http';
import { filterChoices, pickRole, roleChoices } from './picker';
import { normalisePortalUrl, PortalApi } from './portal';
import { accountsSchema, type Account } from './schemas';
import { configDirectory, findSession, readStore, type StoredSession } from './token-store';
import { updateNotice } from './version';

export interface Output {
  write(text: string): unknown;
}

export interface Io {
  stdout: Output;
  stderr: Output;
  stdinIsTty: boolean;
  /** Where the picker draws (stderr's stream). */
  pickerOutput?: NodeJS.WriteStream;
  env: Environment;
  platform: NodeJS.Platform;
  now: () => number;
  /** The HTTP client (a test may hand in another). */
  send?: HttpSend;
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

export const ACCOUNT_ID = /^\d{12}$/;
export const ROLE_NAME = /^[\w+=,.@-]{1,128}$/;
export const INSTANCE_KEY = /^[a-z0-9][a-z0-9-]{0,62}$/;

export class Context {
  private noticeShown = false;

  constructor(
    readonly io: Io,
    readonly options: TargetOptions,
  ) {
    if (options.instance !== undefined && !INSTANCE_KEY.test(options.instance)) {
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
    const notice = updateNotice(version, portal);
    if (!notice) return;
    this.noticeShown = true;
    this.io.stderr.write(`${notice}\n`);
  };

  api(portal: string, instance: string | undefined, token?: string): PortalApi {
    return new PortalApi({ portal, instance, token, send: this.io.send, onVersion: (version) => this.onVersion(version, portal) });
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

  listing(api: PortalApi): Promise<Account[]> {
    return api.json('GET', '/api/cli/accounts', accountsSchema, { timeoutMs: 15 * 60_000 }).then((answer) => answer.accounts);
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
  if (options.role !== undefined && !ROLE_NAME.test(options.role)) {
    throw new CliError(`--role takes a role (permission set) name, not ${JSON.stringify(options.role)}.`, 2);
  }
  if (options.account !== undefined && options.account.trim() === '') throw new CliError('--account takes an account id or name.', 2);
  if ((options.account === undefined || options.role === undefined) && !context.io.stdinIsTty) {
    throw new CliError('Say which role with --account ID --role NAME (there is no terminal to choose one in).', 2);
  }
}

/**
 * The account and role: from --account and --role (an account may be named by its id, name or
 * nickname), else chosen in the picker when there is a terminal, else refused.
 */
export async function chooseRole(context: Context, api: PortalApi, options: RoleOptions): Promise<ChosenRole> {
  checkRoleOptions(context, options);
  if (options.account !== undefined && ACCOUNT_ID.test(options.account) && options.role !== undefined) {
    return { accountId: options.account, roleName: options.role };
  }
  const accounts = await context.listing(api);
  let choices = roleChoices(accounts, options.account);
  if (options.account !== undefined && choices.length === 0) {
    throw new CliError(`You have no account ${options.account} (or no role in it).`);
  }
  if (options.role !== undefined) {
    choices = choices.filter((choice) => choice.roleName === options.role);
    const ids = new Set(choices.map((choice) => choice.accountId));
    if (ids.size === 1 && choices[0]) return { accountId: choices[0].accountId, roleName: choices[0].roleName };
    if (choices.length === 0) throw new CliError(`You do not have role ${options.role} in account ${options.account ?? '(any)'}.`);
    if (!context.io.stdinIsTty) throw new CliError(`More than one account is called ${options.account}: give its 12-digit id.`, 2);
  }
  if (choices.length === 1 && choices[0] && options.account !== undefined) return { accountId: choices[0].accountId, roleName: choices[0].roleName };
  const picked = await pickRole(filterChoices(choices, undefined), context.io.pickerOutput ?? process.stderr);
  return { accountId: picked.accountId, roleName: picked.roleName };
}
