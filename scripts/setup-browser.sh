#!/usr/bin/env bash
# Debian's Chromium for the dashboard's browser tests (no browser downloads: playwright-core drives
# it). Only the tests need it; the CLI, the App and the demo do not. When another apt or dpkg run holds
# its lock (an unattended upgrade at boot, a second set-up), this waits for it instead of failing.
set -euo pipefail

command -v chromium >/dev/null 2>&1 && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "setup: no chromium and no apt-get: install Chromium yourself for the browser tests" >&2
  exit 1
fi
as_root=""
[ "$(id -u)" = 0 ] || as_root="sudo"

# apt-get honours DPkg::Lock::Timeout for dpkg's lock only; `update` and the download cache fail at
# once on theirs, so those are retried (every 5 s, up to 10 minutes).
apt_get() {
  local waited=0 out
  until out=$($as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 "$@" 2>&1); do
    if [[ $out != *"Could not get lock"* ]] || ((waited >= 600)); then
      printf '%s\n' "$out" >&2
      return 1
    fi
    ((waited == 0)) && echo "setup: apt is busy (another apt or dpkg holds its lock); waiting for it" >&2
    sleep 5
    waited=$((waited + 5))
  done
}

echo "setup: installing Debian's chromium (for the browser tests)" >&2
apt_get -qq update
apt_get install -y -qq --no-install-recommends chromium
