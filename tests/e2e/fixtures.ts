import { type ConsoleMessage, test as base } from '@playwright/test';

import { createEmulator, type RunningEmulator } from '../../emulator/server';
import { type RunningPortal, startPortal } from '../../scripts/support/portal-process';

interface WorkerFixtures {
  emulator: RunningEmulator;
  portal: RunningPortal;
}

interface TestFixtures {
  /** Content-Security-Policy violations the browser reported during the test; must stay empty. */
  cspViolations: string[];
}

/**
 * Every worker gets its own emulator (the AWS of the tests) and a production portal in demo mode.
 * Every test fails if the browser reports a Content-Security-Policy violation on any page.
 */
export const test = base.extend<TestFixtures, WorkerFixtures>({
  cspViolations: [
    async ({ context }, use) => {
      const violations: string[] = [];
      const watch = (message: ConsoleMessage) => {
        if (/Content Security Policy/i.test(message.text())) violations.push(`${message.location().url}: ${message.text()}`);
      };
      for (const open of context.pages()) open.on('console', watch);
      context.on('page', (opened) => opened.on('console', watch));
      await use(violations);
      if (violations.length > 0) throw new Error(`Content-Security-Policy violations:\n${violations.join('\n')}`);
    },
    { auto: true },
  ],
  emulator: [
    async ({}, use) => {
      const emulator = await createEmulator({ port: 0 });
      await use(emulator);
      await emulator.close();
    },
    { scope: 'worker' },
  ],
  portal: [
    async ({ emulator }, use) => {
      const portal = await startPortal({ emulatorPort: emulator.port });
      await use(portal);
      await portal.stop();
    },
    { scope: 'worker' },
  ],
});

export { expect } from '@playwright/test';
