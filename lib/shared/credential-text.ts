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
  dotenv: { label: '.env', hint: 'For tools that read a .env file.', fileName: '.env', awsCli: false },
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

export function formatCredentials(credentials: CredentialsDTO, format: CredentialFormat, options: FormatOptions = {}): string {
  const pairs = variables(credentials, options);
  switch (format) {
    case 'env':
      return lines(pairs, (name, value) => `export ${name}=${value}`);
    case 'env-no-export':
    case 'dotenv':
      return lines(pairs, (name, value) => `${name}=${value}`);
    case 'fish':
      return lines(pairs, (name, value) => `set -gx ${name} "${value}"`);
    case 'powershell':
      return lines(pairs, (name, value) => `$Env:${name}="${value}"`);
    case 'windows-cmd':
      return lines(pairs, (name, value) => `set ${name}=${value}`);
    case 'ini': {
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
