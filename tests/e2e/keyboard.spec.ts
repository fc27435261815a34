import type { Page } from '@playwright/test';

import { generateOrganisation } from '../../emulator/directory';
import type { Directory } from '../../emulator/types';
import { accountsWithRoles } from '../../scripts/support/organisations';
import { expect, test } from './fixtures';
import { allAccounts, searchBox, signInAs } from './helpers';
import { type Organisation, startOrganisation } from './organisation';

/** The accounts page by keyboard alone: keys on a focused role, the help, and search naming an account and a role. */

const status = (page: Page, text: string) => page.getByRole('status').filter({ hasText: text });
const roleRow = (page: Page, accountName: string, roleName: string) =>
  allAccounts(page).getByRole('list', { name: `Roles in ${accountName}` }).getByRole('listitem').filter({ hasText: roleName });

test.beforeEach(async ({ context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
});

test.describe('the keyboard on the accounts page', () => {
  test('on a focused role, Enter opens its keys, c copies its shell variables, o opens its console, s stars it, ? lists the keys', async ({ page, portal, emulator, context }) => {
    const account = accountsWithRoles(emulator.ctx.directory, 'operator').find((candidate) => candidate.accountName === 'payments-prod')!;
    const roleName = account.roles[0]!;
    await signInAs(page, portal, 'operator');
    await expect(page.getByRole('progressbar')).toHaveCount(0, { timeout: 45_000 });

    await page.locator('body').press('/');
    // Letters typed in the search box are text, not commands: c, o, s and ? among them.
    await page.keyboard.type('costs?');
    await expect(searchBox(page)).toHaveValue('costs?');
    await expect(page.getByRole('dialog')).toHaveCount(0);
    await page.keyboard.press('Escape');
    await page.keyboard.type(account.accountId);
    // As a person does, wait to see the one result before moving to it.
    await expect(allAccounts(page).locator(':scope > li')).toHaveCount(1);
    // Down Arrow enters the results; roles used earlier (Recent) may come first, so End goes to the last
    // result: the account in All accounts.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('End');
    await expect(allAccounts(page).getByRole('button', { name: account.accountName, exact: true })).toBeFocused();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    const row = roleRow(page, account.accountName, roleName);
    await expect(row).toBeFocused();

    // Enter: the keys dialog, with focus inside; Escape: back on the role.
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: `Access keys for ${roleName}` });
    await expect(dialog.getByRole('timer')).toBeVisible();
    expect(await dialog.evaluate((element) => element.contains(document.activeElement))).toBe(true);
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);
    await expect(row).toBeFocused();

    // c: fresh access keys as shell variables on the clipboard, and said so.
    await page.keyboard.press('c');
    await expect(status(page, `Copied shell variables for ${roleName} in ${account.accountName}`)).toBeVisible();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toMatch(/^export AWS_ACCESS_KEY_ID=ASIA[A-Z0-9]{16}\nexport AWS_SECRET_ACCESS_KEY=\S+\nexport AWS_SESSION_TOKEN=\S+\n/);
    await expect(row).toBeFocused();

    // o: the console as the role, in a new tab.
    const [consoleTab] = await Promise.all([context.waitForEvent('page'), page.keyboard.press('o')]);
    await consoleTab.waitForLoadState();
    await expect(consoleTab.locator('dl')).toContainText(`Role ${roleName}`);
    await consoleTab.close();
    await expect(status(page, `Opened the console for ${roleName} in ${account.accountName}`)).toBeAttached();

    // s: starred (it joins Favorites), and s again: unstarred.
    await row.focus();
    await page.keyboard.press('s');
    await expect(status(page, `Starred ${roleName} in ${account.accountName}`)).toBeVisible();
    const favorites = page.getByRole('region', { name: 'Favorites' });
    await expect(favorites.getByRole('listitem', { name: `${roleName} in ${account.accountName}` })).toBeVisible();
    await row.focus();
    await page.keyboard.press('s');
    await expect(status(page, `Unstarred ${roleName} in ${account.accountName}`)).toBeVisible();
    await expect(favorites).toHaveCount(0);

    // ?: the keys, in a dialog that Escape closes.
    await row.focus();
    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await expect(help).toContainText('copy its shell variables');
    await expect(help).toContainText('open its console');
    await expect(help).toContainText('star or unstar');
    await page.keyboard.press('Escape');
    await expect(help).toHaveCount(0);
    await expect(row).toBeFocused();
  });

  test('a search naming an account and a role opens the account, marks the role, and Enter opens its keys', async ({ page, portal }) => {
    await signInAs(page, portal, 'operator');
    await expect(page.getByRole('progressbar')).toHaveCount(0, { timeout: 45_000 });
    await page.locator('body').press('/');
    await page.keyboard.type('payments prod admin');
    await expect(page.getByText('1 of 120 accounts', { exact: true })).toBeVisible();
    await expect(allAccounts(page).getByRole('button', { name: 'payments-prod', exact: true })).toHaveAttribute('aria-expanded', 'true');
    const row = roleRow(page, 'payments-prod', 'SystemAdministrator');
    await expect(row).toContainText('Enter in the search opens its keys');
    await expect(searchBox(page)).toBeFocused();

    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Access keys for SystemAdministrator' });
    await expect(dialog).toContainText('in payments-prod');
    await expect(dialog.getByRole('timer')).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(row).toBeFocused();
  });

  test('search tolerates small typos, and a typo’d account and role still find the role', async ({ page, portal }) => {
    await signInAs(page, portal, 'developer');
    await expect(page.getByRole('progressbar')).toHaveCount(0, { timeout: 45_000 });
    await page.locator('body').press('/');
    await page.keyboard.type('anlytics');
    await expect(page.getByText('2 of 4 accounts', { exact: true })).toBeVisible();
    const rows = allAccounts(page).locator(':scope > li');
    await expect(rows).toHaveCount(2);
    await expect(rows.nth(0)).toContainText('analytics-dev');
    await expect(rows.nth(1)).toContainText('analytics-staging');

    // analytics-dev is the account named (its name has "dev"), DeveloperAccess the role ("devloper").
    await page.keyboard.type(' dev devloper');
    await expect(rows.nth(0)).toContainText('analytics-dev');
    await expect(roleRow(page, 'analytics-dev', 'DeveloperAccess')).toContainText('Enter in the search opens its keys');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('dialog', { name: 'Access keys for DeveloperAccess' })).toContainText('in analytics-dev');
  });

  test('the sticky search bar is opaque over the list scrolling under it', async ({ page, portal }) => {
    await signInAs(page, portal, 'operator');
    await expect(page.getByRole('progressbar')).toHaveCount(0, { timeout: 45_000 });
    await page.mouse.wheel(0, 2_000);
    const bar = searchBox(page).locator('xpath=ancestor::div[contains(@class, "sticky")]');
    await expect(bar).toBeInViewport();
    const background = await bar.evaluate((element) => getComputedStyle(element).backgroundColor);
    // rgb(…) is opaque; rgba(…, 0.95) or oklab(… / 0.95) would let the rows show through.
    expect(background).not.toMatch(/\/\s*0?\.\d|rgba\(.*,\s*0?\.\d+\)/);
    expect(background).not.toBe('rgba(0, 0, 0, 0)');
  });
});

/**
 * The organisation where `payments prod 3 admin` + Enter opened the keys of payments-prod-2 /
 * DatabaseAdministrator: 2,000 accounts, payments-prod-2's id holding a 3, and more payments accounts
 * with a 3 in their names and an admin role.
 */
function wrongKeysOrganisation(): Directory {
  const directory = generateOrganisation({ accounts: 2_000, rolesPerAccount: { min: 1, max: 3 }, users: ['operator'], seed: 21 });
  const planted: Record<string, { accountId?: string; roles: string[] }> = {
    'payments-prod-2': { accountId: '123456789012', roles: ['DatabaseAdministrator'] },
    'payments-prod-3': { roles: ['AdministratorAccess', 'DatabaseAdministrator', 'ReadOnlyAccess'] },
    'payments-dev-3': { roles: ['AdministratorAccess'] },
  };
  let assignments = directory.assignments;
  const accounts = directory.accounts.map((account) => {
    const plant = planted[account.accountName];
    if (!plant) return account;
    const accountId = plant.accountId ?? account.accountId;
    assignments = [
      ...assignments.filter((assignment) => assignment.accountId !== account.accountId),
      ...plant.roles.map((roleName) => ({ userName: 'operator', accountId, roleName })),
    ];
    return { ...account, accountId };
  });
  if (accounts.filter((account) => account.accountId === '123456789012').length !== 1) throw new Error('the planted id is taken');
  return { ...directory, accounts, assignments };
}

test.describe('Enter in a 2,000-account organisation', () => {
  test.describe.configure({ mode: 'serial' });
  let org: Organisation;

  test.beforeAll(async () => {
    // An Identity Center that answers as fast as it is asked: every role is here in seconds.
    org = await startOrganisation({ directory: wrongKeysOrganisation(), env: { IDC_RATE_LIMIT: '1000', IDC_MAX_CONCURRENCY: '32' } });
  });

  test.afterAll(async () => {
    await org?.close();
  });

  test('`payments prod 3 admin` + Enter opens the keys of payments-prod-3, never payments-prod-2', async ({ page }) => {
    test.setTimeout(120_000);
    await signInAs(page, org.portal, 'operator');
    await expect(page.getByRole('progressbar')).toHaveCount(0, { timeout: 90_000 });
    await page.locator('body').press('/');
    await page.keyboard.type('payments prod 3 admin');
    const rows = allAccounts(page).locator(':scope > li');
    await expect(rows.first()).toContainText('payments-prod-3');
    await expect(allAccounts(page)).not.toContainText('payments-prod-2');
    await expect(roleRow(page, 'payments-prod-3', 'AdministratorAccess')).toContainText('Enter in the search opens its keys');

    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Access keys for AdministratorAccess' });
    await expect(dialog).toContainText('in payments-prod-3');
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);
  });

  // payments-dev-3 and payments-prod-3 are named alike by the first (list order puts dev first); the second names two roles.
  for (const [query, firstName] of [
    ['payments 3 admin', 'payments-dev-3'],
    ['payments prod 3 admin read', 'payments-prod-3'],
  ] as const) {
    test(`\`${query}\` names no one role of one account: Enter moves into the results and opens nothing`, async ({ page }) => {
      test.setTimeout(120_000);
      await signInAs(page, org.portal, 'operator');
      await expect(page.getByRole('progressbar')).toHaveCount(0, { timeout: 90_000 });
      await searchBox(page).fill(query);
      const first = allAccounts(page).locator(':scope > li').first();
      await expect(first).toContainText(firstName);
      await expect(allAccounts(page)).toContainText('payments-prod-3');
      await expect(allAccounts(page)).not.toContainText('Enter in the search opens its keys');

      // Focus goes to the first result (a role used earlier is listed first, under Recent), and nothing opens.
      await searchBox(page).press('Enter');
      await expect(searchBox(page)).not.toBeFocused();
      await expect(page.locator('#account-results :focus')).toHaveCount(1);
      await expect(page.getByRole('dialog')).toHaveCount(0);
    });
  }
});
