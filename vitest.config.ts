import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * Tests whose assertions are about time with little to spare (rate limits, the load smoke test, faults
 * timed against a stopped store, 8-second tokens, re-validation on the real clock): they run on their
 * own, one file at a time, after the rest, so a second worker never eats into what they measure. The
 * session-lifetime test waits in real time too, but with 10 s and more to spare, so it runs beside others.
 */
const TIMED = [
  'tests/unit/rate-limiter.test.ts',
  'tests/integration/load-smoke.test.ts',
  'tests/integration/rate-limits.test.ts',
  'tests/integration/faults.test.ts',
  'tests/integration/token-refresh.test.ts',
  'tests/integration/terminal-credentials-burst.test.ts',
  'tests/integration/terminal-credentials-revalidation.test.ts',
];

export default defineConfig({
  resolve: {
    alias: {
      '@': fileURLToPath(new URL('.', import.meta.url)),
      // `server-only` throws outside a React Server build; Vitest runs plain Node.
      'server-only': fileURLToPath(new URL('./tests/support/server-only-stub.ts', import.meta.url)),
    },
  },
  test: {
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default'],
    // Most integration files wait on servers and sockets, not the processor: three at a time keep two
    // cores busy (Vitest's default on two cores is one).
    maxWorkers: 3,
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['tests/unit/**/*.test.ts', 'tests/conformance/**/*.test.ts'], exclude: TIMED, pool: 'threads' },
      },
      {
        extends: true,
        test: { name: 'integration', include: ['tests/integration/**/*.test.ts'], exclude: TIMED, pool: 'forks' },
      },
      {
        extends: true,
        test: { name: 'timed', include: TIMED, pool: 'forks', maxWorkers: 1, fileParallelism: false, sequence: { groupOrder: 1 } },
      },
      {
        extends: true,
        test: { name: 'container', include: ['tests/container/**/*.test.ts'], pool: 'forks', maxWorkers: 1, fileParallelism: false, sequence: { groupOrder: 2 } },
      },
    ],
  },
});
