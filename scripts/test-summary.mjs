// Prints one closing line over every test run: "tests: N passed, N failed".
import { existsSync, readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
let skipped = 0;
const missing = [];

// Vitest runs twice: the main run, then the container tests on their own (scripts/test.sh).
for (const [label, file] of [
  ['vitest', 'test-results/vitest.json'],
  ['vitest (container)', 'test-results/vitest-container.json'],
]) {
  if (!existsSync(file)) {
    missing.push(label);
    continue;
  }
  const report = JSON.parse(readFileSync(file, 'utf8'));
  // A test file that fails to load has no failed test in it; it counts as one failure.
  const brokenFiles = (report.testResults ?? []).filter(
    (result) => result.status === 'failed' && !(result.assertionResults ?? []).some((test) => test.status === 'failed'),
  ).length;
  const vitestFailed = report.numFailedTests + brokenFiles;
  passed += report.numPassedTests;
  failed += vitestFailed;
  skipped += report.numPendingTests + report.numTodoTests;
  console.log(`${label}: ${report.numPassedTests} passed, ${vitestFailed} failed${brokenFiles ? ` (${brokenFiles} files did not load)` : ''}`);
}

if (existsSync('test-results/playwright.json')) {
  const { stats, errors = [] } = JSON.parse(readFileSync('test-results/playwright.json', 'utf8'));
  // Errors outside any test (a broken fixture file, a global set-up) count as failures too.
  const pwFailed = stats.unexpected + stats.flaky + errors.length;
  passed += stats.expected;
  failed += pwFailed;
  skipped += stats.skipped;
  console.log(`playwright: ${stats.expected} passed, ${pwFailed} failed`);
} else {
  missing.push('Playwright');
}

if (missing.length > 0) console.log(`(no report from ${missing.join(' and ')}: it did not run to the end)`);
console.log(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || missing.length > 0 ? 1 : 0);
