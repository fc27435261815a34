/**
 * `gatehouse config`: one marked block of profiles in ~/.aws/config, managed by the command.
 *
 *   # >>> gatehouse (https://gatehouse.example.com, instance production) >>>
 *   [profile core-prod.AdministratorAccess]
 *   credential_process = gatehouse credential-process --account 111122223333 --role AdministratorAccess --portal …
 *   region = eu-central-1
 *   # <<< gatehouse <<<
 *
 * Every byte outside the block stays as it was; the block for the same portal and instance is
 * replaced, or appended when there is none; a profile the file already has outside the block is left
 * to the person and not written twice. The file is backed up, then replaced atomically with its mode.
 */
import type { Environment } from './environment';
import { existsSync, lstatSync, mkdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

import { CliError } from './errors';
import { createNew, writeFileAtomic } from './files';

export const BLOCK_END = '# <<< gatehouse <<<';

export function blockStart(portal: string, instance: string): string {
  return `# >>> gatehouse (${portal}, instance ${instance}) >>>`;
}

export interface ManagedProfile {
  name: string;
  credentialProcess: string;
  region: string;
}

export interface MergeResult {
  text: string;
  /** Profiles written into the block. */
  written: string[];
  /** Profiles the file already has outside the block: not written. */
  skipped: string[];
  /** Whether a block for this portal and instance was there and replaced. */
  replaced: boolean;
}

interface Line {
  /** The line without its ending. */
  content: string;
  /** Its ending as it was: "\n", "\r\n" or "" for a last line without one. */
  ending: string;
}

export function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  const pattern = /([^\r\n]*)(\r\n|\n|\r)?/gy;
  let index = 0;
  while (index < text.length) {
    pattern.lastIndex = index;
    const match = pattern.exec(text);
    if (!match) break;
    lines.push({ content: match[1] ?? '', ending: match[2] ?? '' });
    index = pattern.lastIndex;
  }
  return lines;
}

/** The profile a section header names, as the AWS CLI reads it (`[default]`, `[profile NAME]`); undefined for other sections. */
export function sectionProfile(line: string): string | undefined {
  // A UTF-8 byte order mark (read as latin1 or as UTF-8) may open the first line.
  const match = /^(?:\u00EF\u00BB\u00BF|\uFEFF)?\s*\[\s*([^\]]*?)\s*\]/.exec(line);
  if (!match) return undefined;
  const section = match[1] ?? '';
  if (section === 'default') return 'default';
  const profile = /^profile\s+(.+)$/.exec(section);
  return profile?.[1]?.trim();
}

export function mergeManagedBlock(existing: string, start: string, profiles: ManagedProfile[]): MergeResult {
  const lines = splitLines(existing);
  // The block's own lines follow the file's line endings, so a CRLF file stays CRLF.
  const eol = existing.includes('\r\n') ? '\r\n' : '\n';
  const startIndex = lines.findIndex((line) => line.content.trimEnd() === start);
  let endIndex = -1;
  if (startIndex >= 0) {
    endIndex = lines.findIndex((line, index) => index > startIndex && line.content.trimEnd() === BLOCK_END);
    if (endIndex < 0) throw new CliError(`The gatehouse block in the AWS config file has no end line (${BLOCK_END}): mend the file by hand, then run this again.`);
  }
  const outside = startIndex >= 0 ? [...lines.slice(0, startIndex), ...lines.slice(endIndex + 1)] : lines;
  const foreign = new Set(outside.map((line) => sectionProfile(line.content)).filter((name): name is string => name !== undefined));

  const written: string[] = [];
  const skipped: string[] = [];
  const body: string[] = [start];
  const seen = new Set<string>();
  for (const profile of profiles) {
    if (foreign.has(profile.name)) {
      skipped.push(profile.name);
      continue;
    }
    if (seen.has(profile.name)) continue;
    seen.add(profile.name);
    written.push(profile.name);
    body.push(`[profile ${profile.name}]`, `credential_process = ${profile.credentialProcess}`, `region = ${profile.region}`, '');
  }
  if (body.at(-1) === '') body.pop();
  body.push(BLOCK_END);
  const block = body.map((line) => line + eol).join('');

  if (startIndex >= 0) {
    const before = lines.slice(0, startIndex).map((line) => line.content + line.ending).join('');
    const after = lines.slice(endIndex + 1).map((line) => line.content + line.ending).join('');
    return { text: before + block + after, written, skipped, replaced: true };
  }
  // Appended after everything there is, which stays a prefix of the new file byte for byte.
  let separator = '';
  if (existing.length > 0) {
    const last = lines.at(-1);
    if (last && last.ending === '') separator += eol;
    if (last && last.content.trim() !== '') separator += eol;
  }
  return { text: existing + separator + block, written, skipped, replaced: false };
}

export function awsConfigFile(env: Environment): string {
  if (env.AWS_CONFIG_FILE) return path.resolve(env.AWS_CONFIG_FILE.replace(/^~(?=$|\/)/, env.HOME || homedir()));
  return path.join(env.HOME || homedir(), '.aws', 'config');
}

/**
 * The file's bytes as a string of one character per byte (latin1), so that whatever it holds (UTF-8,
 * another encoding, stray bytes) is written back exactly; the block itself is ASCII.
 */
export function readAwsConfig(file: string): string {
  return existsSync(file) ? readFileSync(file, 'latin1') : '';
}

/** YYYYMMDDTHHMMSSmmmZ: sortable, no characters a file name dislikes. */
export function backupStamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace('.', '');
}

export interface WriteOutcome {
  changed: boolean;
  file: string;
  backup?: string;
}

/**
 * Replaces the file with `text` (following a symbolic link the person made to the file it names): a
 * backup of the old content first (0600, a new file that never follows a link), then a temporary file
 * renamed over it with the old mode. Nothing is written when nothing changes.
 */
export function writeAwsConfig(file: string, text: string, now: Date): WriteOutcome {
  const target = existsSync(file) ? realpathSync(file) : file;
  if (!existsSync(target)) {
    const directory = path.dirname(target);
    // ~/.aws as the AWS CLI makes it.
    if (!existsSync(directory)) mkdirSync(directory, { recursive: true, mode: 0o700 });
    writeFileAtomic(target, text, 0o600, 'latin1');
    return { changed: true, file: target };
  }
  if (!lstatSync(target).isFile()) throw new CliError(`${target} is not a file.`);
  const old = readAwsConfig(target);
  if (old === text) return { changed: false, file: target };
  const mode = statSync(target).mode & 0o777;
  // The backup is made here, 0600 whatever the file's mode (it may hold what the person keeps private),
  // under a name nothing else holds: a link planted there is never followed, another name is taken.
  const bytes = readFileSync(target);
  let backup = `${target}.gatehouse-backup-${backupStamp(now)}`;
  for (let n = 2; !createNew(backup, bytes, 0o600); n += 1) {
    if (n > 100) throw new CliError(`Could not make a backup of ${target}: nothing was written.`);
    backup = `${target}.gatehouse-backup-${backupStamp(now)}-${n}`;
  }
  writeFileAtomic(target, text, mode, 'latin1');
  return { changed: true, file: target, backup };
}
