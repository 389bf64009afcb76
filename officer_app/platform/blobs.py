"""Evidence uploads: content-addressed, resumable, verified before anyone may rely on them.

An agency uploads a file in ``Content-Range`` chunks to ``uploads/<agency>/<sha256>.part``; the
bytes that reached the disk stay there when a connection drops, so ``HEAD`` tells the client
where to resume. When the last byte arrives the whole file is hashed: a mismatch is refused and
the partial file removed, a match is moved into ``blobs/`` and granted to the uploader. Holding a
blob is tracked per agency, so asking "which do you miss?" never reveals another agency's files.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from officer_app.platform.auth import Caller
from officer_app.platform.db import Connection, PlatformPaths, now_iso, transaction
from officer_app.platform.errors import BadRequest, HashMismatch, RangeMismatch

RANGE_RE = re.compile(r"^bytes (\d+)-(\d+)/(\d+)$")
SHA256_RE = re.compile(r"^[0-9a-f]{64}$")
MAX_BLOB = 2 * 1024**3


@dataclass(frozen=True)
class ContentRange:
    start: int
    end: int  # inclusive
    total: int

    @property
    def length(self) -> int:
        return self.end - self.start + 1


def parse_range(header: str | None) -> ContentRange:
    match = RANGE_RE.match(header or "")
    if not match:
        raise BadRequest("上传请求缺少有效的 Content-Range。", f"content-range {header!r}")
    start, end, total = (int(g) for g in match.groups())
    if not (0 <= start <= end < total <= MAX_BLOB):
        raise BadRequest("Content-Range 数值不正确。", f"content-range {header!r}")
    return ContentRange(start, end, total)


def check_sha(sha: str) -> str:
    if not SHA256_RE.match(sha):
        raise BadRequest("文件标识不是有效的SHA-256。", f"sha {sha!r}")
    return sha


def part_path(paths: PlatformPaths, caller: Caller, sha: str) -> Path:
    return paths.uploads_dir / caller.agency / f"{sha}.part"


def blob_path(paths: PlatformPaths, sha: str) -> Path:
    return paths.blobs_dir / sha[:2] / sha


def has_access(conn: Connection, agency: str, sha: str) -> bool:
    row = conn.execute(
        "SELECT 1 FROM blob_access WHERE sha256 = ? AND agency = ?", [sha, agency]
    ).fetchone()
    return row is not None


def status(paths: PlatformPaths, conn: Connection, caller: Caller, sha: str) -> dict[str, object]:
    if has_access(conn, caller.agency, sha):
        size = conn.execute("SELECT size FROM blobs WHERE sha256 = ?", [sha]).fetchone()[0]
        return {"sha256": sha, "complete": True, "held": size, "size": size}
    part = part_path(paths, caller, sha)
    held = part.stat().st_size if part.is_file() else 0
    return {"sha256": sha, "complete": False, "held": held, "size": None}


def missing(conn: Connection, caller: Caller, shas: list[str]) -> list[str]:
    return [sha for sha in dict.fromkeys(shas) if not has_access(conn, caller.agency, sha)]


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def check_start(paths: PlatformPaths, caller: Caller, sha: str, rng: ContentRange) -> Path:
    """The part file to append to; a chunk must start exactly where the held bytes end."""
    part = part_path(paths, caller, sha)
    held = part.stat().st_size if part.is_file() else 0
    if held > rng.total:  # an earlier attempt announced another size: start over
        part.unlink()
        held = 0
    if rng.start != held:
        raise RangeMismatch(
            f"上传位置不一致：平台已有 {held} 字节，请从该位置续传。",
            f"chunk starts at {rng.start}, held {held}",
        )
    part.parent.mkdir(parents=True, exist_ok=True)
    return part


def finish(
    paths: PlatformPaths,
    conn: Connection,
    caller: Caller,
    sha: str,
    total: int,
    streamed: str | None = None,
) -> bool:
    """Verify and publish a fully received upload; ``False`` while bytes are still missing.

    ``streamed`` is the hash of the whole file computed while it arrived in one request (saves
    reading it back); otherwise the part file is hashed here."""
    part = part_path(paths, caller, sha)
    size = part.stat().st_size
    if size < total:
        return False
    actual = streamed if streamed is not None and size == total else _sha256_file(part)
    if actual != sha:
        part.unlink()
        raise HashMismatch(
            "文件内容与其SHA-256不符，平台拒收。请检查证据文件是否损坏后重新上传。",
            f"expected {sha}, got {actual}",
        )
    final = blob_path(paths, sha)
    final.parent.mkdir(parents=True, exist_ok=True)
    if final.is_file():
        part.unlink()
    else:
        os.replace(part, final)
    with transaction(conn):
        conn.execute(
            "INSERT INTO blobs (sha256, size, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
            [sha, total, now_iso()],
        )
        conn.execute(
            "INSERT INTO blob_access (sha256, agency) VALUES (?, ?) ON CONFLICT DO NOTHING",
            [sha, caller.agency],
        )
    return True
