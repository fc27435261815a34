import { hostname } from 'node:os';

import { accountsOfUser, rolesOfUser } from '../../emulator/directory';
import { cliHome, type CliHome, gatehouse, installFromPortal, type InstalledCli, startLogin } from '../../scripts/support/gatehouse-cli';
import type { Page } from '@playwright/test';

import { expect, test } from './fixtures';
import { approveSignIn, copyWith, signInAs } from './helpers';

/**
 * The terminal from the browser, as a person meets it: the Terminal page's install and sign-in lines
 * (copied, then run), the printed link opened in the browser where the person checks the terminal's
 * address, label, time and words and confirms it, the Identity Center code approved, a notice of the
 * new terminal on the next page, the terminal on the Activity page, and Revoke all terminals ending
 * it: the next `gatehouse credential-process` fails with one line saying when and by whom.
 */

const USER = 'developer';
const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** On the confirmation page: the terminal's details and words, Confirm, then the Identity Center step approved in its own tab. */
async function confirmAndApprove(page: Page, words: string): Promise<void> {
  await expect(page.getByRole('heading', { level: 1, name: 'Confirm a terminal' })).toBeVisible();
  await expect(page.getByText(new RegExp(`^gatehouse-cli/\\S+ \\(${escaped(hostname())}; `))).toBeVisible();
  await expect(page.getByText('127.0.0.1', { exact: true })).toBeVisible();
  await expect(page.getByText('Asked at')).toBeVisible();
  await expect(page.getByTestId('confirmation-words')).toHaveText(words);
  await page.getByRole('button', { name: /Confirm/ }).click();
  await expect(page.getByRole('heading', { name: 'Now approve it at Identity Center' })).toBeVisible();
  const code = (await page.getByText(/^[A-Z]{4}-[A-Z]{4}$/).textContent())?.trim() ?? '';
  const [approvalPage] = await Promise.all([page.context().waitForEvent('page'), page.getByRole('link', { name: 'Open Identity Center' }).click()]);
  await approvalPage.waitForLoadState();
  // Identity Center's page says a terminal of this portal asks, with the code the portal showed.
  await expect(approvalPage.getByText(code, { exact: true })).toBeVisible();
  await expect(approvalPage.getByText(/Gatehouse terminal \(/)).toBeVisible();
  await approvalPage.getByLabel('Sign in as').selectOption(USER);
  await approvalPage.getByRole('button', { name: 'Approve' }).click();
  await expect(approvalPage.getByRole('heading', { name: 'Approved' })).toBeVisible();
  await approvalPage.close();
  await expect(page.getByText('Your terminal is signed in.')).toBeVisible({ timeout: 20_000 });
}

test.describe('the gatehouse command from the portal', () => {
  let cli: InstalledCli | undefined;
  let home: CliHome | undefined;

  test.beforeEach(async ({ context }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  });
  test.afterEach(() => {
    home?.remove();
    cli?.remove();
  });

  test('installed from the Terminal page, confirmed in the portal, noticed on the next page, and revoked with Revoke all terminals', async ({ page, portal, emulator }) => {
    test.setTimeout(180_000);
    const accountId = accountsOfUser(emulator.ctx.directory, USER)[0]!.accountId;
    const roleName = [...rolesOfUser(emulator.ctx.directory, USER, accountId)].sort()[0]!;
    await signInAs(page, portal, USER);

    // The Terminal page gives the lines to paste, with this portal's address filled in.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Terminal' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'From your terminal' })).toBeVisible();
    expect(await copyWith(page, 'Copy the install command')).toBe(`npm install -g --prefix ~/.local ${portal.url}/cli/gatehouse.tgz`);
    expect(await copyWith(page, 'Copy the sign-in command')).toBe(`gatehouse login --portal ${portal.url}`);

    // What the lines do, run in a terminal of the test's own (no display: nothing opens a browser).
    cli = await installFromPortal(portal.url);
    home = cliHome(cli);
    const login = await startLogin(home, portal.url, []);
    expect(login.link).toMatch(new RegExp(`^${escaped(portal.url)}/terminal/confirm\\?request=[A-Za-z0-9_-]{43}$`));

    // The person opens the printed link in the browser, checks what asks, confirms, and approves at Identity Center.
    await page.goto(login.link);
    await confirmAndApprove(page, login.words);
    const signedIn = await login.finished;
    expect(signedIn.code).toBe(0);
    expect(signedIn.stderr).toContain(`Signed in as ${USER} to ${portal.url}`);

    const handedOut = await gatehouse(home, ['credential-process', '--account', accountId, '--role', roleName]);
    expect(handedOut.code).toBe(0);
    expect(JSON.parse(handedOut.stdout)).toMatchObject({ Version: 1, AccessKeyId: expect.stringMatching(/^ASIA/) as unknown });

    // The next page says a terminal signed in, until dismissed.
    await page.goto(`${portal.url}/accounts`);
    // (Other tests of this worker's portal may have signed terminals in as the same person: the notice counts them all.)
    const notice = page.getByRole('status').filter({ hasText: /(A terminal|\d+ terminals) signed in as you/ });
    await expect(notice).toBeVisible();
    await expect(notice.getByRole('listitem').filter({ hasText: `(${hostname()}; ` })).toHaveCount(1);
    await notice.getByRole('button', { name: 'Dismiss' }).click();
    await expect(notice).toHaveCount(0);
    await page.reload();
    await expect(page.getByText(/(A terminal|\d+ terminals) signed in as you/)).toHaveCount(0);

    // The Activity page lists the terminal; Revoke all terminals ends it.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Activity' }).click();
    const sessions = page.getByRole('table', { name: 'Your sessions, this browser first, then the newest' });
    await expect(sessions.getByRole('button', { name: new RegExp(`^Revoke the terminal session from gatehouse-cli/\\S+ \\(${escaped(hostname())}; `) })).toHaveCount(1);
    // This browser is listed too, marked, without a Revoke of its own.
    await expect(sessions.getByRole('row').filter({ hasText: 'This browser' })).toHaveCount(1);
    await page.getByRole('button', { name: 'Revoke all terminals' }).click();
    await page.getByRole('button', { name: 'Yes, revoke all' }).click();
    await expect(page.getByText('No terminal is signed in.')).toBeVisible();

    const refused = await gatehouse(home, ['credential-process', '--account', accountId, '--role', roleName]);
    expect(refused.code).not.toBe(0);
    expect(refused.stdout).toBe('');
    const lines = refused.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`was revoked on \\d{4}-\\d\\d-\\d\\d at \\d\\d:\\d\\d UTC by ${USER} `));
    expect(lines[0]).toContain('gatehouse login');
  });

  test('a browser not signed in signs in first and comes back to the confirmation', async ({ browser, portal }) => {
    test.setTimeout(180_000);
    cli = await installFromPortal(portal.url);
    home = cliHome(cli);
    const login = await startLogin(home, portal.url, []);
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(login.link);
    await expect(page).toHaveURL(/\/sign-in\?next=/);
    await approveSignIn(page, USER);
    await expect(page).toHaveURL(login.link, { timeout: 20_000 });
    await confirmAndApprove(page, login.words);
    expect((await login.finished).code).toBe(0);
    await context.close();
  });
});
