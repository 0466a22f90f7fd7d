#!/usr/bin/env bash
# The main job end to end: scaffold a demo workspace in a temp folder, validate it (it reports the
# unresolved [REQUIRES INPUT] markers and exits 1), show its status, then validate the real upstream
# IDSE workspace kept in test/fixtures/corpus. Needs no browser: only the tests do.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# Node 24, the dependencies and the `idse` command on PATH, as the README's set-up leaves them.
source scripts/setup.sh
# setup.sh stops on errors; here a failing validation is part of the show.
set +e

demo=$(mktemp -d)
echo "== idse init demo (in $demo)"
(cd "$demo" && idse init demo --owner @you)
echo
echo "== idse validate (a fresh session: every marker is unresolved input, so exit 1)"
(cd "$demo" && idse validate); echo "exit code: $?"
echo
echo "== idse status"
(cd "$demo" && idse status)

corpus=test/fixtures/corpus/idse-orchestrator
if [ -d "$corpus" ]; then
  echo
  echo "== idse validate $corpus (an existing upstream workspace, unchanged)"
  idse validate "$corpus" --quiet; echo "exit code: $?"
  idse status --root "$corpus"
fi
