import { accountsWithRoles } from '../../scripts/support/organisations';
import { expect, test } from './fixtures';
import { approveSignIn, expectNoViolations, signInAs } from './helpers';

/**
 * The first steps of the day: Sign in from the home page, a console bookmark followed while signed
 * out, and the Activity page read in the person's own time zone, as the access keys are.
 */

// A time zone away from UTC, so a time said in UTC would not pass for a local one.
test.use({ timezoneId: 'Asia/Kolkata', locale: 'en-GB' });

test('the home page says its title once, and its Sign in asks for a code at once', async ({ page, portal }) => {
  await page.goto(portal.url);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('AWS access for your team');
  await expect(page.getByText('AWS access for your team')).toHaveCount(1);
  await page.getByRole('main').getByRole('link', { name: 'Sign in' }).click();
  // No second click: the code is there.
  await expect(page.getByLabel('Your sign-in code')).toHaveText(/^[A-Z]{4}-[A-Z]{4}$/);
  await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toHaveCount(0);
});

test('a console bookmark followed while signed out says what opens after sign-in, and opens it', async ({ page, portal, emulator }) => {
  const account = accountsWithRoles(emulator.ctx.directory, 'operator')[0]!;
  const roleName = account.roles[0]!;
  await page.goto(`${portal.url}/console/${account.accountId}/${roleName}?region=eu-west-1`);
  await expect(page).toHaveURL(/\/sign-in\?next=/);
  await expect(page.getByRole('status')).toHaveText(`After you sign in, the AWS console opens as ${roleName} in account ${account.accountId}.`);
  await expectNoViolations(page, 'the sign-in page for a console bookmark');
  await approveSignIn(page, 'operator');
  await expect(page).toHaveURL((url) => url.href.startsWith(emulator.url), { timeout: 20_000 });
  const details = page.locator('dl');
  await expect(details).toContainText(`Role ${roleName}`);
  await expect(details).toContainText('Region eu-west-1');
});

test('the Activity page says when, in the same local time as the access keys page', async ({ page, portal, emulator }) => {
  const account = accountsWithRoles(emulator.ctx.directory, 'operator')[0]!;
  const roleName = account.roles[0]!;
  await signInAs(page, portal, 'operator');
  await page.goto(`${portal.url}/accounts/${account.accountId}/${roleName}`);
  await page.getByRole('button', { name: 'Get access keys', exact: true }).click();
  const validUntil = (await page.getByText('Valid until').locator('time').textContent())?.trim() ?? '';
  expect(validUntil).toMatch(/^\d\d:\d\d:\d\d$/);

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Activity' }).click();
  const row = page.getByRole('row').filter({ hasText: 'Credentials taken' }).first();
  // The expiry as the keys page said it, with its date; the moment in UTC only as a tooltip.
  const expires = row.getByRole('cell').last().locator('time');
  await expect(expires).toHaveText(new RegExp(`^\\d{1,2} \\w{3} ${validUntil}$`));
  await expect(expires).not.toContainText('UTC');
});

test('the newcomer’s Activity page says what will appear, and promises no role', async ({ page, portal }) => {
  await signInAs(page, portal, 'newcomer');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Activity' }).click();
  const main = page.getByRole('main');
  await expect(main).toContainText('it learns it from a role assigned to you, and none has been found so far');
  await expect(main).toContainText('Signed in');
  await expect(main).not.toContainText('once you have a role');
  await expectNoViolations(page, 'the newcomer’s Activity page');
});
