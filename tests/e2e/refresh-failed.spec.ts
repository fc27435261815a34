import { emulatorAdmin } from '../../scripts/support/emulator-admin';
import { expect, test } from './fixtures';
import { allAccounts, expectNoViolations, searchBox, signInAs, screenshotPath } from './helpers';

/** A Refresh that fails keeps what was on screen, says since when and what failed, and never spins beside "did not finish". */


test('a Refresh that fails keeps the last good roles, marked with their time, and says what failed', async ({ page, portal, emulator }) => {
  const directory = emulator.ctx.directory;
  const assignment = directory.assignments.find((a) => a.userName === 'developer')!;
  const account = directory.accounts.find((a) => a.accountId === assignment.accountId)!;
  const admin = emulatorAdmin(emulator);
  await signInAs(page, portal, 'developer');
  await expect(page.getByRole('progressbar')).toHaveCount(0, { timeout: 30_000 });

  // Identity Center fails every call about one account: the refresh cannot load its roles.
  await admin.faults({ error: 1_000, accountId: account.accountId });
  try {
    await page.getByRole('button', { name: 'Refresh' }).click();
    const kept = page.getByRole('status').filter({ hasText: 'Showing roles from' });
    await expect(kept).toHaveText(/^Showing roles from \d{1,2}:\d{2}:\d{2}( [AP]M)? for 1 account; the refresh failed: Identity Center did not answer; try again\./, {
      timeout: 30_000,
    });
    await expect(page.getByText('Refreshing your accounts…')).toHaveCount(0);
    await expect(page.getByText(/^Refreshed\./)).toHaveCount(0);
    await searchBox(page).fill(account.accountId);
    const row = allAccounts(page).locator(':scope > li').first();
    await expect(row.getByRole('list', { name: 'Roles' })).toContainText(assignment.roleName);
    await expect(row).not.toContainText('Roles could not be loaded');
    await page.screenshot({ path: screenshotPath('refresh-failed-kept-roles') });
    await expectNoViolations(page, 'a refresh that failed for one account');
    await searchBox(page).fill('');

    // Every call fails: the whole refresh fails, the accounts listed before stay, and nothing spins beside it.
    await admin.faults({ error: 1_000, accountId: null });
    await page.getByRole('button', { name: 'Refresh' }).click();
    const failed = page.getByRole('alert').filter({ hasText: 'The refresh failed.' });
    await expect(failed).toBeVisible({ timeout: 30_000 });
    await expect(failed).toContainText('The accounts and roles listed before are shown below.');
    await expect(page.getByText('Refreshing your accounts…')).toHaveCount(0);
    await expect(page.getByText('The listing did not finish.')).toHaveCount(0);
    await expect(allAccounts(page).locator(':scope > li').first()).toBeVisible();
  } finally {
    await admin.faults({ error: 0, accountId: null });
  }
});
