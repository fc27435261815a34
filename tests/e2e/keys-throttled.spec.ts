import { emulatorAdmin } from '../../scripts/support/emulator-admin';
import { expect, test } from './fixtures';
import { signInAs } from './helpers';

/** Throttling on the keys page is waited out for the person, within a budget: one press of Get access keys is enough. */

test('throttled keys arrive after one press: the page waits out the busy answers itself', async ({ page, portal, emulator }) => {
  test.setTimeout(90_000);
  const directory = emulator.ctx.directory;
  const assignment = directory.assignments.find((a) => a.userName === 'developer')!;
  await signInAs(page, portal, 'developer');
  // The listing has the role (the portal checks it without asking Identity Center).
  await expect(page.getByRole('progressbar')).toHaveCount(0, { timeout: 30_000 });
  // Identity Center throttles more calls about this account than the portal retries on its own.
  await emulatorAdmin(emulator).faults({ throttle: 7, accountId: assignment.accountId });
  try {
    await page.goto(`${portal.url}/accounts/${assignment.accountId}/${encodeURIComponent(assignment.roleName)}`);
    await page.getByRole('button', { name: 'Get access keys' }).click();
    await expect(page.getByRole('timer')).toBeVisible({ timeout: 60_000 });
    await expect(page.getByRole('main').getByRole('alert')).toHaveCount(0);
    expect((await emulatorAdmin(emulator).faults()).throttle).toBe(0);
  } finally {
    await emulatorAdmin(emulator).faults({ throttle: 0, accountId: null });
  }
});
