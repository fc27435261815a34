// Prints one closing line over both test runners: "tests: N passed, N failed".
import { existsSync, readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
let skipped = 0;
const missing = [];

if (existsSync('test-results/vitest.json')) {
  const report = JSON.parse(readFileSync('test-results/vitest.json', 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + report.numTodoTests;
  console.log(`vitest: ${report.numPassedTests} passed, ${report.numFailedTests} failed`);
} else {
  missing.push('Vitest');
}

if (existsSync('test-results/playwright.json')) {
  const { stats } = JSON.parse(readFileSync('test-results/playwright.json', 'utf8'));
  const pwFailed = stats.unexpected + stats.flaky;
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
