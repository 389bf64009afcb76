#!/usr/bin/env bash
# Back up a platform: its database and its blob store, together, while it runs.
# Usage: tools/platform-backup.sh DATA_DIR OUT_DIR [postgresql://…]
#   DATA_DIR  what `officer-app --data-dir` names (the platform lives in DATA_DIR/platform)
#   OUT_DIR   created; holds platform.sqlite3 or platform.pgdump, blobs.tar, the witness signing
#             key (witness-ed25519.pem, owner-only: the backup is as secret as the platform) and SHA256SUMS
#   URL       the PostgreSQL database (default $OFFICER_APP_PLATFORM_DB; none: SQLite)
# Order matters: the database first, then the blobs. A file is always published before the rows
# that point at it commit, and files are never deleted, so every file the dumped rows name is in
# the blob copy taken after it (a few newer files without rows are harmless).
set -euo pipefail
data=$1 out=$2 url=${3:-${OFFICER_APP_PLATFORM_DB:-}}
root="$data/platform"
[ -d "$root/blobs" ] || { echo "no platform in $data" >&2; exit 1; }
mkdir -p "$out"
if [ -n "$url" ]; then
  pg_dump --format=custom --no-owner --file="$out/platform.pgdump" "$url"
else
  sqlite3 "$root/platform.sqlite3" ".backup '$out/platform.sqlite3'"   # consistent while live
fi
tar -C "$root" -cf "$out/blobs.tar" blobs
# The witness log in the database is signed by this key; a restore without it would not start
# (docs/custody.md): the key travels with the database it signs.
key=witness-ed25519.pem
if [ -f "$root/$key" ]; then
  install -m 600 "$root/$key" "$out/$key"
fi
(cd "$out" && sha256sum platform.* blobs.tar $( [ -f "$out/$key" ] && echo "$key" ) > SHA256SUMS)
echo "backup of $data in $out"
