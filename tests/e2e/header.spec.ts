import { expect, test } from './fixtures';
import { signInAs } from './helpers';

test('the header names the person as soon as the accounts listing learns who signed in', async ({ page, portal }) => {
  // Just after sign-in the session does not know the person's name; the listing learns it from Identity
  // Center. The header's own session check is kept from answering, so only the listing can name them.
  await page.route('**/api/session**', (route) => route.abort());
  await signInAs(page, portal, 'developer');
  await expect(page.getByRole('banner')).toContainText('Signed in as developer');
});
