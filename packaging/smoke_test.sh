#!/usr/bin/env bash
# Frozen smoke test: run the bundled executable with no Python environment around it.
# It starts the GUI offscreen, creates a store, imports photos, issues and renders a PDF, verifies,
# and must exit 0 at every step.  Usage: packaging/smoke_test.sh [dist/officer-app]
set -euo pipefail
cd "$(dirname "$0")/.."
bundle=${1:-dist/officer-app}
exe="$bundle/officer-app"
[ -x "$exe" ] || { echo "no frozen executable at $exe (run packaging/build.sh)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A clean environment: no venv, no PYTHONPATH, no site-packages to fall back on.
run() { env -i HOME="$work/home" PATH=/usr/bin:/bin LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen \
          OFFICER_APP_SMOKE_QUIT_MS="${OFFICER_APP_SMOKE_QUIT_MS:-}" \
          "$exe" --data-dir "$work/data" --no-crash-dialog "$@"; }
json_field() { sed -n "s/.*\"$1\": \"\\([^\"]*\\)\".*/\\1/p" | head -n 1; }

run --version
run init --officer-name 冒烟测试 --badge SMOKE-001 --agency 310118 --json > "$work/init.json"
run demo --json > "$work/demo.json"
case_id=$(json_field case_id < "$work/demo.json")
photo=$(ls "$work"/data/cache/demo-photos/*.JPG | head -n 1)
cp "$photo" "$work/photo.jpg"
run evidence import "$work/photo.jpg" --json > "$work/import.json"
grep -q '"outcome": "duplicate"' "$work/import.json"
doc_id=$(run document new case_transfer --case "$case_id" --json | json_field id)
run catalogue confirm "$doc_id" --json > /dev/null  # the officer checked the cited basis
run document issue "$doc_id" --json > "$work/issue.json"
number=$(json_field number < "$work/issue.json")
run document render "$doc_id" --out "$work/letter.pdf"
[ "$(head -c 5 "$work/letter.pdf")" = "%PDF-" ]
run verify
OFFICER_APP_SMOKE_QUIT_MS=1500 run  # the GUI: starts, shows the main window, exits 0
echo "smoke test passed: document $number, $(stat -c %s "$work/letter.pdf") bytes of PDF"
