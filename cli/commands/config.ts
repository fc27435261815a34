/** `gatehouse config`: a profile per role in ~/.aws/config, each getting its credentials from `gatehouse credential-process`. */
import type { Environment } from '../environment';
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';

import { ACCOUNT_ID_PATTERN, ROLE_NAME_PATTERN } from '../../lib/shared/aws-names';
import { CONFIG_PROFILE_NAME_PATTERN, profileNames } from '../../lib/shared/aws-config';
import { INSTANCE_KEY_PATTERN } from '../../lib/shared/instances';
import { plural } from '../../lib/shared/words';
import { awsConfigFile, blockStart, type ManagedProfile, mergeManagedBlock, readAwsConfig, writeAwsConfig } from '../aws-config';
import type { Context } from '../context';
import { CliError } from '../errors';
import type { Listing } from '../listing';
import { favoritesSchema, type Favorites, isRegion, sessionSchema } from '../schemas';
import { completeListing } from './accounts';
import { checkRegion } from './credentials';

function sameFile(a: string, b: string): boolean {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
}

/** Characters a POSIX shell and the AWS CLI's shlex both read as part of a plain word. */
const PLAIN_WORD = /^[\w@%+=:,./-]+$/;

/** One argument of the credential_process line, as both the AWS CLI (shlex) and the SDKs (a shell) read it back. */
export function shellArgument(value: string): string {
  if (PLAIN_WORD.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * How a profile calls this command: `gatehouse` when that name on PATH is this very command (so the
 * profiles survive an update, which replaces the file behind the name), else this command's absolute
 * path (an install whose folder is not on PATH, as for an IDE that starts the AWS CLI with another
 * PATH), quoted for both the AWS CLI (shlex) and the SDKs (a shell).
 */
export function commandForProfiles(runningScript: string | undefined, env: Environment): string {
  if (!runningScript) return 'gatehouse';
  for (const directory of (env.PATH ?? '').split(path.delimiter)) {
    if (!directory) continue;
    const candidate = path.join(directory, process.platform === 'win32' ? 'gatehouse.cmd' : 'gatehouse');
    if (existsSync(candidate) && sameFile(candidate, runningScript)) return 'gatehouse';
  }
  const absolute = path.resolve(runningScript);
  if (/[\0\r\n]/.test(absolute)) return 'gatehouse';
  return shellArgument(absolute);
}

/**
 * The credential_process line of a profile. Every value is checked against the portal's rules here,
 * whoever sent it (an account id, a role name, an instance key cannot carry a quote, a `$(…)` or a
 * line break), and quoted where a shell or shlex would read more than a word.
 */
export function credentialProcessLine(command: string, accountId: string, roleName: string, portal: string, instance: string | undefined): string {
  if (!ACCOUNT_ID_PATTERN.test(accountId) || !ROLE_NAME_PATTERN.test(roleName) || (instance !== undefined && !INSTANCE_KEY_PATTERN.test(instance))) {
    throw new CliError(`Refused to write a profile for ${JSON.stringify(`${accountId}/${roleName}`)}: not an account id and role name.`);
  }
  if (/[\0\r\n]/.test(portal)) throw new CliError('Refused to write a profile: the portal URL holds a line break.');
  const words = [command, 'credential-process', '--account', accountId, '--role', roleName, '--portal', shellArgument(portal)];
  if (instance) words.push('--instance', instance);
  return words.join(' ');
}

/** The accounts and roles to write: every one, or the person's favorites (a starred account brings all its roles). */
export function profileAccounts(listing: Listing, favorites: Favorites | undefined): { accountId: string; accountName: string; roles: string[] }[] {
  const accounts = new Set(favorites?.accounts ?? []);
  const roles = new Set(favorites?.roles ?? []);
  return listing.order.flatMap((id) => {
    const entry = listing.entries.get(id);
    if (!entry?.roles) return [];
    const chosen = favorites === undefined || accounts.has(id) ? entry.roles : entry.roles.filter((role) => roles.has(`${id}/${role}`));
    return chosen.length === 0 ? [] : [{ accountId: id, accountName: entry.account.nickname ?? entry.account.accountName, roles: [...chosen] }];
  });
}

export async function config(context: Context, options: { favorites?: boolean; region?: string }, runningScript: string | undefined): Promise<void> {
  const explicitRegion = checkRegion(options.region);
  const target = context.target();
  const api = context.apiFor(target);
  const { io } = context;
  const where = `${target.portal}${target.instance ? ` (instance ${target.instance})` : ''}`;

  const favorites = options.favorites ? await api.json('GET', '/api/cli/favorites', favoritesSchema) : undefined;
  if (favorites && favorites.accounts.length === 0 && favorites.roles.length === 0) {
    throw new CliError(`You have no favorites at ${where}: star roles or accounts on the portal's accounts page, or run \`gatehouse config\` without --favorites. Nothing was written.`);
  }
  const [listing, region] = await Promise.all([
    completeListing(api, io),
    explicitRegion ?? api.json('GET', '/api/cli/session', sessionSchema).then((session) => session.instance.region),
  ]);
  if (region === undefined || !isRegion(region)) {
    throw new CliError(`The portal at ${target.portal} did not say its default region: give one with --region. Nothing was written.`);
  }
  if (listing.failedRoles > 0) {
    // The profiles of those accounts would vanish from the file: better nothing than a wrong block.
    throw new CliError(`The roles of ${plural(listing.failedRoles, 'account')} could not be loaded just now: nothing was written. Run this again.`);
  }

  const accounts = profileAccounts(listing, favorites);
  if (accounts.length === 0) {
    throw new CliError(
      favorites
        ? `None of your favorites at ${where} is a role you have now: nothing was written.`
        : `You have no role at ${where}: nothing was written.`,
    );
  }
  const command = commandForProfiles(runningScript, io.env);
  const names = profileNames(accounts);
  const refused: string[] = [];
  const profiles: ManagedProfile[] = [];
  for (const account of accounts) {
    for (const roleName of account.roles) {
      const name = names.get(`${account.accountId}/${roleName}`) ?? '';
      if (!CONFIG_PROFILE_NAME_PATTERN.test(name)) {
        refused.push(`${account.accountId}/${roleName}`);
        continue;
      }
      profiles.push({ name, credentialProcess: credentialProcessLine(command, account.accountId, roleName, target.portal, target.instance), region });
    }
  }
  const instanceKey = target.session?.instance.key ?? target.instance ?? 'default';
  const file = awsConfigFile(io.env);
  const merged = mergeManagedBlock(readAwsConfig(file), blockStart(target.portal, instanceKey), profiles);
  const outcome = writeAwsConfig(file, merged.text, new Date(io.now()));
  if (outcome.changed) {
    io.stderr.write(`Wrote ${plural(merged.written.length, 'profile')} to ${outcome.file}${outcome.backup ? ` (the old file is in ${outcome.backup})` : ''}.\n`);
  } else {
    io.stderr.write(`${outcome.file} already has these ${merged.written.length} profiles: nothing to change.\n`);
  }
  if (merged.skipped.length > 0) {
    io.stderr.write(`Skipped ${merged.skipped.join(', ')}: already in ${outcome.file} outside the gatehouse block.\n`);
  }
  if (refused.length > 0) io.stderr.write(`Skipped ${plural(refused.length, 'role')} whose profile name the AWS CLI could not read: ${refused.join(', ')}.\n`);
}
