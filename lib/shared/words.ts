import type { ListingDiff } from '@/lib/shared/accounts';

/** The words the accounts page uses for counts and for what a refresh changed. Pure functions. */

const numberFormat = new Intl.NumberFormat('en-US');

export const formatCount = (count: number): string => numberFormat.format(count);

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${formatCount(count)} ${count === 1 ? one : many}`;
}

export function isEmptyDiff(diff: ListingDiff): boolean {
  return diff.accountsAdded.length + diff.accountsRemoved.length + diff.rolesAdded.length + diff.rolesRemoved.length === 0;
}

/** "2 accounts added, 1 role removed", or "No changes". */
export function describeDiff(diff: ListingDiff): string {
  const parts = [
    diff.accountsAdded.length ? `${plural(diff.accountsAdded.length, 'account')} added` : '',
    diff.accountsRemoved.length ? `${plural(diff.accountsRemoved.length, 'account')} removed` : '',
    diff.rolesAdded.length ? `${plural(diff.rolesAdded.length, 'role')} added` : '',
    diff.rolesRemoved.length ? `${plural(diff.rolesRemoved.length, 'role')} removed` : '',
  ].filter(Boolean);
  return parts.length === 0 ? 'No changes' : parts.join(', ');
}
