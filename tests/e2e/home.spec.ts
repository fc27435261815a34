import { expect, test } from './fixtures';

test('the home page says it is a demo and names the emulator', async ({ page, portal, emulator }) => {
  await page.goto(portal.url);
  await expect(page).toHaveTitle('Gatehouse');
  await expect(page.getByRole('heading', { level: 1, name: 'AWS access for your team' })).toBeVisible();
  const banner = page.getByRole('region', { name: 'Demo mode' });
  await expect(banner).toBeVisible();
  await expect(banner).toContainText('Demo mode.');
  await expect(banner).toContainText(`http://127.0.0.1:${emulator.port}`);
});
