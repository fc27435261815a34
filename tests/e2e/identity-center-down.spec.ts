import type { Page } from '@playwright/test';

import { generateOrganisation } from '../../emulator/directory';
import { expect, test } from './fixtures';
import { expectNoViolations, signInAs, screenshotPath } from './helpers';
import { type Organisation, startOrganisation } from './organisation';

/**
 * Identity Center gone mid-load (the emulator stops listening, then listens again on the same port,
 * with the same sessions): the page says Identity Center is not answering and when it tries again,
 * never that the session ended, and goes on by itself once Identity Center is back, with no reload.
 */

let org: Organisation;

test.beforeAll(async () => {
  const directory = generateOrganisation({ accounts: 2_000, rolesPerAccount: 1, users: ['developer'], seed: 15 });
  org = await startOrganisation({ directory, emulator: { rateLimit: 40 }, env: { IDC_RATE_LIMIT: '30' } });
});

test.afterAll(async () => {
  await org?.close();
});

/** How many accounts' roles have loaded, as the progress line says. */
async function loadedCount(page: Page): Promise<number> {
  const text = (await page.locator('#roles-progress-label').textContent().catch(() => null)) ?? '';
  const match = /Loading roles… ([\d,]+) of/.exec(text);
  return match ? Number(match[1]!.replace(/,/g, '')) : -1;
}

test('Identity Center stopping mid-load is said as such, and the page resumes by itself when it is back', async ({ page }) => {
  test.setTimeout(120_000);
  await signInAs(page, org.portal, 'developer');
  await expect(page.getByText(/Loading roles… [\d,]+ of 2,000 accounts/)).toBeVisible({ timeout: 30_000 });
  // Marks this page: a reload would lose it.
  await page.evaluate(() => {
    (window as unknown as { stillThisPage: boolean }).stillThisPage = true;
  });

  await org.emulator.suspend();
  let resumed = false;
  try {
    const notice = page.getByText('Identity Center is not answering.');
    await expect(notice).toBeVisible({ timeout: 30_000 });
    await expect(page.getByText(/Gatehouse tries again at \d{1,2}:\d{2}:\d{2}/)).toBeVisible();
    await expect(page.getByText(/session (has )?ended/i)).toHaveCount(0);
    await expect(page.getByText(/could not be loaded/)).toHaveCount(0);
    const atOutage = await loadedCount(page);
    await page.screenshot({ path: screenshotPath('identity-center-down') });
    await expectNoViolations(page, 'the accounts page with Identity Center not answering');
    await page.emulateMedia({ colorScheme: 'dark' });
    await expectNoViolations(page, 'the accounts page with Identity Center not answering, dark');
    await page.screenshot({ path: screenshotPath('identity-center-down-dark') });
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: screenshotPath('identity-center-down-390') });
    await page.setViewportSize({ width: 1280, height: 900 });

    await org.emulator.resume();
    resumed = true;
    await expect(notice).toHaveCount(0, { timeout: 40_000 });
    await expect.poll(() => loadedCount(page), { timeout: 30_000 }).toBeGreaterThan(atOutage);
    expect(await page.evaluate(() => (window as unknown as { stillThisPage?: boolean }).stillThisPage)).toBe(true);
    await expect(page).toHaveURL(`${org.portal.url}/accounts`);
    await expect(page.getByText(/could not be loaded/)).toHaveCount(0);
  } finally {
    if (!resumed) await org.emulator.resume();
  }
});
