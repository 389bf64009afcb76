"""``officer-app platform check``: is the database consistent with the blob store?

Run after a restore (the drill in ``docs/deploy.md``) or whenever in doubt: every file a row
points at must be in the blob store with the content its name promises. Files without a row are
harmless (a crash between publishing a file and committing its row, or a blob store copied after
the database, which is the backup order) and only counted.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from officer_app.platform import db


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def check(paths: db.PlatformPaths, conn: db.Connection) -> dict[str, Any]:
    """Counts of the main tables, and the blobs rows whose file is missing or wrong."""
    counts = {
        table: int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
        for table in ("entries", "transfers", "inbox", "blobs", "blob_access", "tokens")
    }
    missing, corrupt, rows = [], [], set()
    for sha, size in conn.execute("SELECT sha256, size FROM blobs ORDER BY sha256").fetchall():
        rows.add(sha)
        path = paths.blobs_dir / sha[:2] / sha
        if not path.is_file():
            missing.append(sha)
        elif path.stat().st_size != size or _sha256(path) != sha:
            corrupt.append(sha)
    on_disk = {p.name for p in paths.blobs_dir.glob("??/*") if p.is_file()}
    return {
        "ok": not missing and not corrupt,
        "counts": counts,
        "missing_blobs": missing,
        "corrupt_blobs": corrupt,
        "unreferenced_files": len(on_disk - rows),
    }
