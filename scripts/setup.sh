#!/usr/bin/env bash
# Installs what the project needs into the project folder itself: Node 24 under .tools/ (never
# globally), the npm dependencies, and the `idse` CLI built from these sources and linked beside that
# Node, so `export PATH="$PWD/.tools/node_modules/.bin:$PATH"` puts both on PATH. Safe to run again.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

NODE_MAJOR=24
if [ ! -x .tools/node_modules/.bin/node ] || [ "$(.tools/node_modules/.bin/node -p 'process.versions.node.split(".")[0]')" != "$NODE_MAJOR" ]; then
  echo "setup: installing Node $NODE_MAJOR into .tools/" >&2
  npm install --prefix .tools --no-audit --no-fund --loglevel=error "node@$NODE_MAJOR" >&2
fi
export PATH="$PWD/.tools/node_modules/.bin:$PATH"

# Reinstall dependencies only when the lock file changed since the last install.
stamp=node_modules/.idse-lock-stamp
if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
  echo "setup: installing npm dependencies" >&2
  # Not `npm ci`: the lock cannot list the Supabase CLI's binaries for other platforms (the registry
  # here does not serve them), which ci treats as out of sync. install follows the lock all the same.
  npm install --no-audit --no-fund --no-save --loglevel=error >&2
  cp package-lock.json "$stamp"
fi

# Always rebuilt (a few seconds): an `idse` older than the sources beside it would mislead.
npm run --silent build >&2
ln -sfn ../../../dist/cli.js .tools/node_modules/.bin/idse
