/**
 * The account and role picker, when a command is not told which: a list of `account / role` that
 * narrows as you type, fuzzy as in fzf (`prdadm` finds "payments-prod / AdministratorAccess"), drawn
 * on stderr so stdout keeps only the command's answer.
 */
import search from '@inquirer/search';
import { Fzf } from 'fzf';

import { CliError } from './errors';
import type { Account } from './schemas';

export interface RoleChoice {
  accountId: string;
  accountName: string;
  roleName: string;
  label: string;
}

/** Every role of the listing as a choice, restricted to one account (by id or name) when it is given. */
export function roleChoices(accounts: Account[], account?: string): RoleChoice[] {
  const choices: RoleChoice[] = [];
  for (const entry of accounts) {
    if (account !== undefined && entry.accountId !== account && entry.accountName !== account && entry.nickname !== account) continue;
    const name = entry.nickname ? `${entry.nickname} (${entry.accountName})` : entry.accountName;
    for (const roleName of entry.roles) {
      choices.push({ accountId: entry.accountId, accountName: entry.accountName, roleName, label: `${name} ${entry.accountId} / ${roleName}` });
    }
  }
  return choices;
}

/** The choices that match `term`, best first; all of them, in listing order, for an empty term. */
export function filterChoices(choices: RoleChoice[], term: string | undefined): RoleChoice[] {
  if (!term || term.trim() === '') return choices;
  const fzf = new Fzf(choices, { selector: (choice: RoleChoice) => choice.label, casing: 'case-insensitive' });
  return fzf.find(term.trim()).map((entry) => entry.item);
}

export async function pickRole(choices: RoleChoice[], output: NodeJS.WriteStream): Promise<RoleChoice> {
  if (choices.length === 0) throw new CliError('There is no role to choose from.');
  try {
    return await search<RoleChoice>(
      {
        message: 'Account / role (type to filter)',
        pageSize: 12,
        source: (term) => filterChoices(choices, term).map((choice) => ({ value: choice, name: choice.label })),
      },
      { output },
    );
  } catch (error) {
    if (error instanceof Error && error.name === 'ExitPromptError') throw new CliError('Cancelled.', 130);
    throw error;
  }
}
