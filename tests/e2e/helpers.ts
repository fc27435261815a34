import path from 'node:path';

import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from '@playwright/test';

import { expect } from './fixtures';

/** The accounts page's search box and its list of every account. */
export const searchBox = (page: Page) => page.getByRole('searchbox', { name: 'Search accounts and roles' });
export const allAccounts = (page: Page) => page.getByRole('list', { name: 'All accounts' });

/**
 * Signs in through the UI as a person does: Sign in, open the Identity Center page from the link,
 * check the code, pick the user, Approve; then waits until the portal shows the accounts page.
 */
export async function signInAs(page: Page, portal: { url: string }, userName: string): Promise<void> {
  await page.goto(`${portal.url}/sign-in`);
  await approveSignIn(page, userName);
  await expect(page).toHaveURL(`${portal.url}/accounts`, { timeout: 20_000 });
}

/**
 * On a sign-in page: Sign in, open the Identity Center page from the link, check the code, pick
 * the user and Approve. The caller waits for where the portal goes next.
 */
export async function approveSignIn(page: Page, userName: string): Promise<void> {
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  const code = (await page.getByLabel('Your sign-in code').textContent())?.trim() ?? '';
  expect(code).toMatch(/^[A-Z]{4}-[A-Z]{4}$/);
  const [approvalPage] = await Promise.all([
    page.context().waitForEvent('page'),
    page.getByRole('link', { name: 'Open the Identity Center page' }).click(),
  ]);
  await approvalPage.waitForLoadState();
  await expect(approvalPage.getByText(code, { exact: true })).toBeVisible();
  await approvalPage.getByLabel('Sign in as').selectOption(userName);
  await approvalPage.getByRole('button', { name: 'Approve' }).click();
  await expect(approvalPage.getByRole('heading', { name: 'Approved' })).toBeVisible();
  await approvalPage.close();
}

/** Signs out with the header's button and waits for the sign-in page. */
export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in\?reason=signed-out$/);
}

/** axe-core with the WCAG 2.1 A and AA rules: the page must have no violations. */
export async function expectNoViolations(page: Page, what: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const summary = results.violations.map(
    (violation) => `${violation.id} (${violation.impact}): ${violation.help} — ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
  );
  expect(summary, `axe violations on ${what}`).toEqual([]);
}

/** Presses a Copy button, waits for "Copied", and gives back what is on the clipboard. */
export async function copyWith(page: Page, name: string): Promise<string> {
  const button = page.getByRole('button', { name, exact: true });
  await button.click();
  await expect(button).toHaveText('Copied');
  return page.evaluate(() => navigator.clipboard.readText());
}

/** Where a test's pictures of a page go (test-results/ is not kept in the repository): to be looked at after a run. */
export const screenshotPath = (name: string): string => path.join('test-results', 'screenshots', `${name}.png`);

/**
 * "Forget my saved listing" on the Activity page, as a person does for a fresh start: their next
 * visit to the accounts page lists from Identity Center, with nothing kept from before.
 */
export async function forgetSavedListing(page: Page, portal: { url: string }): Promise<void> {
  await page.goto(`${portal.url}/activity`);
  const forget = page.getByRole('button', { name: 'Forget my saved listing' });
  if ((await forget.count()) > 0) await forget.click();
  await expect(page.getByText('Nothing is saved.', { exact: false })).toBeVisible();
}
