/**
 * The account and role picker, when a command is not told which: a list of `account id / role` that
 * opens at once with what the listing has so far, says how much is still loading, grows as roles
 * arrive, and narrows as you type, by the accounts page's own search (lib/shared/search: the same
 * words, the same typo tolerance, the same order). Drawn on stderr, so stdout keeps only the answer.
 */
import { createPrompt, isDownKey, isEnterKey, isUpKey, makeTheme, useEffect, useKeypress, useMemo, usePagination, usePrefix, useState } from '@inquirer/core';

import { filterAccounts, findRoles, type FoundRole, parseQuery } from '../lib/shared/search';
import { formatCount, plural } from '../lib/shared/words';
import { CliError } from './errors';
import type { Listing, ListingEntry } from './listing';

export const PICKER_MESSAGE = 'Account / role (type to filter)';

/** Which roles may be chosen at all (from --account or --role); every one without it. */
export type RoleFilter = (entry: ListingEntry, roleName: string) => boolean;

export interface PickerConfig {
  listing: Listing;
  filter?: RoleFilter;
  pageSize?: number;
}

export function accountLabel(entry: ListingEntry): string {
  const { account } = entry;
  return account.nickname ? `${account.nickname} (${account.accountName})` : account.accountName;
}

export function roleLabel(entry: ListingEntry, roleName: string): string {
  return `${accountLabel(entry)} ${entry.account.accountId} / ${roleName}`;
}

/** The roles the picker lists for `term`: the page's search over what the listing has so far. */
export function pickerRoles(listing: Listing, term: string, filter?: RoleFilter): FoundRole[] {
  const found = findRoles(listing.order, listing.entries, parseQuery(term));
  if (!filter) return found;
  return found.filter((role) => {
    const entry = listing.entries.get(role.accountId);
    return entry !== undefined && filter(entry, role.roleName);
  });
}

/** The line under the question: how much of the listing is still to come, or why it stopped. */
export function listingStatus(listing: Listing, term: string): string | undefined {
  if (listing.error) return `The listing stopped: ${listing.error} Showing what arrived.`;
  const pending = listing.pendingRoles;
  let line: string | undefined;
  if (listing.total === null && !listing.done) {
    line = listing.entries.size === 0 ? 'Listing your accounts…' : `Listing your accounts: ${formatCount(listing.entries.size)} so far, roles still loading`;
  } else if (pending > 0) {
    line = `roles still loading for ${formatCount(pending)} of ${plural(listing.total ?? listing.entries.size, 'account')}`;
  } else if (!listing.done) {
    line = 'checking for changes…';
  }
  const tokens = parseQuery(term);
  if (tokens.length > 0 && pending > 0) {
    // Accounts the query names whose roles are not here yet: the list may still grow.
    const waiting = filterAccounts(listing.order, listing.entries, tokens).filter((id) => {
      const entry = listing.entries.get(id);
      return entry !== undefined && entry.roles === null && entry.rolesError === null;
    }).length;
    if (waiting > 0) line = `${line}; ${plural(waiting, 'matching account')} still to come`;
  }
  const failed = listing.failedRoles;
  if (failed > 0) line = `${line ? `${line}; ` : ''}the roles of ${plural(failed, 'account')} could not be loaded`;
  return line;
}

/** How often, at most, the list is drawn again while roles arrive. */
const REDRAW_MS = 80;

const prompt = createPrompt<FoundRole | undefined, PickerConfig>((config, done) => {
  const { listing, filter, pageSize = 12 } = config;
  const theme = makeTheme({});
  const [status, setStatus] = useState<'idle' | 'done'>('idle');
  const [term, setTerm] = useState('');
  const [version, setVersion] = useState(0);
  const [activeKey, setActiveKey] = useState<string | undefined>(undefined);
  const prefix = usePrefix({ status, theme });

  useEffect(() => {
    let timer: NodeJS.Timeout | undefined;
    let drawn = 0;
    const unsubscribe = listing.onChange(() => {
      if (timer) return;
      timer = setTimeout(() => {
        timer = undefined;
        drawn += 1;
        setVersion(drawn);
      }, REDRAW_MS);
    });
    return () => {
      unsubscribe();
      clearTimeout(timer);
    };
  }, []);

  // `version` stands for the listing, which changes in place.
  const results = useMemo(() => pickerRoles(listing, term, filter), [version, term]);
  const keyOf = (role: FoundRole) => `${role.accountId}/${role.roleName}`;
  const found = activeKey === undefined ? -1 : results.findIndex((role) => keyOf(role) === activeKey);
  const active = found >= 0 ? found : 0;
  const selected = results[active];

  // Nothing to choose from, and nothing more to come.
  useEffect(() => {
    if (results.length === 0 && term === '' && (listing.done || listing.error !== null)) {
      setStatus('done');
      done(undefined);
    }
  }, [results.length, term, version]);

  useKeypress((key, rl) => {
    if (isEnterKey(key)) {
      if (selected) {
        setStatus('done');
        done(selected);
      } else {
        rl.write(term);
      }
    } else if (isUpKey(key) || isDownKey(key)) {
      rl.clearLine(0);
      rl.write(term);
      if (results.length === 0) return;
      const next = Math.min(results.length - 1, Math.max(0, active + (isUpKey(key) ? -1 : 1)));
      const role = results[next];
      if (role) setActiveKey(keyOf(role));
    } else if (rl.line !== term) {
      setTerm(rl.line);
      setActiveKey(undefined);
    }
  });

  const page = usePagination({
    items: results,
    active,
    pageSize,
    loop: false,
    renderItem: ({ item, isActive }) => {
      const entry = listing.entries.get(item.accountId);
      const label = entry ? roleLabel(entry, item.roleName) : `${item.accountId} / ${item.roleName}`;
      return isActive ? theme.style.highlight(`❯ ${label}`) : `  ${label}`;
    },
  });
  const message = theme.style.message(PICKER_MESSAGE, status);
  if (status === 'done') {
    const entry = selected ? listing.entries.get(selected.accountId) : undefined;
    return [prefix, message, selected && entry ? theme.style.answer(roleLabel(entry, selected.roleName)) : ''].filter(Boolean).join(' ');
  }
  const statusLine = listingStatus(listing, term);
  const empty = term === '' ? 'No role yet.' : 'No role matches.';
  const body = [
    statusLine ? theme.style.help(statusLine) : '',
    results.length > 0 ? page : theme.style.help(empty),
    theme.style.help('↑↓ move • type to filter • ⏎ choose • Ctrl-C cancels'),
  ];
  return [`${prefix} ${message} ${term}`, body.filter(Boolean).join('\n')];
});

/**
 * Lets the person choose a role in the listing as it streams in; `following` is the listing's read,
 * whose failure ends the picker only when nothing arrived to choose from.
 */
export async function pickRole(
  listing: Listing,
  output: NodeJS.WritableStream,
  options: { filter?: RoleFilter; input?: NodeJS.ReadableStream; following?: Promise<unknown> } = {},
): Promise<FoundRole> {
  const controller = new AbortController();
  let streamFailure: unknown;
  void options.following?.catch((error: unknown) => {
    if (listing.entries.size === 0) {
      streamFailure = error;
      controller.abort();
    }
  });
  let picked: FoundRole | undefined;
  try {
    picked = await prompt({ listing, filter: options.filter }, { output, input: options.input, signal: controller.signal });
  } catch (error) {
    if (streamFailure instanceof CliError) throw streamFailure;
    if (error instanceof Error && error.name === 'ExitPromptError') throw new CliError('Cancelled.', 130);
    if (error instanceof Error && error.name === 'AbortPromptError') throw new CliError('The listing could not be read.');
    throw error;
  }
  if (!picked) throw new CliError(listing.error ? `There is no role to choose from: ${listing.error}` : 'There is no role to choose from.');
  return picked;
}
