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

test('a not-found page names the part of the address that is wrong, and for a role the person does not have, lists their roles there', async ({ page, portal, emulator }) => {
  await signInAs(page, portal, 'developer');
  await page.goto(`${portal.url}/accounts/12345`);
  await expect(page.getByRole('heading', { level: 1, name: 'Not found' })).toBeVisible();
  await expect(page.getByText('"12345" is not an AWS account id: an account id is 12 digits.')).toBeVisible();

  const account = emulator.ctx.directory.accounts.find((entry) =>
    emulator.ctx.directory.assignments.some((assignment) => assignment.userName === 'developer' && assignment.accountId === entry.accountId),
  )!;
  const roles = emulator.ctx.directory.assignments
    .filter((assignment) => assignment.userName === 'developer' && assignment.accountId === account.accountId)
    .map((assignment) => assignment.roleName);
  await page.goto(`${portal.url}/accounts/${account.accountId}/${encodeURIComponent('not a role!')}`);
  await expect(page.getByText('"not a role!" is not a role name')).toBeVisible();

  const response = await page.goto(`${portal.url}/accounts/${account.accountId}/SomeoneElsesRole`);
  expect(response?.status()).toBe(404);
  await expect(page.getByText(`You have no role SomeoneElsesRole in ${account.accountName} (${account.accountId}).`)).toBeVisible();
  const listed = page.getByRole('region', { name: `Your roles in ${account.accountName}` });
  for (const role of roles) await expect(listed.getByRole('link', { name: role, exact: true })).toBeVisible();
  await listed.getByRole('link', { name: roles[0]!, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: roles[0]! })).toBeVisible();
  await expectNoViolations(page, 'the role page reached from the not-found page');
});
