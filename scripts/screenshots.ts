/**
 * `npm run screenshots`: the README's pictures of the main pages, taken in Debian's Chromium from
 * the production build against the emulator (demo directory, user `operator`), and, for the
 * instance chooser, two emulated organisations. Builds first when the build is stale; writes
 * docs/screenshots/*.png.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import type { Browser, Page } from '@playwright/test';

import { createEmulator } from '../emulator/server';
import { ensureProductionBuild } from './production-build';
import { launchChromium } from './support/chromium';
import { startTwoOrganisations } from './support/organisations';
import { startPortal } from './support/portal-process';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = path.join(root, 'docs', 'screenshots');
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

async function approve(page: Page, userName: string): Promise<void> {
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByLabel('Your sign-in code').waitFor();
  const [approval] = await Promise.all([
    page.context().waitForEvent('page'),
    page.getByRole('link', { name: 'Open the Identity Center page' }).click(),
  ]);
  await approval.getByLabel('Sign in as').selectOption(userName);
  await approval.getByRole('button', { name: 'Approve' }).click();
  await approval.getByRole('heading', { name: 'Approved' }).waitFor();
  await approval.close();
}

async function shoot(page: Page, name: string): Promise<void> {
  // Caret and animations would make every run's pictures differ.
  await page.addStyleTag({ content: '*,*::before,*::after{animation:none!important;transition:none!important;caret-color:transparent!important}' });
  await page.screenshot({ path: path.join(out, `${name}.png`) });
  console.log(`docs/screenshots/${name}.png`);
}

async function demoPages(browser: Browser): Promise<void> {
  const emulator = await createEmulator({ port: 0 });
  const portal = await startPortal({ emulatorPort: emulator.port });
  try {
    for (const colorScheme of ['light', 'dark'] as const) {
      const context = await browser.newContext({ viewport: DESKTOP, colorScheme });
      const page = await context.newPage();
      await page.goto(`${portal.url}/sign-in`);
      if (colorScheme === 'light') {
        await page.getByRole('button', { name: 'Sign in', exact: true }).click();
        await page.getByLabel('Your sign-in code').waitFor();
        await shoot(page, 'sign-in');
        await page.goto(`${portal.url}/sign-in`);
      }
      await approve(page, 'operator');
      await page.waitForURL(`${portal.url}/accounts`);
      await page.getByRole('progressbar').waitFor({ state: 'detached', timeout: 60_000 });
      await shoot(page, colorScheme === 'light' ? 'accounts' : 'accounts-dark');
      if (colorScheme === 'light') {
        const account = emulator.ctx.directory.accounts.find((entry) => entry.accountName === 'payments-prod');
        const role = emulator.ctx.directory.assignments.find((a) => a.userName === 'operator' && a.accountId === account?.accountId);
        if (!account || !role) throw new Error('the demo directory has no payments-prod role for operator');
        // The keys dialog, opened from the list as people do most days.
        await page.getByRole('searchbox', { name: 'Search accounts and roles' }).fill(account.accountId);
        await page.getByRole('button', { name: account.accountName, exact: true }).first().click();
        await page.getByRole('button', { name: `Access keys for ${role.roleName} in ${account.accountName}` }).first().click();
        await page.getByRole('dialog', { name: `Access keys for ${role.roleName}` }).getByRole('timer').waitFor();
        await shoot(page, 'keys-dialog');
        await page.keyboard.press('Escape');
        // The compact view (remembered for the person: switched back after the picture).
        await page.getByRole('searchbox', { name: 'Search accounts and roles' }).fill('');
        const compact = page.getByRole('button', { name: 'Compact view' });
        await compact.click();
        await page.locator('[aria-pressed="true"]', { hasText: 'Compact view' }).waitFor();
        await shoot(page, 'accounts-compact');
        await compact.click();
        await page.goto(`${portal.url}/terminal`);
        await page.getByRole('heading', { level: 1, name: 'From your terminal' }).waitFor();
        await shoot(page, 'terminal');
        await page.goto(`${portal.url}/accounts/${account.accountId}/${role.roleName}`);
        await page.getByRole('button', { name: 'Get access keys', exact: true }).click();
        await page.getByRole('timer').waitFor();
        await shoot(page, 'access-keys');
        await page.goto(`${portal.url}/activity`);
        await page.getByRole('heading', { level: 1, name: 'Your activity' }).waitFor();
        await shoot(page, 'activity');
        await page.setViewportSize(PHONE);
        await page.goto(`${portal.url}/accounts`);
        await page.getByRole('progressbar').waitFor({ state: 'detached', timeout: 60_000 });
        await shoot(page, 'accounts-phone');
      }
      await context.close();
    }
  } finally {
    await portal.stop();
    await emulator.close();
  }
}

async function instancePages(browser: Browser): Promise<void> {
  const organisations = await startTwoOrganisations();
  try {
    const context = await browser.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    await page.goto(`${organisations.portal.url}/sign-in?instance=production`);
    await approve(page, 'operator');
    await page.waitForURL(/\/accounts\?instance=production$/);
    await page.goto(`${organisations.portal.url}/sign-in`);
    await page.getByRole('link', { name: 'Sign in to Sandbox' }).waitFor();
    await shoot(page, 'instances');
    await context.close();
  } finally {
    await organisations.close();
  }
}

await ensureProductionBuild(root);
mkdirSync(out, { recursive: true });
const browser = await launchChromium();
try {
  await demoPages(browser);
  await instancePages(browser);
} finally {
  await browser.close();
}
