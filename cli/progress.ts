/**
 * How far a listing has come, on one line of stderr that is rewritten in place, for `accounts` and
 * `config`: only on a terminal (piped or in a log, the command says nothing until it is done).
 */
import { formatCount, plural } from '../lib/shared/words';
import type { Output } from './context';
import type { Listing } from './listing';

/** "Listing: 1,200 accounts so far" while accounts arrive, then "roles for 800 of 2,000 accounts loaded". */
export function progressText(listing: Listing): string {
  const accounts = listing.entries.size;
  if (listing.total === null && !listing.done) return accounts === 0 ? 'Listing your accounts…' : `Listing your accounts: ${formatCount(accounts)} so far…`;
  const total = listing.total ?? accounts;
  const loaded = total - listing.pendingRoles;
  return `Listing your accounts: roles for ${formatCount(Math.max(0, loaded))} of ${plural(total, 'account')} loaded…`;
}

/** How often, at most, the line is rewritten. */
const REDRAW_MS = 100;

export interface Progress {
  /** Stops following the listing and erases the line. */
  stop(): void;
}

export function showProgress(listing: Listing, stderr: Output, tty: boolean): Progress {
  if (!tty) return { stop: () => undefined };
  let timer: NodeJS.Timeout | undefined;
  let shown = false;
  const draw = () => {
    timer = undefined;
    stderr.write(`\r\x1b[2K${progressText(listing)}`);
    shown = true;
  };
  draw();
  const unsubscribe = listing.onChange(() => {
    timer ??= setTimeout(draw, REDRAW_MS);
  });
  return {
    stop() {
      unsubscribe();
      clearTimeout(timer);
      if (shown) stderr.write('\r\x1b[2K');
    },
  };
}
