/**
 * Labels an organisation puts on its accounts in the configuration (`production` in red), matched
 * by account id, organizational unit or name pattern, so nobody takes production keys by mistake:
 * shown on the accounts list, the keys dialog, the console button and in the exported profiles. A
 * label may also give its accounts a default region. No zod here: the browser uses it.
 */

export const LABEL_COLORS = ['red', 'amber', 'green', 'blue', 'slate'] as const;
export type LabelColor = (typeof LABEL_COLORS)[number];

export interface AccountLabelRule {
  label: string;
  color: LabelColor;
  /** 12-digit account ids. */
  accounts: readonly string[];
  /** Account name patterns, `*` for any run of characters, case-insensitive, matched against the whole name. */
  names: readonly string[];
  /** Organizational unit ids (`ou-…`): an account directly in one of them. */
  ous: readonly string[];
  /** The default region of these accounts' credentials and consoles. */
  region?: string;
}

export interface AccountLabel {
  label: string;
  color: LabelColor;
}

/** What a rule is matched against: the account's id, its names (Identity Center's and the nickname), its organizational unit when known. */
export interface LabelledAccount {
  accountId: string;
  accountName: string;
  nickname?: string;
  ouId?: string;
}

function nameMatches(pattern: string, name: string): boolean {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`, 'i').test(name);
}

function matches(rule: AccountLabelRule, account: LabelledAccount): boolean {
  if (rule.accounts.includes(account.accountId)) return true;
  if (account.ouId !== undefined && rule.ous.includes(account.ouId)) return true;
  return rule.names.some((pattern) => nameMatches(pattern, account.accountName) || (account.nickname !== undefined && nameMatches(pattern, account.nickname)));
}

/** The labels of an account, in the configuration's order, each once. */
export function labelsOf(rules: readonly AccountLabelRule[], account: LabelledAccount): AccountLabel[] {
  const seen = new Set<string>();
  const labels: AccountLabel[] = [];
  for (const rule of rules) {
    if (!matches(rule, account) || seen.has(rule.label)) continue;
    seen.add(rule.label);
    labels.push({ label: rule.label, color: rule.color });
  }
  return labels;
}

/** The account's default region: the first matching rule's that names one, else the instance's. */
export function accountRegion(rules: readonly AccountLabelRule[], account: LabelledAccount, instanceRegion: string): string {
  return rules.find((rule) => rule.region !== undefined && matches(rule, account))?.region ?? instanceRegion;
}
