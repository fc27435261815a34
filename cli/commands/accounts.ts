/** `gatehouse accounts`: the accounts and roles, as a table or JSON. */
import type { Context } from '../context';
import type { Account } from '../schemas';

export function accountsTable(accounts: Account[]): string {
  const rows = accounts.map((account) => [
    account.accountId,
    account.nickname ? `${account.nickname} (${account.accountName})` : account.accountName,
    account.roles.join(', '),
  ]);
  const header = ['ACCOUNT', 'NAME', 'ROLES'];
  const widths = [0, 1].map((column) => Math.max(header[column]!.length, ...rows.map((row) => row[column]!.length)));
  const line = (row: string[]) => `${row[0]!.padEnd(widths[0]!)}  ${row[1]!.padEnd(widths[1]!)}  ${row[2]}`.trimEnd();
  return `${[header, ...rows].map(line).join('\n')}\n`;
}

export async function accounts(context: Context, options: { json?: boolean }): Promise<void> {
  const target = context.target();
  const listing = await context.listing(context.apiFor(target));
  context.io.stdout.write(options.json ? `${JSON.stringify({ accounts: listing }, null, 2)}\n` : accountsTable(listing));
}
