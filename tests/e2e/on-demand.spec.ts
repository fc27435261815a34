import { expect, test } from './fixtures';
import { signInAs } from './helpers';

test('the Export panel says so when its code cannot be fetched, and the page goes on working', async ({ page, portal }) => {
  await signInAs(page, portal, 'developer');
  await expect(page.getByRole('progressbar')).toHaveCount(0, { timeout: 30_000 });
  // The panel's code is fetched on first use; from now on the network refuses the page's code.
  await page.route('**/_next/static/chunks/**', (route) => route.abort());
  await page.getByRole('button', { name: 'Export ~/.aws/config' }).click();
  const panel = page.getByRole('group', { name: 'Export ~/.aws/config' });
  await expect(panel.getByRole('alert')).toHaveText('The export could not be loaded. Reload the page to try again.');
  await expect(page.getByRole('heading', { level: 1, name: 'Accounts' })).toBeVisible();
  await expect(page.getByRole('searchbox', { name: 'Search accounts and roles' })).toBeVisible();
});
