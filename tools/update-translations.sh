#!/usr/bin/env bash
# Refresh resources/i18n/officer_app_en.ts from the tr() / QCoreApplication.translate() strings in
# officer_app/ui/*.py (plus officer_app/ui/i18n_catalog.py, generated first).  Existing translations are kept; new strings arrive as type="unfinished"
# (tests/test_translations.py fails until they are translated, e.g. in pyside6-linguist).
# Strings that left the code are dropped (-no-obsolete); no line numbers, so diffs stay small.
# Usage: tools/update-translations.sh [TS_FILE]   (tests pass a temporary copy)
set -euo pipefail
ts=$(realpath "${1:-resources/i18n/officer_app_en.ts}")
cd "$(dirname "$0")/.."
BIN=${VENV_BIN:-.venv/bin}
# Strings translated by variable (status names, column headers…) as literals lupdate can read.
"$BIN/python" tools/gen_i18n_catalog.py
"$BIN/pyside6-lupdate" -no-obsolete -locations none -source-language zh_CN -target-language en \
  officer_app/ui/*.py -ts "$ts"
