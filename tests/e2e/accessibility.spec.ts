import { expect, test } from './fixtures';
import { expectNoViolations, signInAs } from './helpers';

/** axe-core (WCAG 2.1 A and AA rules) on the main pages, in the light and the dark theme. */

for (const colorScheme of ['light', 'dark'] as const) {
  test.describe(`${colorScheme} theme`, () => {
    test.use({ colorScheme });

    test('the home and sign-in pages have no accessibility violations', async ({ page, portal }) => {
      await page.goto(portal.url);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      await expectNoViolations(page, 'the home page');
      await page.goto(`${portal.url}/sign-in`);
      await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
      await expectNoViolations(page, 'the sign-in page');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect(page.getByLabel('Your sign-in code')).toBeVisible();
      await expectNoViolations(page, 'the sign-in page showing a code');
    });

    test('the accounts, access keys and activity pages have no accessibility violations', async ({ page, portal, emulator }) => {
      await signInAs(page, portal, 'developer');
      await expect(page.getByRole('progressbar')).toHaveCount(0, { timeout: 30_000 });
      await expectNoViolations(page, 'the accounts page');

      const account = emulator.ctx.directory.accounts.find((entry) =>
        emulator.ctx.directory.assignments.some((assignment) => assignment.userName === 'developer' && assignment.accountId === entry.accountId),
      )!;
      const roleName = emulator.ctx.directory.assignments.find(
        (assignment) => assignment.userName === 'developer' && assignment.accountId === account.accountId,
      )!.roleName;
      await page.goto(`${portal.url}/accounts/${account.accountId}/${roleName}`);
      await page.getByRole('button', { name: /Get access keys/ }).click();
      await expect(page.getByText(/expires in/i).first()).toBeVisible();
      await expectNoViolations(page, 'the access keys page');

      await page.goto(`${portal.url}/activity`);
      await expect(page.getByRole('heading', { level: 1, name: 'Your activity' })).toBeVisible();
      await expectNoViolations(page, 'the activity page');
    });

    test('the account page, the Terminal page and the not-found page have no accessibility violations', async ({ page, portal, emulator }) => {
      await signInAs(page, portal, 'developer');
      const account = emulator.ctx.directory.accounts.find((entry) =>
        emulator.ctx.directory.assignments.some((assignment) => assignment.userName === 'developer' && assignment.accountId === entry.accountId),
      )!;
      await page.goto(`${portal.url}/accounts/${account.accountId}`);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      await expectNoViolations(page, 'the account page');
      await page.goto(`${portal.url}/terminal`);
      await expect(page.getByRole('heading', { level: 1, name: 'From your terminal' })).toBeVisible();
      await expectNoViolations(page, 'the Terminal page');
      await page.goto(`${portal.url}/accounts/${account.accountId}/SomeoneElsesRole`);
      await expect(page.getByRole('heading', { level: 1, name: 'Not found' })).toBeVisible();
      await expectNoViolations(page, 'the not-found page listing the roles');
    });

    test('the Activity page on a phone (390 px) shows every field of its rows and sessions, with no accessibility violations', async ({ page, portal, emulator }) => {
      await page.setViewportSize({ width: 390, height: 844 });
      await signInAs(page, portal, 'developer');
      const assignment = emulator.ctx.directory.assignments.find((entry) => entry.userName === 'developer')!;
      await page.goto(`${portal.url}/accounts/${assignment.accountId}/${assignment.roleName}`);
      await page.getByRole('button', { name: /Get access keys/ }).click();
      await expect(page.getByText(/expires in/i).first()).toBeVisible();
      await page.goto(`${portal.url}/activity`);
      const rows = page.getByRole('list', { name: 'Your activity, newest first' });
      await expect(rows).toBeVisible();
      const taken = rows.getByRole('listitem').filter({ hasText: 'Credentials taken' }).first();
      for (const field of ['Account', 'Role', 'Access key', 'Expires']) await expect(taken.getByText(field, { exact: true })).toBeVisible();
      await expect(taken.getByText(assignment.roleName, { exact: true })).toBeVisible();
      // Nothing wider than the screen: no sideways scrolling to read a row.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await expect(page.getByRole('list', { name: 'Your sessions' }).getByText('This browser')).toBeVisible();
      await expectNoViolations(page, 'the Activity page at 390 px');
    });

    test('the terminal confirmation page and the notice of a new terminal have no accessibility violations', async ({ page, portal, emulator }) => {
      await signInAs(page, portal, 'developer');
      // A terminal's sign-in, as `gatehouse login` starts it.
      const started = await fetch(`${portal.url}/api/cli/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      const login = (await started.json()) as { loginToken: string; confirmUrl: string };
      await page.goto(login.confirmUrl);
      await expect(page.getByRole('button', { name: /Confirm/ })).toBeVisible();
      await expectNoViolations(page, 'the terminal confirmation page');
      await page.getByRole('button', { name: /Confirm/ }).click();
      await expect(page.getByRole('link', { name: 'Open Identity Center' })).toBeVisible();
      await expectNoViolations(page, 'the terminal confirmation page at its Identity Center step');
      const code = (await page.getByText(/^[A-Z]{4}-[A-Z]{4}$/).textContent())?.trim() ?? '';
      emulator.admin.approve(code, 'developer');
      // The terminal polls its sign-in to the end, as the command does.
      await expect
        .poll(
          async () => {
            const answer = await fetch(`${portal.url}/api/cli/login/poll`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', authorization: `Bearer ${login.loginToken}` },
              body: '{}',
            });
            return ((await answer.json()) as { status: string }).status;
          },
          { timeout: 20_000 },
        )
        .toBe('approved');
      await expect(page.getByText('Your terminal is signed in.')).toBeVisible({ timeout: 20_000 });
      await page.goto(`${portal.url}/accounts`);
      await expect(page.getByText(/^(A terminal|\d+ terminals) signed in as you$/)).toBeVisible();
      await expectNoViolations(page, 'the accounts page with the notice of a new terminal');
      await page.getByRole('status').filter({ hasText: /signed in as you/ }).getByRole('button', { name: 'Dismiss' }).click();
      await expect(page.getByText(/^(A terminal|\d+ terminals) signed in as you$/)).toHaveCount(0);
    });
  });
}
