import type { Page } from '@playwright/test';

import type { Directory, DirectoryAccount } from '../../emulator/types';
import { emulatorAdmin } from '../../scripts/support/emulator-admin';
import { expect, test } from './fixtures';
import { allAccounts, forgetSavedListing, searchBox, signInAs, signOut } from './helpers';

/** The accounts page, read as a person reads it. */

interface PersonAccount extends DirectoryAccount {
  roles: string[];
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/** A user's accounts with their roles, in the page's order (by name). */
function accountsOf(directory: Directory, userName: string): PersonAccount[] {
  const roles = new Map<string, string[]>();
  for (const assignment of directory.assignments) {
    if (assignment.userName !== userName) continue;
    roles.set(assignment.accountId, [...(roles.get(assignment.accountId) ?? []), assignment.roleName]);
  }
  return directory.accounts
    .filter((account) => roles.has(account.accountId))
    .map((account) => ({ ...account, roles: (roles.get(account.accountId) ?? []).sort(collator.compare) }))
    .sort((a, b) => collator.compare(a.accountName, b.accountName) || a.accountId.localeCompare(b.accountId));
}

/** What the search box matches: every word in the name, id, email or a role name. */
function matching(accounts: PersonAccount[], query: string): PersonAccount[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  return accounts.filter((account) =>
    words.every(
      (word) =>
        `${account.accountName}\n${account.accountId}\n${account.emailAddress}`.toLowerCase().includes(word) ||
        account.roles.some((role) => role.toLowerCase().includes(word)),
    ),
  );
}

/** The rows of the full list (not the role chips inside them). */
const allRows = (page: Page) => allAccounts(page).locator(':scope > li');
const favorites = (page: Page) => page.getByRole('region', { name: 'Favorites' });

/** Waits until the listing is complete: no progress bar, and the count of every account. */
async function waitForListing(page: Page, count: number) {
  await expect(page.getByRole('progressbar')).toHaveCount(0, { timeout: 30_000 });
  await expect(page.getByText(`${count.toLocaleString('en-US')} account${count === 1 ? '' : 's'}`, { exact: true })).toBeVisible();
}

test.describe('the accounts page', () => {
  test('operator sees every account, and search by name, id and role narrows the list and highlights', async ({ page, portal, emulator }) => {
    const accounts = accountsOf(emulator.ctx.directory, 'operator');
    expect(accounts).toHaveLength(120);
    await signInAs(page, portal, 'operator');
    await expect(page.getByRole('heading', { level: 1, name: 'Accounts' })).toBeVisible();
    await waitForListing(page, accounts.length);

    // The list starts with the first account by name, with its id, email and roles.
    const first = accounts[0]!;
    await expect(allRows(page).first()).toContainText(first.accountName);
    await expect(allRows(page).first()).toContainText(first.accountId);
    await expect(allRows(page).first()).toContainText(first.emailAddress);
    for (const role of first.roles.slice(0, 6)) await expect(allRows(page).first().getByRole('list', { name: 'Roles' })).toContainText(role);

    // By account name.
    const byName = accounts.find((account) => account.accountName === 'payments-prod') ?? accounts[17]!;
    await searchBox(page).pressSequentially(byName.accountName);
    const nameMatches = matching(accounts, byName.accountName);
    await expect(page.getByText(`${nameMatches.length} of 120 accounts`, { exact: true })).toBeVisible();
    await expect(allRows(page)).toHaveCount(nameMatches.length);
    const nameRow = allRows(page).filter({ has: page.getByRole('button', { name: byName.accountName, exact: true }) });
    await expect(nameRow.locator('mark').first()).toHaveText(byName.accountName);

    // By the 12-digit id (a person may paste it with dashes, as the AWS console shows it).
    const byId = accounts[42]!;
    const dashed = `${byId.accountId.slice(0, 4)}-${byId.accountId.slice(4, 8)}-${byId.accountId.slice(8)}`;
    await searchBox(page).fill(dashed);
    await expect(page.getByText('1 of 120 accounts', { exact: true })).toBeVisible();
    await expect(allRows(page)).toHaveCount(1);
    await expect(allRows(page).first()).toContainText(byId.accountName);
    await expect(allRows(page).first().locator('mark')).toHaveText(byId.accountId);

    // By role name: every account that has it, with the role's chip highlighted.
    await searchBox(page).fill('');
    await searchBox(page).pressSequentially('DatabaseAdmin');
    const roleMatches = matching(accounts, 'DatabaseAdmin');
    expect(roleMatches.length).toBeGreaterThan(1);
    await expect(page.getByText(`${roleMatches.length} of 120 accounts`, { exact: true })).toBeVisible();
    const firstRoleRow = allRows(page).first();
    await expect(firstRoleRow).toContainText(roleMatches[0]!.accountName);
    await expect(firstRoleRow.getByRole('list', { name: 'Roles' }).locator('mark')).toHaveText('DatabaseAdmin');

    // Nothing matches: said so, and the search can be cleared.
    await searchBox(page).fill('no-such-account-anywhere');
    await expect(page.getByText('Nothing matches “no-such-account-anywhere”.')).toBeVisible();
    await page.getByRole('button', { name: 'Clear the search' }).click();
    await expect(page.getByText('120 accounts', { exact: true })).toBeVisible();
  });

  test('"/" focuses the search, and the arrow keys, Enter and Escape work through the results', async ({ page, portal, emulator }) => {
    const accounts = accountsOf(emulator.ctx.directory, 'operator');
    await signInAs(page, portal, 'operator');
    await waitForListing(page, accounts.length);

    await page.locator('body').press('/');
    await expect(searchBox(page)).toBeFocused();
    await page.keyboard.type('staging');
    const staging = matching(accounts, 'staging');
    await expect(page.getByText(`${staging.length} of 120 accounts`, { exact: true })).toBeVisible();
    const [first, second] = [staging[0]!, staging[1]!];
    const toggle = (name: string) => allAccounts(page).getByRole('button', { name, exact: true });

    await page.keyboard.press('ArrowDown');
    await expect(toggle(first.accountName)).toBeFocused();
    await page.keyboard.press('ArrowDown');
    await expect(toggle(second.accountName)).toBeFocused();

    // Enter opens the account: its roles are listed, and the arrow keys go through them.
    await page.keyboard.press('Enter');
    await expect(toggle(second.accountName)).toHaveAttribute('aria-expanded', 'true');
    const roles = allAccounts(page).getByRole('list', { name: `Roles in ${second.accountName}` });
    await expect(roles.getByRole('listitem')).toHaveText(second.roles);
    await page.keyboard.press('ArrowDown');
    await expect(roles.getByRole('listitem').first()).toBeFocused();
    await page.keyboard.press('ArrowLeft');
    await expect(toggle(second.accountName)).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(toggle(second.accountName)).toHaveAttribute('aria-expanded', 'false');
    await expect(roles).toHaveCount(0);

    // Up past the first result returns to the search box; Escape clears it.
    await page.keyboard.press('ArrowUp');
    await expect(toggle(first.accountName)).toBeFocused();
    await page.keyboard.press('ArrowUp');
    await expect(searchBox(page)).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(searchBox(page)).toHaveValue('');
    await expect(page.getByText('120 accounts', { exact: true })).toBeVisible();

    // End reaches the last of the 120 accounts (the list only renders rows near the viewport).
    await page.keyboard.press('ArrowDown');
    await expect(toggle(accounts[0]!.accountName)).toBeFocused();
    await page.keyboard.press('End');
    const last = toggle(accounts[accounts.length - 1]!.accountName);
    await expect(last).toBeFocused();
    await expect(last).toBeInViewport();
    await page.keyboard.press('Home');
    await expect(toggle(accounts[0]!.accountName)).toBeFocused();

    // Typing in the results goes on in the search box; Escape from the results goes back to it.
    await page.keyboard.type('qa');
    await expect(searchBox(page)).toBeFocused();
    await expect(searchBox(page)).toHaveValue('qa');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Escape');
    await expect(searchBox(page)).toBeFocused();
  });

  test('a starred role comes first, and is still first after signing out and in again', async ({ page, portal, emulator }) => {
    const accounts = accountsOf(emulator.ctx.directory, 'operator');
    // The last account by name, so first place can only come from the star.
    const account = accounts[accounts.length - 1]!;
    const role = account.roles[account.roles.length - 1]!;
    const star = `Star ${role} in ${account.accountName}`;

    await signInAs(page, portal, 'operator');
    await waitForListing(page, accounts.length);
    await expect(favorites(page)).toHaveCount(0);

    await searchBox(page).fill(account.accountId);
    await allAccounts(page).getByRole('button', { name: account.accountName, exact: true }).click();
    await allAccounts(page).getByRole('button', { name: star }).click();
    await expect(allAccounts(page).getByRole('button', { name: star })).toHaveAttribute('aria-pressed', 'true');
    await searchBox(page).fill('');

    await expect(favorites(page).getByRole('listitem').first()).toHaveAccessibleName(`${role} in ${account.accountName}`);
    // First in the keyboard's path too.
    await searchBox(page).press('ArrowDown');
    await expect(favorites(page).getByRole('listitem').first()).toBeFocused();

    // Favorites are kept on the server, per person: a new session finds them.
    await signOut(page);
    await signInAs(page, portal, 'operator');
    const favorite = favorites(page).getByRole('listitem').first();
    await expect(favorite).toHaveAccessibleName(`${role} in ${account.accountName}`);
    await expect(favorite.getByRole('button', { name: star })).toHaveAttribute('aria-pressed', 'true');

    // Unstarring takes it out of Favorites again (and leaves the person as they were).
    await waitForListing(page, accounts.length);
    await favorite.getByRole('button', { name: star }).click();
    await expect(favorites(page)).toHaveCount(0);
  });

  test('an account can be starred from the list and is shown under Favorites', async ({ page, portal, emulator }) => {
    const accounts = accountsOf(emulator.ctx.directory, 'operator');
    const account = accounts[60]!;
    await signInAs(page, portal, 'operator');
    await waitForListing(page, accounts.length);
    await searchBox(page).fill(account.accountName);
    await allAccounts(page).getByRole('button', { name: `Star ${account.accountName}`, exact: true }).click();
    await searchBox(page).fill('');
    await expect(favorites(page).getByRole('button', { name: account.accountName, exact: true })).toBeVisible();
    await favorites(page).getByRole('button', { name: `Star ${account.accountName}`, exact: true }).click();
    await expect(favorites(page)).toHaveCount(0);
  });

  test('roles used lately are listed under Recent, newest first', async ({ page, portal, emulator }) => {
    const accounts = accountsOf(emulator.ctx.directory, 'operator');
    const used = [accounts[5]!, accounts[9]!].map((account) => ({ account, roleName: account.roles[0]! }));
    await signInAs(page, portal, 'operator');
    await waitForListing(page, accounts.length);
    const recent = page.getByRole('region', { name: 'Recent' });
    await expect(recent).toHaveCount(0);

    // Taking credentials marks a role as used. (The page's own buttons for it come with the credentials
    // feature; until then the page's fetch stands in for them.)
    for (const { account, roleName } of used) {
      const status = await page.evaluate(
        async (body) =>
          (await fetch('/api/credentials', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })).status,
        { accountId: account.accountId, roleName },
      );
      expect(status).toBe(200);
    }
    await page.reload();
    await expect(recent.getByRole('listitem')).toHaveCount(2);
    await expect(recent.getByRole('listitem').first()).toHaveAccessibleName(`${used[1]!.roleName} in ${used[1]!.account.accountName}`);
    await expect(recent.getByRole('listitem').nth(1)).toHaveAccessibleName(`${used[0]!.roleName} in ${used[0]!.account.accountName}`);
    // A search narrows Recent too.
    await searchBox(page).fill(used[0]!.account.accountId);
    await expect(recent.getByRole('listitem')).toHaveCount(1);
  });

  test("the organisation's labels are on the list: production in red, staging in amber, and the Console link says so", async ({ page, portal, emulator }) => {
    const accounts = accountsOf(emulator.ctx.directory, 'operator');
    const prod = accounts.find((account) => account.accountName.endsWith('-prod'))!;
    const staging = accounts.find((account) => account.accountName.endsWith('-staging'))!;
    const dev = accounts.find((account) => account.accountName.endsWith('-dev'))!;
    await signInAs(page, portal, 'operator');
    await waitForListing(page, accounts.length);
    const row = (account: PersonAccount) => allRows(page).filter({ has: page.getByRole('button', { name: account.accountName, exact: true }) });
    const find = async (account: PersonAccount) => {
      await searchBox(page).fill(account.accountId);
      await expect(row(account)).toHaveCount(1);
    };

    // A coloured chip beside the name; the account's own button keeps the account's name.
    await find(prod);
    await expect(row(prod).getByText('production', { exact: true })).toHaveAttribute('data-label-color', 'red');
    await find(staging);
    await expect(row(staging).getByText('staging', { exact: true })).toHaveAttribute('data-label-color', 'amber');
    await find(dev);
    await expect(row(dev).locator('[data-label-color]')).toHaveCount(0);

    await find(prod);

    await row(prod).getByRole('button', { name: prod.accountName, exact: true }).click();
    const roleName = prod.roles[0]!;
    await expect(row(prod).getByRole('link', { name: `Console for ${roleName} in ${prod.accountName} (production) (opens in a new tab)` })).toBeVisible();
  });

  test('newcomer, who has no accounts, is told so and whom to ask', async ({ page, portal }) => {
    await signInAs(page, portal, 'newcomer');
    await expect(page.getByText('No AWS accounts are assigned to you yet.')).toBeVisible({ timeout: 20_000 });
    await expect(page.getByText(/Ask your administrator/)).toBeVisible();
    await expect(page.getByRole('heading', { name: 'All accounts' })).toHaveCount(0);
    await expect(page.getByRole('progressbar')).toHaveCount(0);
  });

  test("one account's roles failing shows on that account only, and Retry loads them", async ({ page, portal, emulator }) => {
    const accounts = accountsOf(emulator.ctx.directory, 'operator');
    const broken = accounts[30]!;
    const other = accounts[31]!;
    // A first listing, with nothing kept from earlier visits (whose roles would be kept for a failing account).
    await signInAs(page, portal, 'operator');
    await waitForListing(page, accounts.length);
    await forgetSavedListing(page, portal);
    // Every Identity Center call about this one account fails (a 500), whatever the portal retries.
    await emulatorAdmin(emulator).faults({ error: 1000, accountId: broken.accountId });
    try {
      await page.goto(`${portal.url}/accounts`);
      await waitForListing(page, accounts.length);
      await expect(page.getByText('The roles of 1 account could not be loaded. The other accounts are complete.')).toBeVisible();

      // The other accounts have their roles.
      await searchBox(page).fill(other.accountName);
      await expect(allRows(page).first().getByRole('list', { name: 'Roles' })).toContainText(other.roles[0]!);

      // "Show these accounts" lists the failed one, with the error and a Retry button.
      await searchBox(page).fill('');
      await page.getByRole('button', { name: 'Show these accounts' }).click();
      await expect(page.getByText(`1 of 120 accounts`, { exact: true })).toBeVisible();
      const row = allRows(page).first();
      await expect(row).toContainText(broken.accountName);
      await expect(row).toContainText('Roles could not be loaded.');

      // Identity Center recovers; Retry fetches the roles of that account.
      await emulatorAdmin(emulator).faults({ error: 0, accountId: null });
      await row.getByRole('button', { name: `Retry loading the roles of ${broken.accountName}` }).click();
      await expect(row.getByRole('list', { name: 'Roles' })).toContainText(broken.roles[0]!);
      await expect(row).not.toContainText('Roles could not be loaded.');
      await page.getByRole('button', { name: 'Show all accounts' }).click();
      await expect(page.getByText('120 accounts', { exact: true })).toBeVisible();
      await expect(page.getByText(/could not be loaded/)).toHaveCount(0);
    } finally {
      await emulatorAdmin(emulator).faults({ error: 0, accountId: null });
    }
  });

  test('a listing that fails says so, and Try again lists the accounts', async ({ page, portal, emulator }) => {
    const accounts = accountsOf(emulator.ctx.directory, 'operator');
    // Identity Center fails every call until further notice: ListAccounts gives up after its retries.
    await emulatorAdmin(emulator).faults({ error: 1000, accountId: null });
    try {
      await signInAs(page, portal, 'operator');
      const alert = page.getByRole('alert').filter({ hasText: 'Your accounts could not be listed.' });
      await expect(alert).toBeVisible({ timeout: 30_000 });
      await expect(page.getByText('No AWS accounts are assigned to you yet.')).toHaveCount(0);

      await emulatorAdmin(emulator).faults({ error: 0 });
      await alert.getByRole('button', { name: 'Try again' }).click();
      await waitForListing(page, accounts.length);
      await expect(alert).toHaveCount(0);
    } finally {
      await emulatorAdmin(emulator).faults({ error: 0, accountId: null });
    }
  });

  test('Refresh lists again and says what changed', async ({ page, portal, emulator }) => {
    const original = emulator.ctx.directory;
    const accounts = accountsOf(original, 'operator');
    await signInAs(page, portal, 'operator');
    await waitForListing(page, accounts.length);

    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Refreshed.' })).toHaveText('Refreshed. No changes.', { timeout: 30_000 });

    // An administrator gives operator one more role and takes one away.
    const gains = accounts.find((account) => !account.roles.includes('Billing'))!;
    const loses = accounts.find((account) => account.roles.length > 1 && account !== gains)!;
    const lost = loses.roles[0]!;
    const changed: Directory = {
      ...original,
      assignments: [
        ...original.assignments.filter((a) => !(a.userName === 'operator' && a.accountId === loses.accountId && a.roleName === lost)),
        { userName: 'operator', accountId: gains.accountId, roleName: 'Billing' },
      ],
    };
    await emulatorAdmin(emulator).replaceDirectory(changed);
    try {
      await page.getByRole('button', { name: 'Refresh' }).click();
      await expect(page.getByRole('status').filter({ hasText: 'Refreshed.' })).toHaveText('Refreshed. 1 role added, 1 role removed.', {
        timeout: 30_000,
      });
      await page.getByText('Show what changed').click();
      await expect(page.getByText(`Role added: Billing in ${gains.accountName} (${gains.accountId})`)).toBeVisible();
      await expect(page.getByText(`Role removed: ${lost} in ${loses.accountName} (${loses.accountId})`)).toBeVisible();

      await searchBox(page).fill(gains.accountId);
      await expect(allRows(page).first().getByRole('list', { name: 'Roles' })).toContainText('Billing');
    } finally {
      await emulatorAdmin(emulator).replaceDirectory(original);
    }
  });
});
