/** One Identity Center organisation of the tests' choosing behind a portal of its own (a GATEHOUSE_CONFIG file, nicknames included). */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { Page } from '@playwright/test';

import { createEmulator, type EmulatorOptions, type RunningEmulator } from '../../emulator/server';
import type { Directory } from '../../emulator/types';
import { type RunningPortal, startPortal } from '../../scripts/support/portal-process';

export interface Organisation {
  emulator: RunningEmulator;
  portal: RunningPortal;
  directory: Directory;
  close(): Promise<void>;
}

export async function startOrganisation(options: {
  directory: Directory;
  emulator?: Omit<EmulatorOptions, 'directory' | 'port'>;
  /** Account id → nickname, as the configuration file gives them. */
  nicknames?: Record<string, string>;
  env?: Record<string, string>;
}): Promise<Organisation> {
  const emulator = await createEmulator({ port: 0, ...options.emulator, directory: options.directory });
  const folder = mkdtempSync(path.join(tmpdir(), 'gatehouse-organisation-'));
  const file = path.join(folder, 'gatehouse.yaml');
  const nicknames = Object.entries(options.nicknames ?? {});
  writeFileSync(
    file,
    [
      'instances:',
      '  - name: Organisation',
      `    startUrl: ${options.directory.startUrl}`,
      '    ssoRegion: us-east-1',
      `    endpointUrl: ${emulator.url}`,
      `    signinUrl: ${emulator.url}/federation`,
      ...(nicknames.length > 0 ? ['    accountNicknames:', ...nicknames.map(([id, name]) => `      "${id}": ${name}`)] : []),
      '',
    ].join('\n'),
  );
  try {
    const portal = await startPortal({
      emulatorPort: emulator.port,
      env: { GATEHOUSE_CONFIG: file, SESSION_SECRET: 'organisation-test-secret-'.padEnd(48, 'x'), ...options.env },
    });
    return {
      emulator,
      portal,
      directory: options.directory,
      close: async () => {
        await portal.stop();
        await emulator.close();
        rmSync(folder, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await emulator.close();
    rmSync(folder, { recursive: true, force: true });
    throw error;
  }
}

/** The accounts whose rows are on screen at least in part (the list is virtualized: rows far away do not exist). */
export async function rowsOnScreen(page: Page): Promise<number> {
  return page.evaluate(() => {
    const list = document.querySelector('ul[aria-labelledby="all-accounts-heading"]');
    if (!list) return 0;
    // Rows under the sticky search bar are not seen.
    const seenFrom = document.querySelector('.sticky')?.getBoundingClientRect().bottom ?? 0;
    return [...list.children].filter((row) => {
      const box = row.getBoundingClientRect();
      return box.height > 0 && box.bottom > seenFrom && box.top < window.innerHeight;
    }).length;
  });
}

/** Where the full list starts, from the top of the document (not the window). */
export async function listTop(page: Page): Promise<number> {
  return page.evaluate(() => {
    const list = document.querySelector('ul[aria-labelledby="all-accounts-heading"]');
    return list ? Math.round(list.getBoundingClientRect().top + window.scrollY) : -1;
  });
}
