#!/usr/bin/env bash
# Every test: build, type-check, lint, then the whole vitest suite. .ci/run calls exactly this.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup.sh
echo "node $(node --version), npm $(npm --version)"
npm test
