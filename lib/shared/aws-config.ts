/**
 * A ready `~/.aws/config` for a person's assignments: one `[sso-session …]` for the Identity Center
 * instance and one `[profile …]` per account and role. Names are readable, stable (derived from
 * account and role names, not from order) and unique. No secret goes in it: the AWS CLI and SDKs
 * sign in with `aws sso login` and fetch credentials themselves.
 */

import { ACCOUNT_ID_PATTERN, isPrintableName, ROLE_NAME_PATTERN } from './aws-names';

export interface AwsConfigInput {
  sessionName: string;
  startUrl: string;
  ssoRegion: string;
  /** Written as `region =` in every profile when set. */
  region?: string;
  /** API endpoints to use instead of AWS's (the demo's emulator), as a `[services …]` section. */
  endpoints?: { sso?: string; ssoOidc?: string; sts?: string };
  /** `labels`: the organisation's labels on the account (`production`), said in each profile's comment. */
  accounts: { accountId: string; accountName: string; roles: string[]; labels?: readonly string[] }[];
}

export function slug(value: string): string {
  return (
    value
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, '-')
      .replace(/^[-.]+|[-.]+$/g, '')
      .slice(0, 48) || 'account'
  );
}

/**
 * What profileNames gives, and so all a `[profile …]` header Gatehouse writes may hold: an account
 * slug (with the account id when two share a name), a dot, a role name. Nothing that could end the
 * header or the line, nothing a shell or the AWS CLI would read as more than a name.
 */
export const CONFIG_PROFILE_NAME_PATTERN = /^[a-z0-9._-]{1,61}\.[\w+=,.@-]{1,64}$/;

/** `payments-prod.AdministratorAccess`; an account name shared by two accounts gets its id added. */
export function profileNames(accounts: AwsConfigInput['accounts']): Map<string, string> {
  const counts = new Map<string, number>();
  for (const account of accounts) counts.set(slug(account.accountName), (counts.get(slug(account.accountName)) ?? 0) + 1);
  const names = new Map<string, string>();
  for (const account of accounts) {
    const base = slug(account.accountName);
    const accountPart = (counts.get(base) ?? 0) > 1 ? `${base}-${account.accountId}` : base;
    for (const role of account.roles) names.set(`${account.accountId}/${role}`, `${accountPart}.${role}`);
  }
  return names;
}

/**
 * Only names in AWS's documented shapes are written: the portal refuses others when Identity Center
 * lists them, and this keeps a line break in a name from ever starting a section of its own.
 */
function writable(accounts: AwsConfigInput['accounts']): AwsConfigInput['accounts'] {
  return accounts
    .filter((account) => ACCOUNT_ID_PATTERN.test(account.accountId) && isPrintableName(account.accountName))
    .map((account) => ({ ...account, roles: account.roles.filter((role) => ROLE_NAME_PATTERN.test(role)) }));
}

/** ` [production]`: the account's labels in its profiles' comments, only when they are plain printable words. */
function labelNote(labels: readonly string[] | undefined): string {
  const shown = (labels ?? []).filter((label) => isPrintableName(label, 32) && !/[[\]]/.test(label));
  return shown.length > 0 ? ` [${shown.join(', ')}]` : '';
}

export function buildAwsConfig(input: AwsConfigInput): string {
  const accounts = writable(input.accounts).sort(
    (a, b) => a.accountName.localeCompare(b.accountName, 'en') || a.accountId.localeCompare(b.accountId),
  );
  const names = profileNames(accounts);
  const endpoints = input.endpoints && (input.endpoints.sso || input.endpoints.ssoOidc || input.endpoints.sts) ? input.endpoints : undefined;
  const servicesName = `${input.sessionName}-endpoints`;
  const out: string[] = [
    `# AWS CLI and SDK configuration for ${input.startUrl}, written by Gatehouse.`,
    `# Sign in with: aws sso login --sso-session ${input.sessionName}`,
    '',
    `[sso-session ${input.sessionName}]`,
    `sso_start_url = ${input.startUrl}`,
    `sso_region = ${input.ssoRegion}`,
    'sso_registration_scopes = sso:account:access',
    '',
  ];
  for (const account of accounts) {
    for (const role of [...account.roles].sort()) {
      out.push(
        `[profile ${names.get(`${account.accountId}/${role}`)}]`,
        `# ${account.accountName} (${account.accountId})${labelNote(account.labels)}`,
        `sso_session = ${input.sessionName}`,
        `sso_account_id = ${account.accountId}`,
        `sso_role_name = ${role}`,
      );
      if (input.region) out.push(`region = ${input.region}`);
      if (endpoints) out.push(`services = ${servicesName}`);
      out.push('');
    }
  }
  if (endpoints) {
    out.push(`[services ${servicesName}]`);
    if (endpoints.ssoOidc) out.push('sso_oidc =', `  endpoint_url = ${endpoints.ssoOidc}`);
    if (endpoints.sso) out.push('sso =', `  endpoint_url = ${endpoints.sso}`);
    if (endpoints.sts) out.push('sts =', `  endpoint_url = ${endpoints.sts}`);
    out.push('');
  }
  return out.join('\n');
}

/**
 * What names an Identity Center instance in its start URL: the directory id where the URL has one
 * (GovCloud's `https://start.us-gov-home.awsapps.com/directory/d-1234567890`, China's
 * `https://start.home.awsapps.cn/directory/d-1234567890`), else the first host label
 * (`d-1234567890` of `https://d-1234567890.awsapps.com/start`).
 */
export function startUrlLabel(startUrl: string): string | undefined {
  try {
    const url = new URL(startUrl);
    const directory = /^\/directory\/([^/]+)/.exec(url.pathname)?.[1];
    return (directory === undefined ? url.hostname.split('.')[0] : decodeURIComponent(directory)) || undefined;
  } catch {
    return undefined;
  }
}

/** The sso-session name for an instance: its start URL's directory id or first host label (`d-1234567890`). */
export function ssoSessionName(startUrl: string): string {
  return slug(startUrlLabel(startUrl) ?? 'gatehouse');
}
