import { emulatorAdmin } from '../../scripts/support/emulator-admin';
import { expect, test } from './fixtures';
import { expectNoViolations, signInAs } from './helpers';

test('the header counts down to the end of a short Identity Center session, and warns', async ({ page, portal, emulator }) => {
  // Identity Center's own session lasts 90 s; the portal's would last an hour.
  await emulatorAdmin(emulator).knobs({ ssoSessionTtlSeconds: 90 });
  try {
    await signInAs(page, portal, 'developer');
    const header = page.getByRole('banner');
    const warning = header.getByRole('status').filter({ hasText: /session ends in (1 min|less than a minute)/ });
    await expect(warning).toBeVisible({ timeout: 30_000 });
    await expect(warning).toContainText('Identity Center sign-in ends then');
    await expect(header).not.toContainText(/session ends in \d+ h|session ends in [2-9]\d? min/);
    await expectNoViolations(page, 'the accounts page with the session warning');
  } finally {
    await emulatorAdmin(emulator).knobs({ ssoSessionTtlSeconds: 28_800 });
  }
});
