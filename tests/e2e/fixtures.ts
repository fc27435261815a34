import { test as base } from '@playwright/test';

import { createEmulator, type RunningEmulator } from '../../emulator/server';
import { type RunningPortal, startPortal } from '../support/portal';

interface WorkerFixtures {
  emulator: RunningEmulator;
  portal: RunningPortal;
}

/** Every worker gets its own emulator (the AWS of the tests) and a production portal in demo mode. */
export const test = base.extend<object, WorkerFixtures>({
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
