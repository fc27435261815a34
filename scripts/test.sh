#!/usr/bin/env bash
# `npm test`: every check and every test, in the order that fails fastest.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p test-results
rm -f test-results/vitest.json test-results/vitest-container.json test-results/playwright.json

bash scripts/ensure-system-packages.sh || exit 1

# Each step says how long it took, so the run's time can be split by step.
step() {
  local name="$1" started=$SECONDS result
  shift
  echo
  echo "== $name"
  "$@"
  result=$?
  echo "== $name: $((SECONDS - started)) s"
  return $result
}

status=0
# The type check and the lint side by side (one core each); each one's output is printed whole.
echo
echo "== Type check and lint"
checks_started=$SECONDS
npx tsc --noEmit > test-results/typecheck.log 2>&1 &
typecheck=$!
npx eslint --max-warnings=0 . > test-results/lint.log 2>&1 &
lint=$!
wait "$typecheck" && echo "Type check: no errors." || { status=1; echo "Type check failed:"; }
cat test-results/typecheck.log
wait "$lint" && echo "Lint: no problems." || { status=1; echo "Lint failed:"; }
cat test-results/lint.log
echo "== Type check and lint: $((SECONDS - checks_started)) s"
# The integration and browser tests run the production server, so the build comes first.
if step "Production build" npx tsx scripts/production-build.ts; then
  step "Unit, conformance and integration tests (Vitest)" npx vitest run --project unit --project integration --project timed --reporter=default --reporter=json --outputFile.json=test-results/vitest.json || status=1
  # On their own, after the rest: the image build runs next build inside a container and would
  # slow the timed integration tests down if it ran beside them.
  step "Container image tests (podman)" npx vitest run --project container --reporter=default --reporter=json --outputFile.json=test-results/vitest-container.json || status=1
  step "Browser tests (Playwright, Chromium)" npx playwright test || status=1
else
  status=1
fi

echo
echo "== npm test: $SECONDS s in all"
node scripts/test-summary.mjs || status=1
exit $status
