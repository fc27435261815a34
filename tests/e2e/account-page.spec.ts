import { generateOrganisation } from '../../emulator/directory';
import { expect, test } from './fixtures';
import { expectNoViolations, signInAs, screenshotPath } from './helpers';
import { type Organisation, startOrganisation } from './organisation';

/** `/accounts/{accountId}`: one account with its nickname, its id to copy and its roles; someone else's account is not found. */

let org: Organisation;

test.beforeAll(async () => {
  const directory = generateOrganisation({ accounts: 8, rolesPerAccount: 3, users: ['developer'], seed: 17 });
  org = await startOrganisation({ directory, nicknames: { [directory.accounts[2]!.accountId]: 'card-payments' } });
});

test.afterAll(async () => {
  await org?.close();
});

test('the account page shows the account, its nickname, Copy for its id and its roles; other accounts and roles are not found', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const account = org.directory.accounts[2]!;
  const roles = org.directory.assignments.filter((a) => a.accountId === account.accountId).map((a) => a.roleName).sort();
  await signInAs(page, org.portal, 'developer');

  await page.goto(`${org.portal.url}/accounts/${account.accountId}`);
  await expect(page.getByRole('heading', { level: 1, name: 'card-payments' })).toBeVisible();
  await expect(page.getByText(`Nickname of ${account.accountName}`)).toBeVisible();
  const copy = page.getByRole('button', { name: 'Copy account id' });
  await copy.click();
  await expect(copy).toHaveText('Copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(account.accountId);
  const listed = page.getByRole('region', { name: 'Your roles' }).getByRole('listitem');
  await expect(listed).toHaveCount(roles.length);
  for (const [index, roleName] of roles.entries()) await expect(listed.nth(index)).toContainText(roleName);
  await page.screenshot({ path: screenshotPath('account-page') });
  await expectNoViolations(page, 'the account page');
  await page.emulateMedia({ colorScheme: 'dark' });
  await expectNoViolations(page, 'the account page, dark');
  await page.screenshot({ path: screenshotPath('account-page-dark') });
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: screenshotPath('account-page-390'), fullPage: true });

  // A role leads to its page.
  await page.getByRole('link', { name: new RegExp(`^${roles[0]!}`) }).click();
  await expect(page.getByRole('heading', { level: 1, name: roles[0]! })).toBeVisible();

  // An account the person does not have, and a role they do not have, are the not-found page.
  const notMine = await page.goto(`${org.portal.url}/accounts/000000000000`);
  expect(notMine?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1, name: 'Not found' })).toBeVisible();
  const roleNotMine = await page.goto(`${org.portal.url}/accounts/${account.accountId}/NoSuchRole`);
  expect(roleNotMine?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1, name: 'Not found' })).toBeVisible();
});
