#!/usr/bin/env bash
# Install the unpacked bundle to /opt/officer-app and add the desktop entry (run as root).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
rm -rf /opt/officer-app
cp -a "$here" /opt/officer-app
install -m 0644 "$here/officer-app.desktop" /usr/share/applications/officer-app.desktop
ln -sf /opt/officer-app/officer-app /usr/local/bin/officer-app
echo "installed: /opt/officer-app (command: officer-app)"
