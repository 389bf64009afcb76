#!/usr/bin/env bash
# Compile resources/i18n/*.ts into the git-ignored resources/i18n/*.qm that the app loads.
# packaging/build.sh runs this before PyInstaller; a source checkout compiles on the fly
# (officer_app/ui/i18n.py) when a .qm is missing or older than its .ts.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${VENV_BIN:-.venv/bin}
for ts in resources/i18n/*.ts; do
  "$BIN/pyside6-lrelease" -silent "$ts" -qm "${ts%.ts}.qm"
  echo "compiled ${ts%.ts}.qm"
done
