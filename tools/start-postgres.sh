#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the platform tests: installs Debian's server package when it is
# missing (needs root), runs initdb as the unprivileged `postgres` user (initdb refuses root),
# starts it on a free loopback port and prints the line the tests read:
#   OFFICER_APP_TEST_PG_URL=postgresql://postgres@127.0.0.1:PORT/officer_app_test
# Usage: eval "$(bash tools/start-postgres.sh | grep ^OFFICER_APP_TEST_PG_URL=)"; export OFFICER_APP_TEST_PG_URL
# Stop with tools/stop-postgres.sh (same PGDIR). Trust auth on 127.0.0.1 only: test data, no secrets.
set -euo pipefail
PGDIR="${OFFICER_APP_PGDIR:-/tmp/officer-app-pg}"
RUN_AS="${OFFICER_APP_PG_USER:-postgres}"

bindir() {
  local b
  b="$(command -v pg_ctl 2>/dev/null || true)"
  if [ -n "$b" ]; then dirname "$(readlink -f "$b")"; return; fi
  b="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
  [ -n "$b" ] && echo "$b"
}

BIN="$(bindir || true)"
if [ -z "$BIN" ] || [ ! -x "$BIN/initdb" ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "start-postgres: PostgreSQL is not installed and this is not root (apt-get install -y postgresql)" >&2
    exit 1
  fi
  echo "start-postgres: installing postgresql (apt-get)" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
  BIN="$(bindir)"
fi

as_user() {
  if [ "$(id -u)" -eq 0 ]; then
    id "$RUN_AS" >/dev/null 2>&1 || useradd --system --no-create-home "$RUN_AS"
    su -s /bin/sh "$RUN_AS" -c "$*"
  else
    sh -c "$*"
  fi
}

if [ -f "$PGDIR/data/postmaster.pid" ]; then
  echo "start-postgres: a cluster is already running in $PGDIR; stopping it first" >&2
  as_user "'$BIN/pg_ctl' -D '$PGDIR/data' -m immediate stop" >&2 || true
fi
rm -rf "$PGDIR"
mkdir -p "$PGDIR"
[ "$(id -u)" -eq 0 ] && chown "$RUN_AS" "$PGDIR"
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"

as_user "'$BIN/initdb' -D '$PGDIR/data' -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >'$PGDIR/initdb.log' 2>&1"
# Durability settings stay at their defaults (fsync on): the tests check exactly-once, not speed.
as_user "'$BIN/pg_ctl' -D '$PGDIR/data' -l '$PGDIR/server.log' -w -t 60 \
  -o \"-p $PORT -c listen_addresses=127.0.0.1 -k '$PGDIR' -c max_connections=200\" start" >&2
as_user "'$BIN/createdb' -h 127.0.0.1 -p $PORT -U postgres officer_app_test"
echo "$PORT" >"$PGDIR/port"
echo "OFFICER_APP_TEST_PG_URL=postgresql://postgres@127.0.0.1:$PORT/officer_app_test"
