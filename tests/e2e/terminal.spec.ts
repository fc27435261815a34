import { hostname } from 'node:os';

import { accountsOfUser, rolesOfUser } from '../../emulator/directory';
import { cliHome, type CliHome, gatehouse, installFromPortal, type InstalledCli, startLogin } from '../../scripts/support/gatehouse-cli';
import { expect, test } from './fixtures';
import { copyWith, signInAs } from './helpers';

/**
 * The terminal from the browser, as a person meets it: the Terminal page's install and sign-in lines
 * (copied, then run), the code approved in the same browser, the terminal on the Activity page, and
 * Revoke there ending it: the next `gatehouse credential-process` fails with one line saying what to do.
 */

const USER = 'developer';

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

  test('installed and signed in from the Terminal page, seen and revoked on the Activity page', async ({ page, portal, emulator }) => {
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

    // The person opens the printed link in the browser, checks the code, and approves.
    await page.goto(login.link);
    await expect(page.getByText(login.userCode, { exact: true })).toBeVisible();
    await page.getByLabel('Sign in as').selectOption(USER);
    await page.getByRole('button', { name: 'Approve' }).click();
    await expect(page.getByRole('heading', { name: 'Approved' })).toBeVisible();
    const signedIn = await login.finished;
    expect(signedIn.code).toBe(0);
    expect(signedIn.stderr).toContain(`Signed in as ${USER} to ${portal.url}`);

    const handedOut = await gatehouse(home, ['credential-process', '--account', accountId, '--role', roleName]);
    expect(handedOut.code).toBe(0);
    expect(JSON.parse(handedOut.stdout)).toMatchObject({ Version: 1, AccessKeyId: expect.stringMatching(/^ASIA/) as unknown });

    // The Activity page lists the terminal; Revoke ends it.
    await page.goto(portal.url);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Activity' }).click();
    const terminals = page.getByRole('table', { name: 'Your terminal sessions, newest first' });
    const revoke = terminals.getByRole('button', { name: new RegExp(`^Revoke the terminal session from gatehouse-cli/\\S+ \\(${hostname().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}; `) });
    await expect(revoke).toHaveCount(1);
    await revoke.click();
    await expect(page.getByText('No terminal is signed in.')).toBeVisible();

    const refused = await gatehouse(home, ['credential-process', '--account', accountId, '--role', roleName]);
    expect(refused.code).not.toBe(0);
    expect(refused.stdout).toBe('');
    expect(refused.stderr.trimEnd().split('\n')).toEqual([expect.stringContaining('run `gatehouse login`') as unknown]);
  });
});
