import { readFileSync } from 'node:fs';

import type { BrowserContext, Page } from '@playwright/test';

import { accountsOfUser, generateOrganisation } from '../../emulator/directory';
import { expect, test } from './fixtures';
import { expectNoViolations, searchBox, signInAs, screenshotPath } from './helpers';
import { listTop, type Organisation, rowsOnScreen, startOrganisation } from './organisation';

/**
 * A large organisation (2,000 accounts) behind a throttled Identity Center (the emulator allows 40
 * calls a second, the portal makes 30): the roles take about a minute to load, and the page is used
 * meanwhile, as a person would.
 */

const ACCOUNTS = 2_000;
let org: Organisation;
/** One person's browser through every test, as one sitting. */
let context: BrowserContext;
let page: Page;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ browser }) => {
  const directory = generateOrganisation({ accounts: ACCOUNTS, rolesPerAccount: { min: 1, max: 3 }, users: ['developer'], seed: 14 });
  const named = directory.accounts[0]!;
  org = await startOrganisation({
    directory,
    emulator: { rateLimit: 40 },
    nicknames: { [named.accountId]: 'first-one' },
    env: { IDC_RATE_LIMIT: '30' },
  });
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  page = await context.newPage();
  await signInAs(page, org.portal, 'developer');
});

test.afterAll(async () => {
  await context?.close();
  await org?.close();
});

const loadingRoles = /Loading roles… [\d,]+ of 2,000 accounts/;

test('while roles load, names and ids match at once and search says its results may still grow; the export offers what is loaded', async () => {
  test.setTimeout(120_000);
  await expect(page.getByText(loadingRoles)).toBeVisible({ timeout: 30_000 });

  // The account listed last gets its roles last: its id finds it at once all the same.
  const last = org.directory.accounts.at(-1)!;
  await searchBox(page).fill(last.accountId);
  const count = page.locator('#account-count');
  await expect(count).toContainText('1 of 2,000 accounts');
  await expect(count).toContainText(/may grow: roles still loading for [\d,]+ accounts/);
  await expect(page.getByRole('list', { name: 'All accounts' })).toContainText(last.accountName);

  // A role name finds the accounts whose roles arrived, and says more may come.
  await searchBox(page).fill('ReadOnly');
  await expect(count).toContainText(/may grow: roles still loading for [\d,]+ accounts/);
  await page.screenshot({ path: screenshotPath('large-org-search-notice') });
  await expectNoViolations(page, 'the accounts page while roles load');
  await page.emulateMedia({ colorScheme: 'dark' });
  await expectNoViolations(page, 'the accounts page while roles load, dark');
  await page.screenshot({ path: screenshotPath('large-org-search-notice-dark') });
  await page.emulateMedia({ colorScheme: 'light' });
  await searchBox(page).fill('');

  // The export says how far the roles are, and gives the file for those loaded now.
  await page.getByRole('button', { name: 'Export ~/.aws/config' }).click();
  const panel = page.getByRole('group', { name: 'Export ~/.aws/config' });
  await expect(panel).toContainText(/Roles are loaded for [\d,]+ of 2,000 accounts/);
  const [download] = await Promise.all([page.waitForEvent('download'), panel.getByRole('button', { name: 'Download what is loaded' }).click()]);
  await expect(panel.getByRole('status')).toHaveText(/^Downloaded, with the roles of [\d,]+ of 2,000 accounts\.$/);
  const file = readFileSync((await download.path())!, 'utf8');
  const profiles = file.match(/^\[profile /gm)?.length ?? 0;
  const allRoles = org.directory.assignments.length;
  expect(profiles).toBeGreaterThan(0);
  expect(profiles).toBeLessThan(allRoles);
});

test('while roles load, an account the search names stays listed, and opening it loads its roles at once', async () => {
  test.setTimeout(120_000);
  // The same sitting, the listing still under way.
  await expect(page.getByText(loadingRoles)).toBeVisible();

  // Identity Center lists accounts by name: the last of them gets its roles last. Its name and one of its roles find it all the same.
  const last = accountsOfUser(org.directory, 'developer').at(-1)!;
  const roles = org.directory.assignments.filter((assignment) => assignment.accountId === last.accountId && assignment.userName === 'developer');
  const roleName = roles[0]!.roleName;
  await searchBox(page).fill(`${last.accountName.replace(/-/g, ' ')} ${roleName}`);
  const first = page.getByRole('list', { name: 'All accounts' }).locator(':scope > li').first();
  // Once a loaded account has that role, the search knows the word as a role's.
  await expect(first).toContainText(last.accountName, { timeout: 20_000 });
  await expect(first).toContainText('Roles still loading · Enter on the account loads them now');

  await searchBox(page).press('ArrowDown');
  await expect(first.getByRole('button', { name: new RegExp(`^${last.accountName}`) })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(first.getByRole('list', { name: `Roles in ${last.accountName}` })).toContainText(roleName);
  const loaded = `${last.accountName}: ${roles.length} ${roles.length === 1 ? 'role' : 'roles'} loaded`;
  await expect(page.getByRole('status').filter({ hasText: loaded })).toBeVisible();
  await expect(page.getByText(loadingRoles)).toBeVisible();
  await searchBox(page).fill('');
});

test('the list does not move when the progress bar goes', async () => {
  test.setTimeout(150_000);
  await page.goto(`${org.portal.url}/accounts`);
  await expect(page.getByText(loadingRoles)).toBeVisible({ timeout: 30_000 });
  const whileLoading = await listTop(page);
  await expect(page.getByRole('progressbar')).toHaveCount(0, { timeout: 120_000 });
  await expect(page.getByText('2,000 accounts', { exact: true })).toBeVisible();
  expect(await listTop(page)).toBe(whileLoading);
});

test('the compact view fits at least twice as many accounts on a 900 px screen, and is remembered for the person', async ({ browser }) => {
  await page.goto(`${org.portal.url}/accounts`);
  await expect(page.getByText('2,000 accounts', { exact: true })).toBeVisible({ timeout: 30_000 });
  const toggle = page.getByRole('button', { name: 'Compact view' });
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  const comfortable = await rowsOnScreen(page);

  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(() => rowsOnScreen(page)).toBeGreaterThanOrEqual(comfortable * 2);
  await page.screenshot({ path: screenshotPath('compact-view') });
  await expectNoViolations(page, 'the compact view');
  await page.emulateMedia({ colorScheme: 'dark' });
  await expectNoViolations(page, 'the compact view, dark');
  await page.screenshot({ path: screenshotPath('compact-view-dark') });
  await page.emulateMedia({ colorScheme: 'light' });

  // An open account in the compact view shows its roles, as in the other.
  const first = org.directory.accounts[0]!;
  await searchBox(page).fill(first.accountId);
  await page.getByRole('button', { name: new RegExp(`^${first.accountName}`) }).click();
  await expect(page.getByRole('list', { name: 'All accounts' }).getByRole('list', { name: 'Roles' })).toBeVisible();

  // Another browser, signed in as the same person, opens in the compact view.
  const elsewhere = await browser.newContext({ viewport: { width: 390, height: 844 } });
  try {
    const phone = await elsewhere.newPage();
    await signInAs(phone, org.portal, 'developer');
    // Once the page knows who signed in, it takes their choice.
    await expect(phone.getByRole('button', { name: 'Compact view' })).toHaveAttribute('aria-pressed', 'true', { timeout: 30_000 });
    await expect(phone.getByText('2,000 accounts', { exact: true })).toBeVisible({ timeout: 30_000 });
    await phone.screenshot({ path: screenshotPath('compact-view-390') });
    await expectNoViolations(phone, 'the compact view at phone width');
  } finally {
    await elsewhere.close();
  }
});

test('Refresh stays usable while roles load: it starts over at once', async () => {
  test.setTimeout(90_000);
  await page.goto(`${org.portal.url}/accounts`);
  await expect(page.getByText('2,000 accounts', { exact: true })).toBeVisible({ timeout: 30_000 });
  const refresh = page.getByRole('button', { name: 'Refresh' });
  await refresh.click();
  await expect(page.getByText(loadingRoles)).toBeVisible({ timeout: 30_000 });
  // Another visit while that listing runs follows it, and Refresh there starts over at once (the accounts stay listed).
  await page.reload();
  await expect(page.getByText(loadingRoles)).toBeVisible({ timeout: 30_000 });
  await expect(refresh).toBeEnabled();
  await refresh.click();
  await expect(page.getByText('Refreshing your accounts…')).toBeVisible();
  await expect(page.getByText(/Loading roles… [\d,]+ of 2,000 accounts/)).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('list', { name: 'All accounts' }).locator(':scope > li').first()).toBeVisible();
  await expect(page.getByText(/did not finish|could not be listed|replaced this listing/)).toHaveCount(0);
});
