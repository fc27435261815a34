import { startRedis } from '../../scripts/support/redis';
import { startPortal } from '../../scripts/support/portal-process';

import { expect, test } from './fixtures';
import { expectNoViolations, signInAs } from './helpers';

test('a page that cannot be shown says so, with the way back and a reference to quote', async ({ page, emulator }) => {
  const redis = await startRedis({ persist: true });
  const portal = await startPortal({
    emulatorPort: emulator.port,
    env: { REDIS_URL: redis.url, SESSION_SECRET: 'error-pages-test-session-secret-0123456789' },
  });
  try {
    await signInAs(page, portal, 'developer');
    await redis.halt();
    await page.goto(`${portal.url}/activity`);
    await expect(page.getByRole('heading', { level: 1, name: 'Something went wrong' })).toBeVisible();
    await expect(page.getByText('This page could not be shown. Try again in a moment.')).toBeVisible();
    await expect(page.getByText(/^Request id: [0-9a-f-]{36}/)).toBeVisible();
    await expectNoViolations(page, 'the error page');

    await redis.start();
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.reload();
    await expect(page.getByRole('heading', { level: 1, name: 'Your activity' })).toBeVisible();

    await page.goto(`${portal.url}/no-such-page`);
    await expect(page.getByRole('heading', { level: 1, name: 'Not found' })).toBeVisible();
    await page.getByRole('link', { name: 'Back to your accounts' }).click();
    await expect(page).toHaveURL(`${portal.url}/accounts`);
  } finally {
    await portal.stop();
    await redis.stop();
  }
});
