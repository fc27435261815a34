/** `gatehouse accounts`: the accounts and roles, as a table or JSON, read from the listing as it streams in. */
import type { Context, Io } from '../context';
import { CliError } from '../errors';
import { followListing, Listing } from '../listing';
import type { PortalApi } from '../portal';
import { showProgress } from '../progress';
import { plural } from '../../lib/shared/words';

export interface ListedRoles {
  accountId: string;
  accountName: string;
  emailAddress: string;
  nickname?: string;
  roles: string[];
}

export function accountsTable(accounts: ListedRoles[]): string {
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

/**
 * The whole listing, read to its end with progress on a terminal; refused when it did not finish
 * (a partial listing would read as the truth). What the portal listed against its own rules is left
 * out and counted on stderr.
 */
export async function completeListing(api: PortalApi, io: Io): Promise<Listing> {
  const listing = new Listing();
  const progress = showProgress(listing, io.stderr, io.stderrIsTty === true);
  try {
    await followListing(api, listing);
  } finally {
    progress.stop();
  }
  if (listing.error) throw new CliError(`The listing did not finish: ${listing.error}`);
  if (listing.refused > 0) {
    io.stderr.write(`Left out ${plural(listing.refused, 'account or role', 'accounts or roles')} the portal listed in a form AWS does not allow.\n`);
  }
  return listing;
}

export function listedRoles(listing: Listing): ListedRoles[] {
  return listing.order.flatMap((id) => {
    const entry = listing.entries.get(id);
    return entry ? [{ ...entry.account, roles: [...(entry.roles ?? [])] }] : [];
  });
}

export async function accounts(context: Context, options: { json?: boolean }): Promise<void> {
  const target = context.target();
  const listing = await completeListing(context.apiFor(target), context.io);
  const listed = listedRoles(listing);
  context.io.stdout.write(options.json ? `${JSON.stringify({ accounts: listed }, null, 2)}\n` : accountsTable(listed));
  const failed = listing.failedRoles;
  if (failed > 0) context.io.stderr.write(`The roles of ${plural(failed, 'account')} could not be loaded just now; run this again to retry.\n`);
}
