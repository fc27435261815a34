import { generateOrganisation } from '../../emulator/directory';
import type { Directory } from '../../emulator/types';
import { emulatorAdmin } from '../../scripts/support/emulator-admin';
import { expect, test } from './fixtures';
import { allAccounts, expectNoViolations, searchBox, signInAs, screenshotPath } from './helpers';
import { type Organisation, startOrganisation } from './organisation';

/**
 * Assignments taken away under a signed-in person: a starred role stays in Favorites, greyed and
 * marked "No longer assigned", until they remove it; its page is the not-found page at once.
 */

let org: Organisation;

test.beforeAll(async () => {
  const directory = generateOrganisation({ accounts: 12, rolesPerAccount: 2, users: ['developer'], seed: 16 });
  org = await startOrganisation({ directory });
});

test.afterAll(async () => {
  await org?.close();
});

test('a starred role that is no longer assigned stays, greyed, with Remove; its page is not found', async ({ page }) => {
  const original: Directory = org.directory;
  const account = original.accounts[3]!;
  const roles = original.assignments.filter((a) => a.accountId === account.accountId).map((a) => a.roleName);
  const [lost, kept] = roles as [string, string];
  await signInAs(page, org.portal, 'developer');
  await expect(page.getByText('12 accounts', { exact: true })).toBeVisible({ timeout: 30_000 });
  // The first listing finished: Refresh compares with it.
  await expect(page.getByRole('progressbar')).toHaveCount(0, { timeout: 30_000 });

  // Star the role from its account.
  await searchBox(page).fill(account.accountId);
  await allAccounts(page).getByRole('button', { name: new RegExp(`^${account.accountName}`) }).click();
  await allAccounts(page).getByRole('button', { name: `Star ${lost} in ${account.accountName}` }).click();
  const favorites = page.getByRole('region', { name: 'Favorites' });
  await expect(favorites).toContainText(lost);
  await searchBox(page).fill('');

  // An administrator takes the role away; Refresh learns it.
  const admin = emulatorAdmin(org.emulator);
  await admin.replaceDirectory({
    ...original,
    assignments: original.assignments.filter((a) => !(a.accountId === account.accountId && a.roleName === lost)),
  });
  try {
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Refreshed.' })).toHaveText('Refreshed. 1 role removed.', { timeout: 30_000 });

    const gone = favorites.getByRole('listitem', { name: `${lost} in ${account.accountName}, no longer assigned` });
    await expect(gone).toBeVisible();
    await expect(gone).toContainText('No longer assigned');
    await page.screenshot({ path: screenshotPath('favorite-no-longer-assigned') });
    await expectNoViolations(page, 'a favorite no longer assigned');
    await page.emulateMedia({ colorScheme: 'dark' });
    await expectNoViolations(page, 'a favorite no longer assigned, dark');
    await page.emulateMedia({ colorScheme: 'light' });

    // Its page, followed from a bookmark, is the not-found page before anything is pressed.
    const rolePage = await page.context().newPage();
    const response = await rolePage.goto(`${org.portal.url}/accounts/${account.accountId}/${encodeURIComponent(lost)}`);
    expect(response?.status()).toBe(404);
    await expect(rolePage.getByRole('heading', { level: 1, name: 'Not found' })).toBeVisible();
    await expect(rolePage.getByRole('button', { name: /Get access keys/ })).toHaveCount(0);
    // The role still assigned keeps its page.
    await rolePage.goto(`${org.portal.url}/accounts/${account.accountId}/${encodeURIComponent(kept)}`);
    await expect(rolePage.getByRole('heading', { level: 1, name: kept })).toBeVisible();
    await rolePage.close();

    // Remove takes it out of the favorites, for good.
    await gone.getByRole('button', { name: `Remove ${lost} in ${account.accountName} from favorites` }).click();
    await expect(gone).toHaveCount(0);
    await page.reload();
    await expect(page.getByText('12 accounts', { exact: true })).toBeVisible({ timeout: 30_000 });
  // The first listing finished: Refresh compares with it.
  await expect(page.getByRole('progressbar')).toHaveCount(0, { timeout: 30_000 });
    await expect(page.getByRole('region', { name: 'Favorites' })).toHaveCount(0);
  } finally {
    await admin.replaceDirectory(original);
  }
});
