#!/usr/bin/env bash
# Install officer_app into .venv and start it on its embedded default
# (local SQLite store in the per-user data dir; demo data is offered on first start).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/system-packages.sh run
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e .
exec .venv/bin/officer-app "$@"
