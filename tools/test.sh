#!/usr/bin/env bash
# Install officer_app with its test extra into .venv, the system packages the tests need,
# then lint, type-check and run the whole test suite. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/system-packages.sh test
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[test]'
.venv/bin/ruff check .
.venv/bin/ruff format --check .
# Types: the whole package as [tool.mypy] in pyproject.toml says (strict; a type error fails the run).
.venv/bin/mypy
export QT_QPA_PLATFORM=offscreen
# A throwaway PostgreSQL for the platform's PostgreSQL tests (they skip without it, except in CI).
if [ -z "${OFFICER_APP_TEST_PG_URL:-}" ]; then
  if pg_line="$(bash tools/start-postgres.sh | grep '^OFFICER_APP_TEST_PG_URL=')"; then
    export "${pg_line?}"
    trap 'bash tools/stop-postgres.sh >/dev/null 2>&1 || true' EXIT
  else
    echo "PostgreSQL could not be started here: its platform tests will be skipped" >&2
  fi
fi
.venv/bin/python -m pytest "$@"
