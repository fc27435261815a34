import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { Page } from '@playwright/test';

import type { RunningEmulator } from '../../emulator/server';
import { accountsWithRoles, SANDBOX_REGION, SANDBOX_START_URL, startTwoOrganisations, type TwoOrganisations } from '../../scripts/support/organisations';
import { expect, test } from './fixtures';
import { allAccounts, approveSignIn, copyWith, expectNoViolations, searchBox } from './helpers';

/**
 * Several Identity Center instances in one portal: two emulators on two ports stand for two
 * organisations (production and a sandbox in another region), listed in a GATEHOUSE_CONFIG file.
 * One person signs in to both in one browser session, sees each organisation's accounts, and
 * takes credentials from each; the credentials are checked against the organisation that issued them.
 */

const setup = test.extend<object, { organisations: TwoOrganisations }>({
  organisations: [
    async ({}, use) => {
      const organisations = await startTwoOrganisations();
      await use(organisations);
      await organisations.close();
    },
    { scope: 'worker' },
  ],
});

const instanceTabs = (page: Page) => page.getByRole('navigation', { name: 'Identity Center instances' });


/** From the accounts page of one instance: open the account, follow "Access keys", get them, and read them back. */
async function takeCredentials(page: Page, account: { accountId: string; accountName: string; roles: string[] }) {
  const roleName = account.roles[0]!;
  await searchBox(page).fill(account.accountId);
  const row = allAccounts(page).locator(':scope > li').filter({ has: page.getByRole('button', { name: account.accountName }) });
  await expect(row.getByRole('list', { name: 'Roles' })).toContainText(roleName, { timeout: 45_000 });
  await row.getByRole('button', { name: account.accountName }).first().click();
  await allAccounts(page).getByRole('button', { name: `Access keys for ${roleName} in ${account.accountName}` }).click();
  await page.getByRole('dialog', { name: `Access keys for ${roleName}` }).getByRole('link', { name: 'Open the role’s page' }).click();
  await expect(page.getByRole('heading', { level: 1, name: roleName })).toBeVisible();
  await page.getByRole('button', { name: 'Get access keys', exact: true }).click();
  await expect(page.getByRole('timer')).toBeVisible();
  return {
    accessKeyId: await copyWith(page, 'Copy AWS access key ID'),
    secretAccessKey: await copyWith(page, 'Copy AWS secret access key'),
    sessionToken: await copyWith(page, 'Copy AWS session token'),
  };
}

/** Which account the organisation behind `emulator` says these credentials belong to. */
async function accountOf(emulator: RunningEmulator, region: string, credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string }) {
  const sts = new STSClient({ region, endpoint: emulator.url, credentials });
  const identity = await sts.send(new GetCallerIdentityCommand({}));
  return identity.Account;
}

setup.beforeEach(async ({ context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
});

setup('a person signs in to two Identity Center instances at once, sees both organisations’ accounts and takes credentials from each', async ({
  page,
  organisations,
}) => {
  const { production, sandbox, portal, nicknamed } = organisations;
  const productionAccounts = accountsWithRoles(production.ctx.directory, 'operator');
  const sandboxAccounts = accountsWithRoles(sandbox.ctx.directory, 'operator');

  // The sign-in page lists both instances.
  await page.goto(`${portal.url}/sign-in`);
  const choices = page.getByRole('list', { name: 'Identity Center instances' });
  await expect(choices.getByRole('heading', { name: 'Production' })).toBeVisible();
  await expect(choices.getByRole('heading', { name: 'Sandbox' })).toBeVisible();
  await expect(choices).toContainText(SANDBOX_START_URL);
  await expectNoViolations(page, 'the instance chooser');

  // Production first.
  await page.getByRole('link', { name: 'Sign in to Production' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in to Production' })).toBeVisible();
  await approveSignIn(page, 'operator');
  await expect(page).toHaveURL(`${portal.url}/accounts?instance=production`, { timeout: 20_000 });
  await expect(page.getByRole('banner')).toContainText('Signed in to Production');
  await expect(instanceTabs(page).getByRole('link', { name: /Production/ })).toHaveAttribute('aria-current', 'page');
  await expect(page.getByText(`${productionAccounts.length} accounts`, { exact: true })).toBeVisible({ timeout: 45_000 });
  // The configured nickname is shown with the account, and finds it.
  await searchBox(page).fill(nicknamed.nickname);
  await expect(allAccounts(page).getByRole('button', { name: new RegExp(`^${nicknamed.accountName}\\s*, nickname ${nicknamed.nickname}$`) })).toBeVisible();
  await searchBox(page).fill('');
  await expectNoViolations(page, 'the accounts page with instance tabs');

  // Then the sandbox, from its tab, in the same browser session.
  await instanceTabs(page).getByRole('link', { name: /Sandbox/ }).click();
  await expect(page.getByRole('heading', { name: 'Sign in to Sandbox' })).toBeVisible();
  await approveSignIn(page, 'operator');
  await expect(page).toHaveURL(`${portal.url}/accounts?instance=sandbox`, { timeout: 20_000 });
  await expect(page.getByText(`${sandboxAccounts.length} accounts`, { exact: true })).toBeVisible({ timeout: 45_000 });
  for (const account of sandboxAccounts) await expect(allAccounts(page)).toContainText(account.accountId);
  await expect(allAccounts(page)).not.toContainText(productionAccounts[0]!.accountId);

  // Credentials from the sandbox: they belong to the sandbox organisation's account.
  const sandboxAccount = sandboxAccounts[0]!;
  const fromSandbox = await takeCredentials(page, sandboxAccount);
  expect(page.url()).toContain('instance=sandbox');
  expect(await accountOf(sandbox, SANDBOX_REGION, fromSandbox)).toBe(sandboxAccount.accountId);

  // Back to production: still signed in there; its credentials belong to production's account.
  await page.goto(`${portal.url}/accounts`);
  await instanceTabs(page).getByRole('link', { name: /Production/ }).click();
  await expect(page).toHaveURL(`${portal.url}/accounts?instance=production`);
  const productionAccount = productionAccounts.find((account) => account.accountId === nicknamed.accountId)!;
  const fromProduction = await takeCredentials(page, productionAccount);
  expect(await accountOf(production, 'us-east-1', fromProduction)).toBe(productionAccount.accountId);
  // The console panel starts in the instance's own console region.
  await expect(page.getByRole('combobox', { name: 'Region' }).last()).toHaveValue('eu-central-1');

  // The activity page shows the hand-outs of both instances, each named.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Activity' }).click();
  const rows = page.getByRole('table').getByRole('row');
  await expect(rows.filter({ hasText: fromProduction.accessKeyId })).toContainText('Production');
  await expect(rows.filter({ hasText: fromSandbox.accessKeyId })).toContainText('Sandbox');
  await expectNoViolations(page, 'the activity page across instances');

  // Signed in to both, as the instances page says; signing out of the sandbox leaves production.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Instances' }).click();
  const cards = page.getByRole('list', { name: 'Identity Center instances' });
  await expect(cards.getByRole('listitem').filter({ hasText: 'Production' })).toContainText('Signed in as operator');
  await expect(cards.getByRole('listitem').filter({ hasText: 'Sandbox' })).toContainText('Signed in as operator');
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await expectNoViolations(page, `the instances page, signed in to both (${colorScheme})`);
  }
  await page.getByRole('button', { name: 'Sign out of Sandbox' }).click();
  await expect(page.getByRole('link', { name: 'Sign in to Sandbox' })).toBeVisible();
  await expect(cards.getByRole('listitem').filter({ hasText: 'Production' })).toContainText('Signed in as operator');
  await page.goto(`${portal.url}/accounts?instance=sandbox`);
  await expect(page).toHaveURL(/\/sign-in\?(.+&)?instance=sandbox/);
  await expect(page.getByRole('heading', { name: 'Sign in to Sandbox' })).toBeVisible();
});
