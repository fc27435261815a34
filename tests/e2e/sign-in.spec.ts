import type { Page } from '@playwright/test';

import { emulatorAdmin } from '../../scripts/support/emulator-admin';
import { expect, test } from './fixtures';

/** Presses Sign in, reads the code and opens the Identity Center page in a new tab, as a person does. */
async function startSignIn(page: Page, portalUrl: string) {
  await page.goto(`${portalUrl}/sign-in`);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const code = (await page.getByLabel('Your sign-in code').textContent())?.trim() ?? '';
  expect(code).toMatch(/^[A-Z]{4}-[A-Z]{4}$/);
  await expect(page.getByText('Check that the Identity Center page shows exactly this code')).toBeVisible();
  const [approvalPage] = await Promise.all([
    page.context().waitForEvent('page'),
    page.getByRole('link', { name: 'Open the Identity Center page' }).click(),
  ]);
  await approvalPage.waitForLoadState();
  return { code, approvalPage };
}

test('a person signs in as operator and lands on their accounts', async ({ page, portal }) => {
  const { code, approvalPage } = await startSignIn(page, portal.url);
  await expect(approvalPage.getByRole('heading', { name: 'Authorize request' })).toBeVisible();
  // The approval page names the portal that asks, and shows the same code.
  await expect(approvalPage.getByText(`Gatehouse (127.0.0.1:${portal.port})`)).toBeVisible();
  await expect(approvalPage.getByText(code, { exact: true })).toBeVisible();
  await approvalPage.getByLabel('Sign in as').selectOption('operator');
  await approvalPage.getByRole('button', { name: 'Approve' }).click();
  await expect(approvalPage.getByRole('heading', { name: 'Approved' })).toBeVisible();

  await expect(page).toHaveURL(`${portal.url}/accounts`, { timeout: 20_000 });
  await expect(page.getByRole('heading', { level: 1, name: 'Accounts' })).toBeVisible();
  await expect(page.getByText(/^Signed in/)).toBeVisible();
  // The cookie is not readable by scripts.
  expect(await page.evaluate(() => document.cookie)).not.toContain('gatehouse');

  // Sign out returns to the sign-in page; the accounts page then asks to sign in.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in\?reason=signed-out$/);
  await expect(page.getByText('You are signed out.')).toBeVisible();
  await page.goto(`${portal.url}/accounts`);
  await expect(page).toHaveURL(`${portal.url}/sign-in`);
});

test('a denied sign-in says so and offers a new code', async ({ page, portal }) => {
  const { approvalPage } = await startSignIn(page, portal.url);
  await approvalPage.getByRole('button', { name: 'Deny' }).click();
  await expect(approvalPage.getByRole('heading', { name: 'Denied' })).toBeVisible();

  await expect(page.getByRole('alert').filter({ hasText: 'The sign-in was denied' })).toBeVisible({ timeout: 20_000 });
  await page.getByRole('button', { name: 'Get a new code' }).click();
  await expect(page.getByLabel('Your sign-in code')).toBeVisible();
});

test('an expired code says so and offers a new one', async ({ page, portal, emulator }) => {
  await emulatorAdmin(emulator).knobs({ deviceCodeTtlSeconds: 3 });
  try {
    await page.goto(`${portal.url}/sign-in`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByLabel('Your sign-in code')).toBeVisible();
    await expect(page.getByRole('alert').filter({ hasText: 'The code expired before it was approved' })).toBeVisible({ timeout: 20_000 });
    await expect(page.getByRole('button', { name: 'Get a new code' })).toBeVisible();
  } finally {
    await emulatorAdmin(emulator).knobs({ deviceCodeTtlSeconds: 600 });
  }
});

test('the accounts page sends a signed-out person to sign in', async ({ page, portal }) => {
  await page.goto(`${portal.url}/accounts`);
  await expect(page).toHaveURL(`${portal.url}/sign-in`);
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
});
