#!/usr/bin/env bash
# Debian packages the tests need. Each line says which test needs it.
set -euo pipefail
need=()
# (filled in as packages need system libraries)
if [ ${#need[@]} -gt 0 ]; then
  missing=()
  for p in "${need[@]}"; do dpkg -s "${p%%/*}" >/dev/null 2>&1 || missing+=("$p"); done
  if [ ${#missing[@]} -gt 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
fi
