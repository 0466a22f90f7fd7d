#!/usr/bin/env bash
# Every test: build, type-check, lint, then the whole vitest suite. .ci/run calls exactly this.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup.sh
bash scripts/setup-browser.sh
echo "node $(node --version), npm $(npm --version)"
status=0
rm -f test-artifacts/vitest.json
npm test || status=$?
# One plain closing line for whoever reads the log: 'N passed, N failed'.
if [ -f test-artifacts/vitest.json ]; then
  node -e 'const r = JSON.parse(require("fs").readFileSync("test-artifacts/vitest.json", "utf8")); console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed`)'
fi
exit "$status"
