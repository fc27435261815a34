import { readFile } from 'node:fs/promises';

import type { Download, Page } from '@playwright/test';

import type { Directory, DirectoryAccount } from '../../emulator/types';
import { profileNames } from '../../lib/shared/aws-config';
import {
  type CredentialFormat,
  type CredentialsDTO,
  defaultProfileName,
  FORMAT_INFO,
  formatCredentials,
} from '../../lib/shared/credential-text';
import { emulatorAdmin } from '../../scripts/support/emulator-admin';
import { accountsWithRoles } from '../../scripts/support/organisations';
import { expect, test } from './fixtures';
import { allAccounts, copyWith, expectNoViolations, searchBox, signInAs } from './helpers';

/** Access keys, the console and ~/.aws/config, used as a person uses them. */

interface PersonAccount extends DirectoryAccount {
  roles: string[];
}

function accountNamed(directory: Directory, name: string): PersonAccount {
  const account = accountsWithRoles(directory, 'operator').find((candidate) => candidate.accountName === name);
  if (!account) throw new Error(`operator has no account ${name}`);
  return account;
}

/** An operator role whose credentials last `seconds` (the permission set's session duration). */
function roleLasting(directory: Directory, seconds: number): { account: PersonAccount; roleName: string } {
  const roles = new Set(directory.roles.filter((role) => role.sessionDurationSeconds === seconds).map((role) => role.roleName));
  for (const account of accountsWithRoles(directory, 'operator')) {
    const roleName = account.roles.find((role) => roles.has(role));
    if (roleName) return { account, roleName };
  }
  throw new Error(`operator has no role lasting ${seconds} s`);
}

const rolePath = (accountId: string, roleName: string) => `/accounts/${accountId}/${roleName}`;

/** Waits until the whole listing is in: no progress bar, and the count of every account. */
async function waitForListing(page: Page) {
  await expect(page.getByRole('progressbar')).toHaveCount(0, { timeout: 45_000 });
  await expect(page.getByText(/^\d+ accounts?$/)).toBeVisible();
}

/**
 * Searches for an account by id and opens it once its roles are in (the listing may still be
 * loading other accounts' roles; every sign-in lists afresh, within the Identity Center rate limit).
 */
async function openAccount(page: Page, account: PersonAccount) {
  await searchBox(page).fill(account.accountId);
  const row = allAccounts(page).locator(':scope > li').filter({ has: page.getByRole('button', { name: account.accountName, exact: true }) });
  await expect(row.getByRole('list', { name: 'Roles' })).toContainText(account.roles[0]!, { timeout: 45_000 });
  await row.getByRole('button', { name: account.accountName, exact: true }).click();
  await expect(allAccounts(page).getByRole('list', { name: `Roles in ${account.accountName}` })).toBeVisible();
}


async function contentOf(download: Download): Promise<string> {
  const file = await download.path();
  return readFile(file, 'utf8');
}

/** The credentials on the page, read back through its Copy buttons (and the expiry's datetime). */
async function credentialsOnPage(page: Page): Promise<CredentialsDTO> {
  return {
    accessKeyId: await copyWith(page, 'Copy AWS access key ID'),
    secretAccessKey: await copyWith(page, 'Copy AWS secret access key'),
    sessionToken: await copyWith(page, 'Copy AWS session token'),
    expiration: (await page.getByText('Valid until').locator('time').getAttribute('datetime')) ?? '',
  };
}

test.beforeEach(async ({ context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
});

test.describe('access keys', () => {
  test('from the accounts page to a role’s access keys, copied in every format, and downloaded as a file', async ({ page, portal, emulator }) => {
    const account = accountNamed(emulator.ctx.directory, 'payments-prod');
    const roleName = account.roles[0]!;
    await signInAs(page, portal, 'operator');

    // Find the role: search for the account, open it, press its "Access keys", and follow the dialog's link to the role's page.
    await openAccount(page, account);
    await allAccounts(page).getByRole('button', { name: `Access keys for ${roleName} in ${account.accountName}` }).click();
    const rolePage = page.getByRole('dialog', { name: `Access keys for ${roleName}` }).getByRole('link', { name: 'Open the role’s page' });
    await expect(rolePage).toHaveAttribute('href', rolePath(account.accountId, roleName));
    await rolePage.click();
    await expect(page).toHaveURL(`${portal.url}${rolePath(account.accountId, roleName)}`);
    await expect(page.getByRole('heading', { level: 1, name: roleName })).toBeVisible();
    await expect(page.getByRole('main')).toContainText(`in ${account.accountName}`);

    // Nothing is fetched until the person asks.
    await expect(page.getByRole('tablist', { name: 'Format' })).toHaveCount(0);
    await page.getByRole('button', { name: 'Get access keys', exact: true }).click();
    const timer = page.getByRole('timer');
    await expect(timer).toHaveText(/^expires in (\d+ h )?\d+ min \d+ s$/);
    // The countdown is live.
    const shown = await timer.textContent();
    await expect(timer).not.toHaveText(shown ?? '');
    await expect(page.getByRole('button', { name: 'Get fresh access keys' })).toBeVisible();

    const credentials = await credentialsOnPage(page);
    expect(credentials.accessKeyId).toMatch(/^ASIA[A-Z0-9]{16}$/);
    expect(Date.parse(credentials.expiration)).toBeGreaterThan(Date.now());
    // Nothing of the credentials is kept in the browser's storage or the address.
    expect(await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }))).not.toContain(credentials.accessKeyId);
    expect(page.url()).not.toContain(credentials.accessKeyId);

    // Every format: its tab, its Copy button, the exact text; the region is set by default (the portal's, here).
    const profileName = defaultProfileName(account.accountName, roleName);
    const formats = Object.keys(FORMAT_INFO) as CredentialFormat[];
    await expect(page.getByRole('checkbox', { name: 'Set the region' })).toBeChecked();
    await expect(page.getByRole('combobox', { name: 'Region', exact: true })).toHaveValue('us-east-1');
    for (const format of formats) {
      const { label } = FORMAT_INFO[format];
      await page.getByRole('tab', { name: label, exact: true }).click();
      await expect(page.getByRole('tab', { name: label, exact: true })).toHaveAttribute('aria-selected', 'true');
      expect(await copyWith(page, `Copy ${label}`), format).toBe(formatCredentials(credentials, format, { profileName, region: 'us-east-1' }));
    }
    // With the switch off, the texts the AWS CLI also writes are its own, byte for byte (tests/integration/credentials.test.ts compares them).
    await page.getByRole('checkbox', { name: 'Set the region' }).uncheck();
    for (const format of formats) {
      const { label } = FORMAT_INFO[format];
      await page.getByRole('tab', { name: label, exact: true }).click();
      expect(await copyWith(page, `Copy ${label}`), format).toBe(formatCredentials(credentials, format, { profileName }));
    }
    // fish is one of the AWS CLI's formats too, and the page says so.
    await page.getByRole('tab', { name: 'fish', exact: true }).click();
    await expect(page.getByRole('tabpanel')).toContainText('Paste into the fish shell. The same text as aws configure export-credentials --format fish.');
    await page.getByRole('tab', { name: 'macOS / Linux' }).click();
    const env = await copyWith(page, 'Copy macOS / Linux');
    expect(env.startsWith('export AWS_ACCESS_KEY_ID=ASIA')).toBe(true);
    expect(env).not.toContain('AWS_REGION');

    await page.getByRole('tab', { name: 'credential_process' }).click();
    const process = JSON.parse(await copyWith(page, 'Copy credential_process')) as Record<string, unknown>;
    expect(process).toMatchObject({ Version: 1, AccessKeyId: credentials.accessKeyId, SecretAccessKey: credentials.secretAccessKey });

    // The region, when chosen, as chosen.
    await page.getByRole('checkbox', { name: 'Set the region' }).check();
    await page.getByRole('combobox', { name: 'Region', exact: true }).selectOption('eu-west-2');
    await page.getByRole('tab', { name: 'macOS / Linux' }).click();
    const withRegion = await copyWith(page, 'Copy macOS / Linux');
    expect(withRegion).toBe(formatCredentials(credentials, 'env', { region: 'eu-west-2' }));
    expect(withRegion).toContain('export AWS_REGION=eu-west-2\nexport AWS_DEFAULT_REGION=eu-west-2\n');
    await page.getByRole('checkbox', { name: 'Set the region' }).uncheck();
    expect(await copyWith(page, 'Copy macOS / Linux')).not.toContain('AWS_REGION');

    // The credentials file under a profile name of one's own; a bad name is refused until fixed.
    await page.getByRole('tab', { name: 'Credentials file' }).click();
    const profile = page.getByRole('textbox', { name: 'Profile name' });
    await expect(profile).toHaveValue(profileName);
    await profile.fill('bad name');
    await expect(profile).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByRole('button', { name: 'Copy Credentials file' })).toBeDisabled();
    await profile.fill('payments-admin');
    const ini = await copyWith(page, 'Copy Credentials file');
    expect(ini.startsWith('[payments-admin]\naws_access_key_id = ASIA')).toBe(true);
    expect(ini).toBe(formatCredentials(credentials, 'ini', { profileName: 'payments-admin' }));

    // Download: the same credentials as a file, named as the format says.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download credentials' }).click()]);
    expect(download.suggestedFilename()).toBe('credentials');
    expect(await contentOf(download)).toBe(ini);
    await page.getByRole('tab', { name: 'credential_process' }).click();
    const [json] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download credentials.json' }).click()]);
    expect(json.suggestedFilename()).toBe('credentials.json');
    expect(JSON.parse(await contentOf(json))).toMatchObject({ Version: 1, AccessKeyId: credentials.accessKeyId });

    // The format tabs work from the keyboard.
    await page.getByRole('tab', { name: 'credential_process' }).focus();
    await page.keyboard.press('Home');
    await expect(page.getByRole('tab', { name: 'macOS / Linux' })).toBeFocused();
    await page.keyboard.press('ArrowRight');
    await expect(page.getByRole('tab', { name: 'Without export' })).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByRole('tab', { name: 'Without export' })).toBeFocused();
  });

  test('secrets are masked on screen until Show, and Copy always gives the full text', async ({ page, portal, emulator }) => {
    const account = accountNamed(emulator.ctx.directory, 'payments-prod');
    const roleName = account.roles[1]!;
    await signInAs(page, portal, 'operator');
    await page.goto(`${portal.url}${rolePath(account.accountId, roleName)}`);
    await page.getByRole('button', { name: 'Get access keys' }).click();
    await expect(page.getByRole('timer')).toBeVisible();

    const credentials = await credentialsOnPage(page);
    const text = page.getByRole('group', { name: 'macOS / Linux text' });
    const main = page.getByRole('main');
    // Masked: the access key id shows, the secret and the token do not, anywhere on the page.
    await expect(text).toContainText(`export AWS_ACCESS_KEY_ID=${credentials.accessKeyId}`);
    await expect(text).toContainText('export AWS_SECRET_ACCESS_KEY=••••');
    await expect(main).not.toContainText(credentials.secretAccessKey);
    await expect(main).not.toContainText(credentials.sessionToken);
    expect(await page.content()).not.toContain(credentials.secretAccessKey);
    // Copy is not masked.
    expect(await copyWith(page, 'Copy macOS / Linux')).toContain(`AWS_SECRET_ACCESS_KEY=${credentials.secretAccessKey}`);

    await page.getByRole('button', { name: 'Show secrets' }).click();
    const hide = page.getByRole('button', { name: 'Hide secrets' });
    await expect(text).toContainText(`export AWS_SECRET_ACCESS_KEY=${credentials.secretAccessKey}`);
    await expect(text).toContainText(credentials.sessionToken);
    await expect(page.getByRole('definition').filter({ hasText: credentials.secretAccessKey })).toHaveCount(1);

    // Hidden again, and fresh keys start hidden too.
    await hide.click();
    await expect(main).not.toContainText(credentials.secretAccessKey);
    await page.getByRole('button', { name: 'Show secrets' }).click();
    await page.getByRole('button', { name: 'Get fresh access keys' }).click();
    await expect(page.getByRole('button', { name: 'Show secrets' })).toBeVisible();
    await expect(text).not.toContainText(credentials.accessKeyId);
    await expect(main).not.toContainText(credentials.secretAccessKey);
  });

  test('expired access keys leave the page, and fresh ones are offered', async ({ page, portal, emulator }) => {
    const { account, roleName } = roleLasting(emulator.ctx.directory, 3600);
    await signInAs(page, portal, 'operator');
    await page.clock.install();
    await page.goto(`${portal.url}${rolePath(account.accountId, roleName)}`);
    await page.getByRole('button', { name: 'Get access keys' }).click();
    await expect(page.getByRole('timer')).toHaveText(/^expires in (59 min \d+ s|1 h 0 min 0 s)$/);
    const credentials = await credentialsOnPage(page);

    await page.clock.fastForward('01:00:05');
    await expect(page.getByText('These access keys expired at')).toBeVisible();
    await expect(page.getByRole('status').filter({ hasText: 'The access keys have expired.' })).toBeAttached();
    await expect(page.getByRole('timer')).toHaveCount(0);
    await expect(page.getByRole('main')).not.toContainText(credentials.accessKeyId);
    await expect(page.getByRole('button', { name: 'Get fresh access keys' })).toBeVisible();
  });

  test('the deep link works opened directly; a malformed one is a 404, and a role the person does not have is not found', async ({ page, portal, emulator, browser }) => {
    const directory = emulator.ctx.directory;
    const account = accountNamed(directory, 'payments-prod');
    const roleName = account.roles[2]!;
    const path = rolePath(account.accountId, roleName);

    // Signed out, the deep link goes through sign-in and back.
    const anonymous = await browser.newContext();
    const stranger = await anonymous.newPage();
    await stranger.goto(`${portal.url}${path}`);
    await expect(stranger).toHaveURL(`${portal.url}/sign-in?next=${encodeURIComponent(path)}`);
    await anonymous.close();

    await signInAs(page, portal, 'operator');
    await page.goto(`${portal.url}${path}`);
    await expect(page.getByRole('heading', { level: 1, name: roleName })).toBeVisible();
    await expect(page.getByRole('navigation', { name: 'Breadcrumb' })).toContainText(account.accountName);
    await page.getByRole('button', { name: 'Get access keys' }).click();
    await expect(page.getByRole('timer')).toBeVisible();

    // A malformed one says which part is wrong.
    for (const [malformed, says] of [
      ['/accounts/12345/AdministratorAccess', '"12345" is not an AWS account id'],
      [`/accounts/${account.accountId}/not%20a%20role`, '"not a role" is not a role name'],
      [`/accounts/${account.accountId}/${'x'.repeat(65)}`, 'is not a role name'],
    ] as const) {
      const response = await page.goto(`${portal.url}${malformed}`);
      expect(response?.status(), malformed).toBe(404);
      await expect(page.getByText(says)).toBeVisible();
    }

    // A role that exists, in an account the person has, but not assigned to them: not found, before anything is pressed.
    const notMine = directory.roles.map((role) => role.roleName).find((role) => !account.roles.includes(role))!;
    const refused = await page.goto(`${portal.url}${rolePath(account.accountId, notMine)}`);
    expect(refused?.status()).toBe(404);
    await expect(page.getByText(`You have no role ${notMine} in ${account.accountName} (${account.accountId}).`)).toBeVisible();
    await expect(page.getByRole('button', { name: 'Get access keys' })).toHaveCount(0);
  });

  test('when Identity Center is busy, the page says how long to wait', async ({ page, portal, emulator }) => {
    // The portal retries Identity Center before it gives up, and the page then waits out Retry-After.
    test.setTimeout(120_000);
    const account = accountNamed(emulator.ctx.directory, 'payments-prod');
    const roleName = account.roles[0]!;
    await signInAs(page, portal, 'operator');
    // The portal knows the account's roles (so it checks the role without asking Identity Center);
    // from now on every Identity Center call about the account fails.
    await openAccount(page, account);
    await emulatorAdmin(emulator).faults({ error: 1000, accountId: account.accountId });
    try {
      await page.goto(`${portal.url}${rolePath(account.accountId, roleName)}`);
      await page.getByRole('button', { name: 'Get access keys' }).click();
      await expect(page.getByRole('main').getByRole('alert')).toHaveText(/^Identity Center is busy, try again in \d+ s\.$/, { timeout: 30_000 });
      await expect(page.getByRole('timer')).toHaveCount(0);
    } finally {
      await emulatorAdmin(emulator).faults({ error: 0, accountId: null });
    }
    await expect(page.getByRole('main').getByRole('alert')).toHaveText('Identity Center was busy. You can try again now.', { timeout: 15_000 });
    await page.getByRole('button', { name: 'Get access keys' }).click();
    await expect(page.getByRole('timer')).toBeVisible();
    await expect(page.getByRole('main').getByRole('alert')).toHaveCount(0);
  });
});

test.describe('the console', () => {
  test('"Open console" opens a new tab signed in to the console as the role, in the chosen region and page', async ({ page, portal, emulator, context }) => {
    const account = accountNamed(emulator.ctx.directory, 'payments-prod');
    const roleName = account.roles[0]!;
    await signInAs(page, portal, 'operator');
    await page.goto(`${portal.url}${rolePath(account.accountId, roleName)}`);

    await page.getByRole('combobox', { name: 'Console region' }).selectOption('eu-west-1');
    await page.getByRole('combobox', { name: 'Open at' }).selectOption('/ec2/home');
    const shortcut = `${portal.url}/console/${account.accountId}/${roleName}?region=eu-west-1&destination=%2Fec2%2Fhome`;
    await expect(page.getByRole('textbox', { name: /^Shortcut/ })).toHaveValue(shortcut);
    expect(await copyWith(page, 'Copy shortcut')).toBe(shortcut);

    const open = page.getByRole('link', { name: 'Open console' });
    await expect(open).toHaveAttribute('target', '_blank');
    await expect(open).toHaveAttribute('rel', 'noopener noreferrer');
    const [consoleTab] = await Promise.all([context.waitForEvent('page'), open.click()]);
    await consoleTab.waitForLoadState();
    expect(consoleTab.url().startsWith(emulator.url)).toBe(true);
    await expect(consoleTab.getByRole('heading', { name: 'Signed in to the AWS Management Console (emulated)' })).toBeVisible();
    const details = consoleTab.locator('dl');
    await expect(details).toContainText('Signed in as operator');
    await expect(details).toContainText(`Account ${account.accountName} (${account.accountId})`);
    await expect(details).toContainText(`Role ${roleName}`);
    await expect(details).toContainText('Region eu-west-1');
    await expect(details).toContainText('/ec2/home');
    await consoleTab.close();

    // Another page of the console, typed in: checked as the person types, and refused while malformed.
    await page.getByRole('combobox', { name: 'Open at' }).selectOption({ label: 'Another page…' });
    await page.getByRole('textbox', { name: 'Console page', exact: true }).fill('javascript:alert(1)');
    await expect(page.getByRole('textbox', { name: 'Console page', exact: true })).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByRole('link', { name: 'Open console' })).toHaveCount(0);
    await page.getByRole('textbox', { name: 'Console page', exact: true }).fill('/s3/buckets');
    await expect(page.getByRole('textbox', { name: /^Shortcut/ })).toHaveValue(
      `${portal.url}/console/${account.accountId}/${roleName}?region=eu-west-1&destination=%2Fs3%2Fbuckets`,
    );

    // A console page with a region of its own, typed in, opens in that region.
    const regional = 'https://ap-southeast-3.console.aws.amazon.com/ec2/home#Instances:';
    await page.getByRole('textbox', { name: 'Console page', exact: true }).fill(regional);
    await expect(page.getByRole('combobox', { name: 'Console region' })).toHaveValue('ap-southeast-3');
    await expect(page.getByRole('textbox', { name: /^Shortcut/ })).toHaveValue(
      `${portal.url}/console/${account.accountId}/${roleName}?region=ap-southeast-3&destination=${encodeURIComponent(regional)}`,
    );
  });

  test('the console session length: 4 hours chosen in the panel, a 4-hour console session, and still chosen after a reload', async ({ page, portal, emulator, context }) => {
    // developer, not operator: the choice is remembered, and other tests read operator's shortcuts.
    const [account] = accountsWithRoles(emulator.ctx.directory, 'developer');
    const roleName = account!.roles[0]!;
    await signInAs(page, portal, 'developer');
    await page.goto(`${portal.url}${rolePath(account!.accountId, roleName)}`);

    const length = page.getByRole('combobox', { name: 'Console session' });
    await length.selectOption({ label: '4 hours' });
    await expect(page.getByRole('textbox', { name: /^Shortcut/ })).toHaveValue(new RegExp(`^${portal.url}/console/${account!.accountId}/${roleName}\\?region=us-east-1&hours=4$`));
    await expectNoViolations(page, 'the console panel');

    const [consoleTab] = await Promise.all([context.waitForEvent('page'), page.getByRole('link', { name: 'Open console' }).click()]);
    await consoleTab.waitForLoadState();
    const details = consoleTab.locator('dl');
    await expect(details).toContainText(`Role ${roleName}`);
    await expect(details).toContainText('Console session 4 hours (SessionDuration 14400 s)');
    const endsAt = Date.parse((await details.locator('time').getAttribute('datetime')) ?? '');
    expect(Math.abs(endsAt - (emulator.ctx.clock.now() + 4 * 3_600_000))).toBeLessThan(30_000);
    await consoleTab.close();

    // Remembered on the server: the page offers it again, in this browser and any other.
    await page.reload();
    await expect(page.getByRole('combobox', { name: 'Console session' })).toHaveValue('4');
    await expect(page.getByRole('combobox', { name: 'Console session' }).locator('option:checked')).toHaveText('4 hours');
  });

  test('the "Console" link of a role on the accounts page, and the shortcut typed into the address bar, sign in in one step', async ({ page, portal, emulator, context }) => {
    const account = accountNamed(emulator.ctx.directory, 'payments-prod');
    const roleName = account.roles[1]!;
    await signInAs(page, portal, 'operator');
    await openAccount(page, account);
    const consoleLink = allAccounts(page).getByRole('link', { name: `Console for ${roleName} in ${account.accountName}` });
    await expect(consoleLink).toHaveAttribute('target', '_blank');
    await expect(consoleLink).toHaveAttribute('rel', 'noopener noreferrer');
    const [fromList] = await Promise.all([context.waitForEvent('page'), consoleLink.click()]);
    await fromList.waitForLoadState();
    await expect(fromList.locator('dl')).toContainText(`Role ${roleName}`);
    await fromList.close();

    // Typed into the address bar (or a bookmark): straight to the console.
    await page.goto(`${portal.url}/console/${account.accountId}/${roleName}?region=eu-central-1&destination=/s3/home`);
    expect(page.url().startsWith(emulator.url)).toBe(true);
    const details = page.locator('dl');
    await expect(details).toContainText('Signed in as operator');
    await expect(details).toContainText(`Account ${account.accountName} (${account.accountId})`);
    await expect(details).toContainText(`Role ${roleName}`);
    await expect(details).toContainText('Region eu-central-1');
    await expect(details).toContainText('/s3/home');
  });
});

test.describe('~/.aws/config', () => {
  test('Export downloads a config with the sso-session and a profile per role, or only the favorites', async ({ page, portal, emulator }) => {
    const accounts = accountsWithRoles(emulator.ctx.directory, 'operator');
    const account = accountNamed(emulator.ctx.directory, 'payments-prod');
    const roleName = account.roles[0]!;
    const names = profileNames(accounts.map(({ accountId, accountName, roles }) => ({ accountId, accountName, roles })));
    const profile = names.get(`${account.accountId}/${roleName}`)!;
    await signInAs(page, portal, 'operator');
    await waitForListing(page);

    const exportButton = page.getByRole('button', { name: 'Export ~/.aws/config' });
    await exportButton.click();
    await expect(exportButton).toHaveAttribute('aria-expanded', 'true');
    const panel = page.getByRole('group', { name: 'Export ~/.aws/config' });
    await expect(panel.getByRole('radio', { name: 'All your roles' })).toBeChecked();
    const [all] = await Promise.all([page.waitForEvent('download'), panel.getByRole('button', { name: 'Download config' }).click()]);
    expect(all.suggestedFilename()).toBe('config');
    const config = await contentOf(all);
    expect(config).toMatch(/^\[sso-session [^\]]+\]$/m);
    // The demo's labels (`production` on *-prod accounts) are said in the profile's comment.
    const labelled = account.accountName.endsWith('-prod') ? ' [production]' : account.accountName.endsWith('-staging') ? ' [staging]' : '';
    expect(config).toContain(`[profile ${profile}]\n# ${account.accountName} (${account.accountId})${labelled}\n`);
    const profileCount = accounts.reduce((sum, a) => sum + a.roles.length, 0);
    expect(config.match(/^\[profile /gm)).toHaveLength(profileCount);
    // Every profile in the portal's default region (the demo's us-east-1) unless another is chosen.
    expect(config.match(/^region = us-east-1$/gm)).toHaveLength(profileCount);
    await expect(panel.getByRole('combobox', { name: 'Default region' })).toHaveValue('');
    await expect(panel.getByRole('combobox', { name: 'Default region' }).locator('option:checked')).toHaveText("us-east-1 (the portal's default)");
    await expect(panel).toContainText('Append the sections it does not have yet, or save this file elsewhere and set AWS_CONFIG_FILE to its path');
    await expect(panel.getByRole('status')).toHaveText(/^Downloaded\./);

    // Escape closes the panel and gives focus back to its button.
    await page.keyboard.press('Escape');
    await expect(panel).toHaveCount(0);
    await expect(exportButton).toBeFocused();

    // Only favorites, with a default region.
    const star = `Star ${roleName} in ${account.accountName}`;
    await openAccount(page, account);
    await allAccounts(page).getByRole('button', { name: star }).click();
    await expect(allAccounts(page).getByRole('button', { name: star })).toHaveAttribute('aria-pressed', 'true');
    try {
      await exportButton.click();
      await panel.getByRole('radio', { name: 'Only your favorites' }).check();
      await panel.getByRole('combobox', { name: 'Default region' }).selectOption('eu-north-1');
      const [favorites] = await Promise.all([page.waitForEvent('download'), panel.getByRole('button', { name: 'Download config' }).click()]);
      const favoritesConfig = await contentOf(favorites);
      expect(favoritesConfig).toContain('[sso-session ');
      expect(favoritesConfig.match(/^\[profile .+\]$/gm)).toEqual([`[profile ${profile}]`]);
      expect(favoritesConfig).toContain(`sso_account_id = ${account.accountId}\nsso_role_name = ${roleName}\nregion = eu-north-1\n`);
    } finally {
      await page.keyboard.press('Escape');
      await allAccounts(page).getByRole('button', { name: star }).click();
      await expect(allAccounts(page).getByRole('button', { name: star })).toHaveAttribute('aria-pressed', 'false');
    }
  });
});

// Last in the file: it changes the directory (and with it the listing the portal keeps for operator).
test.describe('role names with + = , @', () => {
  test('the access keys link, the deep link and the console shortcut carry the name intact', async ({ page, portal, emulator, context }) => {
    const original = emulator.ctx.directory;
    const account = accountNamed(original, 'payments-prod');
    const roleName = 'Deploy+Ops=eu,1@x';
    const changed: Directory = {
      ...original,
      roles: [...original.roles, { roleName, sessionDurationSeconds: 3600 }],
      assignments: [...original.assignments, { userName: 'operator', accountId: account.accountId, roleName }],
    };
    await emulatorAdmin(emulator).replaceDirectory(changed);
    try {
      await signInAs(page, portal, 'operator');
      await openAccount(page, account);
      await allAccounts(page).getByRole('button', { name: `Access keys for ${roleName} in ${account.accountName}` }).click();
      const link = page.getByRole('dialog', { name: `Access keys for ${roleName}` }).getByRole('link', { name: 'Open the role’s page' });
      await expect(link).toHaveAttribute('href', `/accounts/${account.accountId}/${encodeURIComponent(roleName)}`);
      await link.click();
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(roleName);
      await page.getByRole('button', { name: 'Get access keys' }).click();
      await expect(page.getByRole('timer')).toBeVisible();

      const shortcut = `${portal.url}/console/${account.accountId}/${encodeURIComponent(roleName)}?region=eu-west-1`;
      await page.getByRole('combobox', { name: 'Console region' }).selectOption('eu-west-1');
      await expect(page.getByRole('textbox', { name: /^Shortcut/ })).toHaveValue(shortcut);
      const [consoleTab] = await Promise.all([context.waitForEvent('page'), page.getByRole('link', { name: 'Open console' }).click()]);
      await consoleTab.waitForLoadState();
      await expect(consoleTab.locator('dl')).toContainText(`Role ${roleName}`);
    } finally {
      await emulatorAdmin(emulator).replaceDirectory(original);
    }
  });
});
