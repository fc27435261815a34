import { PassThrough, Writable } from 'node:stream';

import { describe, expect, it } from 'vitest';

import { Listing } from '../../cli/listing';
import { listingStatus, pickerRoles, pickRole } from '../../cli/picker';
import { until } from '../support/api-session';

const account = (id: string, name: string) => ({ accountId: id, accountName: name, emailAddress: `${name}@example.com` });
const PAYMENTS = account('111111111111', 'payments-prod');
const DEV = account('222222222222', 'payments-dev');
const AUDIT = account('333333333333', 'audit-prod');

/** A terminal for the picker: keys typed into it, and what it drew, escape sequences removed. */
function terminal() {
  const input = new PassThrough();
  let drawn = '';
  const output = new Writable({
    write(chunk: Buffer, _encoding, done) {
      drawn += chunk.toString();
      done();
    },
  });
  const plain = () => drawn.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');
  return {
    input,
    output,
    /** What was drawn since `from` characters of it. */
    screen: (from = 0) => plain().slice(from),
    length: () => plain().length,
    type: (text: string) => input.write(text),
    waitFor: (pattern: RegExp, from = 0) => until(`the picker to show ${pattern}`, () => (pattern.test(plain().slice(from)) ? true : undefined), { timeoutMs: 5_000 }),
  };
}

describe('the picker, as the listing streams in', () => {
  it('opens at once with nothing loaded, says what is still loading, grows as roles arrive, narrows as you type', async () => {
    const listing = new Listing();
    const screen = terminal();
    const picked = pickRole(listing, screen.output, { input: screen.input });

    // Before any event: the question and that the accounts are on their way.
    await screen.waitFor(/Account \/ role \(type to filter\)/);
    await screen.waitFor(/Listing your accounts…/);

    listing.apply({ type: 'start', cached: false, listedAt: '2026-01-01T00:00:00Z' });
    listing.apply({ type: 'accounts', accounts: [PAYMENTS, DEV, AUDIT] });
    listing.apply({ type: 'accounts-complete', total: 3 });
    listing.apply({ type: 'roles', accountId: AUDIT.accountId, roles: [{ roleName: 'Auditor' }] });
    listing.changed();
    await screen.waitFor(/roles still loading for 2 of 3 accounts/);
    await screen.waitFor(/❯ audit-prod 333333333333 \/ Auditor/);

    // Typing narrows to what the page would find; accounts it names whose roles are still to come are counted.
    let from = screen.length();
    screen.type('payments prod admin');
    await screen.waitFor(/1 matching account still to come/, from);
    expect(screen.screen(from)).toContain('No role matches.');

    from = screen.length();
    listing.apply({ type: 'roles', accountId: PAYMENTS.accountId, roles: [{ roleName: 'ReadOnlyAccess' }, { roleName: 'AdministratorAccess' }] });
    listing.apply({ type: 'roles', accountId: DEV.accountId, roles: [{ roleName: 'AdministratorAccess' }] });
    listing.apply({ type: 'done', accounts: 3, roles: 4, failedAccounts: 0 });
    listing.changed();
    await screen.waitFor(/❯ payments-prod 111111111111 \/ AdministratorAccess/, from);
    const shown = screen.screen(from);
    expect(shown).not.toContain('payments-dev');
    expect(shown).not.toContain('ReadOnlyAccess');
    expect(shown).not.toContain('still loading');

    screen.type('\r');
    expect(await picked).toEqual({ accountId: PAYMENTS.accountId, roleName: 'AdministratorAccess' });
  });

  it('moves with the arrow keys, and keeps the chosen row while more roles arrive', async () => {
    const listing = new Listing();
    listing.apply({ type: 'accounts', accounts: [PAYMENTS, DEV, AUDIT] });
    listing.apply({ type: 'accounts-complete', total: 3 });
    listing.apply({ type: 'roles', accountId: DEV.accountId, roles: [{ roleName: 'Developer' }] });
    listing.apply({ type: 'roles', accountId: PAYMENTS.accountId, roles: [{ roleName: 'Admin' }] });
    const screen = terminal();
    const picked = pickRole(listing, screen.output, { input: screen.input });
    await screen.waitFor(/❯ payments-dev 222222222222 \/ Developer/);
    const from = screen.length();
    screen.type('\u001b[B');
    await screen.waitFor(/❯ payments-prod 111111111111 \/ Admin/, from);
    // audit-prod sorts first: it arrives above the chosen row, which stays chosen.
    listing.apply({ type: 'roles', accountId: AUDIT.accountId, roles: [{ roleName: 'Auditor' }] });
    listing.changed();
    await screen.waitFor(/ {2}audit-prod 333333333333 \/ Auditor/, from);
    screen.type('\r');
    expect(await picked).toEqual({ accountId: PAYMENTS.accountId, roleName: 'Admin' });
  });

  it('ends with one line when the listing fails before anything arrived, and when there is nothing to choose', async () => {
    const failing = new Listing();
    const screen = terminal();
    const following = Promise.reject(new (await import('../../cli/errors')).CliError('Your session has ended. Run `gatehouse login`.'));
    await expect(pickRole(failing, screen.output, { input: screen.input, following })).rejects.toThrow('Your session has ended. Run `gatehouse login`.');

    const empty = new Listing();
    empty.apply({ type: 'accounts-complete', total: 0 });
    empty.apply({ type: 'done', accounts: 0, roles: 0, failedAccounts: 0 });
    const other = terminal();
    await expect(pickRole(empty, other.output, { input: other.input })).rejects.toThrow('There is no role to choose from.');
  });

  it('says how far the listing has come', () => {
    const listing = new Listing();
    expect(listingStatus(listing, '')).toBe('Listing your accounts…');
    listing.apply({ type: 'accounts', accounts: Array.from({ length: 2_000 }, (_, i) => account(String(100_000_000_000 + i), `acct-${i}`)) });
    expect(listingStatus(listing, '')).toBe('Listing your accounts: 2,000 so far, roles still loading');
    listing.apply({ type: 'accounts-complete', total: 2_000 });
    for (let i = 0; i < 766; i += 1) listing.apply({ type: 'roles', accountId: String(100_000_000_000 + i), roles: [{ roleName: 'Admin' }] });
    expect(listingStatus(listing, '')).toBe('roles still loading for 1,234 of 2,000 accounts');
    expect(pickerRoles(listing, 'acct-1999').length).toBe(0);
    expect(listingStatus(listing, 'acct-1999')).toBe('roles still loading for 1,234 of 2,000 accounts; 1 matching account still to come');
  });
});
