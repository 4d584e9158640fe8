#!/usr/bin/env bash
# Debian packages the tests need (run as root on Debian 12 "bookworm"). Each line says which test needs it.
# Safe to run again: it adds the backports source only once and installs only what is missing.
set -euo pipefail

# Mesa 25 comes from bookworm-backports: Dawn (the `webgpu` npm package) rejects Debian 12's Mesa 22.3 lavapipe.
backports=/etc/apt/sources.list.d/nutshell-bookworm-backports.sources
if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
  # Copy the first stanza of the stock Debian source (same mirror and keyring), pointed at bookworm-backports.
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    awk 'BEGIN{RS=""; ORS="\n"} NR==1{print; exit}' /etc/apt/sources.list.d/debian.sources |
      sed -E 's/^Suites:.*/Suites: bookworm-backports/' >"$backports"
  else
    printf '%s\n' 'Types: deb' 'URIs: http://deb.debian.org/debian' 'Suites: bookworm-backports' \
      'Components: main' 'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg' >"$backports"
  fi
fi

need=(
  # @nutshell/backend-webgpu (Node, Dawn on Vulkan): the Vulkan loader and Mesa 25's lavapipe software driver.
  libvulkan1
  mesa-vulkan-drivers/bookworm-backports
  # @nutshell/backend-webgpu (Node, Dawn on OpenGL ES, the fallback when Vulkan is unusable): EGL + Mesa GL.
  libegl1
  libegl-mesa0
  libgl1-mesa-dri
  # backend-webgpu's and the playground's browser tests (WebGPU on SwiftShader), viz's HTML-report test.
  chromium
)

installed_from_backports() {
  # mesa-vulkan-drivers must be the backports (>= 25) build, not merely present.
  local v
  v=$(dpkg-query -W -f='${Version}' "$1" 2>/dev/null || true)
  [ -n "$v" ] && dpkg --compare-versions "$v" ge 25
}

missing=()
for p in "${need[@]}"; do
  name=${p%%/*}
  if [ "$p" != "$name" ]; then
    installed_from_backports "$name" || missing+=("$p")
  else
    dpkg -s "$name" >/dev/null 2>&1 || missing+=("$p")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}"
fi
