#!/usr/bin/env bash
# Sets up a fresh machine for Nutshell: Debian packages (when root), pnpm through corepack, the workspace's
# dependencies from the lockfile, and a build of every package. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/../.."
export COREPACK_ENABLE_DOWNLOAD_PROMPT=0 TURBO_TELEMETRY_DISABLED=1

if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  bash tooling/scripts/apt-packages.sh
fi

corepack enable
pnpm install --frozen-lockfile
pnpm build
