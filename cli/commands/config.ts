/** `gatehouse config`: a profile per role in ~/.aws/config, each getting its credentials from `gatehouse credential-process`. */
import type { Environment } from '../environment';
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';

import { awsConfigFile, blockStart, type ManagedProfile, mergeManagedBlock, readAwsConfig, writeAwsConfig } from '../aws-config';
import type { Context } from '../context';
import { CliError } from '../errors';
import { configProfilesSchema, profileNameSchema, REGION_PATTERN } from '../schemas';


function sameFile(a: string, b: string): boolean {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
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
  if (/^[\w@%+=:,./-]+$/.test(absolute)) return absolute;
  if (!absolute.includes("'")) return `'${absolute}'`;
  return 'gatehouse';
}

export function credentialProcessLine(command: string, accountId: string, roleName: string, portal: string, instance: string | undefined): string {
  return `${command} credential-process --account ${accountId} --role ${roleName} --portal ${portal}${instance ? ` --instance ${instance}` : ''}`;
}

export async function config(context: Context, options: { favorites?: boolean; region?: string }, runningScript: string | undefined): Promise<void> {
  if (options.region !== undefined && !REGION_PATTERN.test(options.region)) {
    throw new CliError(`--region takes an AWS region such as eu-west-1, not ${JSON.stringify(options.region)}.`, 2);
  }
  const target = context.target();
  const answer = await context.apiFor(target).json('GET', '/api/cli/aws-config-profiles', configProfilesSchema, {
    query: { favorites: options.favorites ? '1' : undefined },
    timeoutMs: 15 * 60_000,
  });
  const command = commandForProfiles(runningScript, context.io.env);
  const instanceKey = target.session?.instance.key ?? target.instance ?? 'default';
  const refused: string[] = [];
  const profiles: ManagedProfile[] = [];
  for (const profile of answer.profiles) {
    if (!profileNameSchema.safeParse(profile.name).success) {
      refused.push(profile.name);
      continue;
    }
    profiles.push({
      name: profile.name,
      credentialProcess: credentialProcessLine(command, profile.accountId, profile.roleName, target.portal, target.instance),
      region: options.region ?? answer.region,
    });
  }
  const file = awsConfigFile(context.io.env);
  const merged = mergeManagedBlock(readAwsConfig(file), blockStart(target.portal, instanceKey), profiles);
  const outcome = writeAwsConfig(file, merged.text, new Date(context.io.now()));
  const { stderr } = context.io;
  if (outcome.changed) {
    stderr.write(`Wrote ${merged.written.length} profile${merged.written.length === 1 ? '' : 's'} to ${outcome.file}${outcome.backup ? ` (the old file is in ${outcome.backup})` : ''}.\n`);
  } else {
    stderr.write(`${outcome.file} already has these ${merged.written.length} profiles: nothing to change.\n`);
  }
  if (merged.skipped.length > 0) {
    stderr.write(`Skipped ${merged.skipped.join(', ')}: already in ${outcome.file} outside the gatehouse block.\n`);
  }
  if (refused.length > 0) stderr.write(`Skipped ${refused.length} profile name(s) the AWS CLI could not read: ${refused.join(', ')}.\n`);
}
