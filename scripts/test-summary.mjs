// Prints one closing line over both test runners: "tests: N passed, N failed".
import { existsSync, readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
let skipped = 0;
const missing = [];

if (existsSync('test-results/vitest.json')) {
  const report = JSON.parse(readFileSync('test-results/vitest.json', 'utf8'));
  // A test file that fails to load has no failed test in it; it counts as one failure.
  const brokenFiles = (report.testResults ?? []).filter(
    (file) => file.status === 'failed' && !(file.assertionResults ?? []).some((test) => test.status === 'failed'),
  ).length;
  const vitestFailed = report.numFailedTests + brokenFiles;
  passed += report.numPassedTests;
  failed += vitestFailed;
  skipped += report.numPendingTests + report.numTodoTests;
  console.log(`vitest: ${report.numPassedTests} passed, ${vitestFailed} failed${brokenFiles ? ` (${brokenFiles} files did not load)` : ''}`);
} else {
  missing.push('Vitest');
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
