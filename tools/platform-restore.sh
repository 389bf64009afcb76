#!/usr/bin/env bash
# Restore a backup made by tools/platform-backup.sh into a platform that is NOT running, then
# check it (`officer-app platform check`: every file a row names is there, with its content).
# Usage: tools/platform-restore.sh BACKUP_DIR DATA_DIR [postgresql://…]
#   DATA_DIR  a new or emptied data dir; URL an empty database (default $OFFICER_APP_PLATFORM_DB)
set -euo pipefail
backup=$1 data=$2 url=${3:-${OFFICER_APP_PLATFORM_DB:-}}
PY=${PYTHON:-$(dirname "$0")/../.venv/bin/python}
(cd "$backup" && sha256sum --check --quiet SHA256SUMS)
root="$data/platform"
mkdir -p "$root"
tar -C "$root" -xf "$backup/blobs.tar"
mkdir -p "$root/uploads"
if [ -f "$backup/witness-ed25519.pem" ]; then  # the key that signed the restored witness log
  install -m 600 "$backup/witness-ed25519.pem" "$root/witness-ed25519.pem"
fi
if [ -n "$url" ]; then
  pg_restore --no-owner --clean --if-exists --exit-on-error --dbname="$url" "$backup/platform.pgdump"
  "$PY" -m officer_app --data-dir "$data" platform check --db "$url"
else
  cp "$backup/platform.sqlite3" "$root/platform.sqlite3"
  "$PY" -m officer_app --data-dir "$data" platform check
fi
