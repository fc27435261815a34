import { readFile } from 'node:fs/promises';

import type { Locator, Page } from '@playwright/test';

import type { Directory } from '../../emulator/types';
import { type CredentialFormat, type CredentialsDTO, defaultProfileName, FORMAT_INFO, formatCredentials } from '../../lib/shared/credential-text';
import { accountsWithRoles } from '../../scripts/support/organisations';
import { expect, test } from './fixtures';
import { allAccounts, copyWith, expectNoViolations, searchBox, signInAs, screenshotPath } from './helpers';

/** Access keys in a dialog over the accounts list: from a role's "Access keys" and from a collapsed account's role chips. */

function accountNamed(directory: Directory, userName: string, name: string) {
  const account = accountsWithRoles(directory, userName).find((candidate) => candidate.accountName === name);
  if (!account) throw new Error(`${userName} has no account ${name}`);
  return account;
}

/** The row of an account in the full list, found by searching for its id once its roles are in. */
async function findAccount(page: Page, account: { accountId: string; accountName: string; roles: string[] }): Promise<Locator> {
  await searchBox(page).fill(account.accountId);
  const row = allAccounts(page).locator(':scope > li').filter({ has: page.getByRole('button', { name: account.accountName, exact: true }) });
  await expect(row.getByRole('list', { name: 'Roles' })).toContainText(account.roles[0]!, { timeout: 45_000 });
  return row;
}

const keysDialog = (page: Page, roleName: string) => page.getByRole('dialog', { name: `Access keys for ${roleName}` });

/** The credentials the dialog shows, read back through its Copy buttons. */
async function credentialsIn(page: Page, dialog: Locator): Promise<CredentialsDTO> {
  await expect(dialog.getByRole('timer')).toBeVisible();
  return {
    accessKeyId: await copyWith(page, 'Copy AWS access key ID'),
    secretAccessKey: await copyWith(page, 'Copy AWS secret access key'),
    sessionToken: await copyWith(page, 'Copy AWS session token'),
    expiration: (await dialog.getByText('Valid until').locator('time').getAttribute('datetime')) ?? '',
  };
}

test.beforeEach(async ({ context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
});

test.describe('the keys dialog', () => {
  test('"Access keys" on a role opens a dialog that fetches at once, copies every format, links the role page, and Escape gives focus back', async ({ page, portal, emulator }) => {
    const account = accountNamed(emulator.ctx.directory, 'operator', 'payments-prod');
    const roleName = account.roles[0]!;
    await signInAs(page, portal, 'operator');
    const row = await findAccount(page, account);
    await row.getByRole('button', { name: account.accountName, exact: true }).click();

    const opener = allAccounts(page).getByRole('button', { name: `Access keys for ${roleName} in ${account.accountName}` });
    await opener.click();
    const dialog = keysDialog(page, roleName);
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText(`in ${account.accountName} ${account.accountId}`);
    // Focus is in the dialog, and the keys come without another press.
    expect(await dialog.evaluate((element) => element.contains(document.activeElement))).toBe(true);
    const credentials = await credentialsIn(page, dialog);
    expect(credentials.accessKeyId).toMatch(/^ASIA[A-Z0-9]{16}$/);
    await expect(dialog.getByRole('button', { name: 'Get fresh access keys' })).toBeVisible();

    const profileName = defaultProfileName(account.accountName, roleName);
    for (const format of Object.keys(FORMAT_INFO) as CredentialFormat[]) {
      const { label } = FORMAT_INFO[format];
      await dialog.getByRole('tab', { name: label, exact: true }).click();
      expect(await copyWith(page, `Copy ${label}`), format).toBe(formatCredentials(credentials, format, { profileName, region: 'us-east-1' }));
    }
    await expect(dialog.getByRole('link', { name: 'Open the role’s page' })).toHaveAttribute('href', `/accounts/${account.accountId}/${roleName}`);

    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);
    await expect(opener).toBeFocused();
    // Nothing of the keys stays on the page.
    await expect(page.locator('body')).not.toContainText(credentials.accessKeyId);
  });

  test('a collapsed account’s role chips open that role’s keys; the account’s name still opens the account', async ({ page, portal, emulator }) => {
    const account = accountNamed(emulator.ctx.directory, 'operator', 'payments-prod');
    const roleName = account.roles[1]!;
    await signInAs(page, portal, 'operator');
    const row = await findAccount(page, account);
    const toggle = row.getByRole('button', { name: account.accountName, exact: true });
    await expect(toggle).toHaveAttribute('aria-expanded', 'false');

    const chip = row.getByRole('list', { name: 'Roles' }).getByRole('button', { name: `Access keys for ${roleName} in ${account.accountName}` });
    await expect(chip).toHaveText(roleName);
    await chip.click();
    const dialog = keysDialog(page, roleName);
    await expect(dialog.getByRole('timer')).toBeVisible();
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect(dialog).toHaveCount(0);
    await expect(chip).toBeFocused();
    // The chip opened the keys, not the account.
    await expect(toggle).toHaveAttribute('aria-expanded', 'false');

    await toggle.click();
    await expect(toggle).toHaveAttribute('aria-expanded', 'true');
    await expect(allAccounts(page).getByRole('list', { name: `Roles in ${account.accountName}` })).toContainText(roleName);
    await expect(page.getByRole('dialog')).toHaveCount(0);
  });

  test('masked secrets cannot be copied as bullets; Show secrets becomes Hide secrets', async ({ page, portal, emulator }) => {
    const account = accountNamed(emulator.ctx.directory, 'operator', 'payments-prod');
    const roleName = account.roles[2]!;
    await signInAs(page, portal, 'operator');
    const row = await findAccount(page, account);
    await row.getByRole('list', { name: 'Roles' }).getByRole('button', { name: `Access keys for ${roleName} in ${account.accountName}` }).click();
    const dialog = keysDialog(page, roleName);
    const credentials = await credentialsIn(page, dialog);
    const text = dialog.getByRole('group', { name: 'macOS / Linux text' });
    await expect(text).toContainText('export AWS_SECRET_ACCESS_KEY=••••');

    // Select the masked text and copy it with the keyboard, as a person would.
    const selectAndCopy = async (where: Locator) => {
      await page.evaluate(() => navigator.clipboard.writeText('nothing copied'));
      await where.selectText();
      await page.keyboard.press('Control+C');
      await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).not.toBe('nothing copied');
      return page.evaluate(() => navigator.clipboard.readText());
    };
    const copiedMasked = await selectAndCopy(text);
    expect(copiedMasked).toContain(`export AWS_ACCESS_KEY_ID=${credentials.accessKeyId}`);
    expect(copiedMasked).not.toContain('•');
    expect(copiedMasked).not.toContain(credentials.secretAccessKey);
    const secretValue = dialog.getByRole('definition').nth(1);
    await expect(secretValue).toContainText('••••');
    expect(await selectAndCopy(dialog.getByRole('definition').nth(0))).toBe(credentials.accessKeyId);
    await secretValue.selectText();
    await page.keyboard.press('Control+C');
    expect(await page.evaluate(() => navigator.clipboard.readText())).not.toContain('•');

    await dialog.getByRole('button', { name: 'Show secrets' }).click();
    await expect(dialog.getByRole('button', { name: 'Show secrets' })).toHaveCount(0);
    const hide = dialog.getByRole('button', { name: 'Hide secrets' });
    await expect(hide).toBeVisible();
    // Shown, the same selection copies the real values.
    const copiedShown = await selectAndCopy(text);
    expect(copiedShown).toContain(`export AWS_SECRET_ACCESS_KEY=${credentials.secretAccessKey}\n`);
    expect(copiedShown).toContain(`export AWS_SESSION_TOKEN=${credentials.sessionToken}`);
    await hide.click();
    await expect(dialog.getByRole('button', { name: 'Show secrets' })).toBeVisible();
    await expect(text).not.toContainText(credentials.secretAccessKey);
  });

  test('every download is saved under the name its button announces', async ({ page, portal, emulator }) => {
    const account = accountNamed(emulator.ctx.directory, 'operator', 'payments-prod');
    const roleName = account.roles[0]!;
    await signInAs(page, portal, 'operator');
    const row = await findAccount(page, account);
    await row.getByRole('list', { name: 'Roles' }).getByRole('button', { name: `Access keys for ${roleName} in ${account.accountName}` }).click();
    const dialog = keysDialog(page, roleName);
    const credentials = await credentialsIn(page, dialog);
    const profileName = defaultProfileName(account.accountName, roleName);

    const files = (Object.keys(FORMAT_INFO) as CredentialFormat[]).filter((format) => FORMAT_INFO[format].fileName);
    expect(files).toEqual(['ini', 'dotenv', 'process']);
    for (const format of files) {
      await dialog.getByRole('tab', { name: FORMAT_INFO[format].label, exact: true }).click();
      const button = dialog.getByRole('button', { name: /^Download / });
      const announced = ((await button.getAttribute('aria-label')) ?? '').replace(/^Download /, '');
      await expect(button).toHaveText(`Download ${announced}`);
      const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
      expect(download.suggestedFilename(), format).toBe(announced);
      expect(await readFile(await download.path(), 'utf8')).toBe(formatCredentials(credentials, format, { profileName, region: 'us-east-1' }));
    }
    // The .env format says what the file is called and what to do with it.
    await dialog.getByRole('tab', { name: '.env', exact: true }).click();
    await expect(dialog.getByRole('tabpanel')).toContainText('rename it to .env');
  });
});

for (const colorScheme of ['light', 'dark'] as const) {
  test.describe(`${colorScheme} theme`, () => {
    test.use({ colorScheme });

    test('the keys dialog has no accessibility violations', async ({ page, portal, emulator }) => {
      const account = accountNamed(emulator.ctx.directory, 'developer', 'analytics-dev');
      const roleName = account.roles[0]!;
      await signInAs(page, portal, 'developer');
      const row = await findAccount(page, account);
      await row.getByRole('list', { name: 'Roles' }).getByRole('button', { name: `Access keys for ${roleName} in ${account.accountName}` }).click();
      const dialog = keysDialog(page, roleName);
      await expect(dialog.getByRole('timer')).toBeVisible();
      await expectNoViolations(page, `the keys dialog (${colorScheme})`);
      await page.screenshot({ path: screenshotPath(`keys-${colorScheme}`) });
      if (colorScheme === 'light') {
        await page.setViewportSize({ width: 390, height: 844 });
        await expect(dialog.getByRole('timer')).toBeVisible();
        await expectNoViolations(page, 'the keys dialog at phone width');
        await page.screenshot({ path: screenshotPath('keys-phone') });
      }
    });
  });
}
