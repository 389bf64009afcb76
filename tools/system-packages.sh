#!/usr/bin/env bash
# Install (as root) or name (otherwise) the Debian/Ubuntu packages a profile needs.
# Usage: tools/system-packages.sh run|test
# Sourced lists: "run" is what the GUI needs on a desktop; "test" adds a virtual screen,
# PDF tools and the fonts the tests render with.
set -euo pipefail

RUN_PACKAGES=(
  libxcb-cursor0 libxkbcommon-x11-0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0
  libxcb-render-util0 libxcb-shape0 libxcb-randr0 libxcb-xfixes0 libxcb-sync1 libxcb-xkb1
  libegl1 libgl1 libfontconfig1 libdbus-1-3 fonts-noto-cjk
)
TEST_PACKAGES=(xvfb xauth poppler-utils libimage-exiftool-perl)

profile=${1:-run}
packages=("${RUN_PACKAGES[@]}")
[ "$profile" = "test" ] && packages+=("${TEST_PACKAGES[@]}")

if ! command -v dpkg >/dev/null 2>&1; then
  echo "Not a Debian-based system: install the equivalents of: ${packages[*]}" >&2
  exit 0
fi

missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  echo "Installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "Missing system packages (install them as root, then run this again):" >&2
  echo "  sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
