#!/usr/bin/env bash
# Stop and delete the throwaway cluster made by tools/start-postgres.sh (same OFFICER_APP_PGDIR).
set -uo pipefail
PGDIR="${OFFICER_APP_PGDIR:-/tmp/officer-app-pg}"
RUN_AS="${OFFICER_APP_PG_USER:-postgres}"
[ -d "$PGDIR/data" ] || exit 0
b="$(command -v pg_ctl 2>/dev/null || ls -d /usr/lib/postgresql/*/bin/pg_ctl 2>/dev/null | sort -V | tail -1)"
if [ "$(id -u)" -eq 0 ]; then
  su -s /bin/sh "$RUN_AS" -c "'$b' -D '$PGDIR/data' -m fast -w stop" >&2 || true
else
  "$b" -D "$PGDIR/data" -m fast -w stop >&2 || true
fi
rm -rf "$PGDIR"
