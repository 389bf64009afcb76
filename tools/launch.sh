#!/usr/bin/env bash
# Start officer_app on its embedded default (local SQLite store in the per-user data dir; demo
# data is offered on first start).  The first run installs the app into .venv (this needs the
# package index); every later run starts the installed app at once, without the network, so an
# officer who set up in the office can start it in the field.  The install is redone only when
# pyproject.toml changed (the install is editable: code changes need no reinstall).
set -euo pipefail
cd "$(dirname "$0")/.."
stamp=.venv/.officer-app-installed
want=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ -x .venv/bin/officer-app ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
  exec .venv/bin/officer-app "$@"
fi
bash tools/system-packages.sh run
[ -x .venv/bin/python ] || python3 -m venv .venv
if .venv/bin/python -m pip install -q -e .; then
  echo "$want" >"$stamp"
elif [ -x .venv/bin/officer-app ]; then
  echo "officer_app: could not update the installation (no package index reachable?);" \
    "starting the version installed before." >&2
else
  echo "officer_app: the first start installs the app and needs the package index" \
    "(PyPI or a mirror in PIP_INDEX_URL); connect once and run this again." >&2
  exit 1
fi
exec .venv/bin/officer-app "$@"
