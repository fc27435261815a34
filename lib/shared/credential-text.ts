/**
 * Role credentials in every shape people paste them in. The shapes that `aws configure
 * export-credentials --format …` produces (env, env-no-export, powershell, windows-cmd, process)
 * match it character for character, including the expiration's form (Python's isoformat of a UTC
 * time: `2026-01-01T13:00:00+00:00`). Pure functions: the browser renders them from the credentials
 * it was handed, and the API serves the same texts.
 *
 * No zod here on purpose: the browser imports this module, and the schemas (with zod) live in
 * `credential-formats.ts`, which re-exports everything from here for the server.
 */

export const CREDENTIAL_FORMATS = ['env', 'env-no-export', 'fish', 'powershell', 'windows-cmd', 'ini', 'dotenv', 'process'] as const;
export type CredentialFormat = (typeof CREDENTIAL_FORMATS)[number];

export interface CredentialsDTO {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** ISO 8601, whole seconds, UTC (`…Z`). */
  expiration: string;
}

export interface FormatOptions {
  /** Adds AWS_REGION and AWS_DEFAULT_REGION (or `region =` for ini); off unless chosen. */
  region?: string;
  /** The ini section name. */
  profileName?: string;
}

export interface FormatInfo {
  label: string;
  /** Shown beside the text: where it goes. */
  hint: string;
  /** A file people save rather than paste: offered for download under this name. */
  fileName?: string;
  /** Produced by `aws configure export-credentials --format <format>` as well. */
  awsCli: boolean;
}

export const FORMAT_INFO: Record<CredentialFormat, FormatInfo> = {
  env: { label: 'macOS / Linux', hint: 'Paste into bash or zsh.', awsCli: true },
  'env-no-export': { label: 'Without export', hint: 'Shell variables for one command or a script.', awsCli: true },
  fish: { label: 'fish', hint: 'Paste into the fish shell.', awsCli: true },
  powershell: { label: 'PowerShell', hint: 'Paste into PowerShell.', awsCli: true },
  'windows-cmd': { label: 'Windows cmd', hint: 'Paste into the Windows command prompt.', awsCli: true },
  ini: {
    label: 'Credentials file',
    hint: 'Add to ~/.aws/credentials and use with --profile.',
    fileName: 'credentials',
    awsCli: false,
  },
  // Browsers drop the leading dot of a downloaded file's name (`.env` would arrive as `env`), so the
  // file is offered under a name that arrives as announced, and the hint says to rename it.
  dotenv: {
    label: '.env',
    hint: 'For tools that read a .env file. The download is named aws.env, as browsers do not save names that start with a dot: rename it to .env.',
    fileName: 'aws.env',
    awsCli: false,
  },
  process: {
    label: 'credential_process',
    hint: 'JSON for a credential_process command.',
    fileName: 'credentials.json',
    awsCli: true,
  },
};

/** `2026-01-01T13:00:00+00:00`: what Python's `datetime.isoformat()` gives for a UTC time in whole seconds. */
export function pythonIsoFormat(iso: string): string {
  return `${new Date(iso).toISOString().slice(0, 19)}+00:00`;
}

/** Whole seconds, `…Z`: how the portal hands out expirations. */
export function isoSeconds(epochMs: number): string {
  return `${new Date(Math.floor(epochMs / 1000) * 1000).toISOString().slice(0, 19)}Z`;
}

/** A credentials-file profile name: 1 to 64 of A-Z a-z 0-9 . _ @ + - */
export const PROFILE_NAME_PATTERN = /^[A-Za-z0-9._@+-]{1,64}$/;
export const PROFILE_NAME_RULE = 'a profile name is 1 to 64 of A-Z a-z 0-9 . _ @ + -';

/** A readable profile name from the account name and role: `payments-prod.AdministratorAccess`. */
export function defaultProfileName(accountName: string, roleName: string): string {
  const account = accountName
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  const name = `${account || 'account'}.${roleName}`.slice(0, 64);
  return PROFILE_NAME_PATTERN.test(name) ? name : 'gatehouse';
}

function variables(credentials: CredentialsDTO, options: FormatOptions): [string, string][] {
  const pairs: [string, string][] = [
    ['AWS_ACCESS_KEY_ID', credentials.accessKeyId],
    ['AWS_SECRET_ACCESS_KEY', credentials.secretAccessKey],
    ['AWS_SESSION_TOKEN', credentials.sessionToken],
    ['AWS_CREDENTIAL_EXPIRATION', pythonIsoFormat(credentials.expiration)],
  ];
  if (options.region) pairs.push(['AWS_REGION', options.region], ['AWS_DEFAULT_REGION', options.region]);
  return pairs;
}

const lines = (pairs: [string, string][], line: (name: string, value: string) => string) =>
  pairs.map(([name, value]) => `${line(name, value)}\n`).join('');

/**
 * Characters that mean nothing in any of the formats' languages. Credentials in AWS's documented
 * alphabets (and regions, expirations) consist of these only, so they are written exactly as the
 * AWS CLI writes them. Anything else is quoted so it cannot leave its quotes, or refused where a
 * format has no quoting every reader agrees on. The portal refuses such credentials from Identity
 * Center before they get here; this is the second line.
 */
const INERT = /^[A-Za-z0-9/+=:._-]*$/;

/** A value a format cannot carry safely (a line break in a .env file, say). */
export class UnsafeCredentialValueError extends Error {
  constructor(readonly format: CredentialFormat) {
    super(`These credentials contain characters the ${FORMAT_INFO[format].label} format cannot carry safely.`);
    this.name = 'UnsafeCredentialValueError';
  }
}

/** POSIX shells: single quotes keep everything literal; a quote itself is closed, escaped, reopened. */
function shellWord(value: string): string {
  return INERT.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** fish, in the AWS CLI's double quotes: backslash, the quote and `$` (variables, `$(…)`) escaped. */
function fishString(value: string): string {
  return `"${value.replace(/[\\"$]/g, (character) => `\\${character}`)}"`;
}

/** PowerShell, single-quoted when needed: literal, and every quote character PowerShell knows doubled. */
function powershellString(value: string): string {
  return INERT.test(value) ? `"${value}"` : `'${value.replace(/['\u2018\u2019\u201a\u201b]/g, (quote) => quote + quote)}'`;
}

/** Formats with no quoting that every reader honours (cmd's `set`, .env files, ini): inert values only. */
function inertOnly(format: CredentialFormat, pairs: [string, string][]): void {
  if (pairs.some(([, value]) => !INERT.test(value))) throw new UnsafeCredentialValueError(format);
}

/**
 * The credentials as text in `format`. Throws UnsafeCredentialValueError for values that format
 * cannot carry safely; never for credentials in AWS's documented form.
 */
export function formatCredentials(credentials: CredentialsDTO, format: CredentialFormat, options: FormatOptions = {}): string {
  const pairs = variables(credentials, options);
  // No shell variable or file line can hold a NUL: it would be cut short, never quoted.
  if (format !== 'process' && pairs.some(([, value]) => value.includes('\0'))) throw new UnsafeCredentialValueError(format);
  switch (format) {
    case 'env':
      return lines(pairs, (name, value) => `export ${name}=${shellWord(value)}`);
    case 'env-no-export':
      return lines(pairs, (name, value) => `${name}=${shellWord(value)}`);
    case 'dotenv':
      inertOnly(format, pairs);
      return lines(pairs, (name, value) => `${name}=${value}`);
    case 'fish':
      return lines(pairs, (name, value) => `set -gx ${name} ${fishString(value)}`);
    case 'powershell':
      return lines(pairs, (name, value) => `$Env:${name}=${powershellString(value)}`);
    case 'windows-cmd':
      inertOnly(format, pairs);
      return lines(pairs, (name, value) => `set ${name}=${value}`);
    case 'ini': {
      inertOnly(format, pairs);
      const profile = options.profileName && PROFILE_NAME_PATTERN.test(options.profileName) ? options.profileName : 'default';
      return (
        `[${profile}]\n` +
        `aws_access_key_id = ${credentials.accessKeyId}\n` +
        `aws_secret_access_key = ${credentials.secretAccessKey}\n` +
        `aws_session_token = ${credentials.sessionToken}\n` +
        (options.region ? `region = ${options.region}\n` : '')
      );
    }
    case 'process':
      // json.dumps(indent=2, separators=(',', ': ')) plus a newline, as the AWS CLI writes it.
      return `${JSON.stringify(
        {
          Version: 1,
          AccessKeyId: credentials.accessKeyId,
          SecretAccessKey: credentials.secretAccessKey,
          SessionToken: credentials.sessionToken,
          Expiration: pythonIsoFormat(credentials.expiration),
        },
        null,
        2,
      )}\n`;
  }
}

/** AWS regions as people type them (us-east-1, eu-west-2, us-gov-west-1, cn-north-1, eusc-de-east-1 …). */
export { REGION_PATTERN } from './partitions';
