"""Evidence uploads: content-addressed, resumable, verified before anyone may rely on them.

An agency uploads a file in ``Content-Range`` chunks to ``uploads/<agency>/<sha256>.part``; the
bytes that reached the disk stay there when a connection drops, so ``HEAD`` tells the client
where to resume. When the last byte arrives the whole file is hashed: a mismatch is refused and
the partial file removed, a match is moved into ``blobs/`` and granted to the uploader. Holding a
blob is tracked per agency, so asking "which do you miss?" never reveals another agency's files.

A crash of the platform between the last byte and the publication leaves a complete part behind.
Nothing is stuck: the size the client announced is kept beside the part (``<sha256>.size``), so
:func:`recover` verifies and publishes every complete part when the platform starts (and discards
one whose content does not match its name), and a client that finds ``held == size`` without
``complete`` may ask for the same at once (``PUT`` with ``Content-Range: bytes */SIZE`` and no
body, :func:`place`). Parts nobody resumed for :data:`STALE_DAYS` are removed at start-up.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import socket
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from officer_app.platform.auth import Caller
from officer_app.platform.db import Connection, PlatformPaths, now_iso, transaction, unsynced
from officer_app.platform.errors import BadRequest, HashMismatch, RangeMismatch
from officer_app.platform.schema import POSTGRES

log = logging.getLogger(__name__)
RANGE_RE = re.compile(r"^bytes (\d{1,12})-(\d{1,12})/(\d{1,12})$")
FINISH_RE = re.compile(r"^bytes \*/(\d{1,12})$")
SHA256_RE = re.compile(r"^[0-9a-f]{64}$")
MAX_BLOB = 2 * 1024**3
STALE_DAYS = 30


@dataclass(frozen=True)
class ContentRange:
    start: int
    end: int  # inclusive
    total: int

    @property
    def length(self) -> int:
        return self.end - self.start + 1


def parse_finish(header: str | None) -> int | None:
    """``bytes */SIZE`` (no body): "verify and publish the SIZE bytes you hold"; else ``None``."""
    match = FINISH_RE.match(header or "")
    if not match:
        return None
    total = int(match.group(1))
    if not 0 < total <= MAX_BLOB:
        raise BadRequest("Content-Range 数值不正确。", f"content-range {header!r}")
    return total


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


def size_path(part: Path) -> Path:
    """Where the size the client announced for a part is kept (read by :func:`recover`)."""
    return part.with_suffix(".size")


def _announced(part: Path) -> int | None:
    try:
        return int(size_path(part).read_text(encoding="ascii"))
    except (OSError, ValueError):
        return None


def _announce(part: Path, total: int) -> None:
    """Keep ``total`` beside ``part`` before any byte of it is written (temp name, rename)."""
    tmp = size_path(part).with_suffix(".size-tmp")
    tmp.write_text(str(total), encoding="ascii")
    os.replace(tmp, size_path(part))


def _discard(part: Path) -> None:
    part.unlink(missing_ok=True)
    size_path(part).unlink(missing_ok=True)


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
    """The files of ``shas`` the caller may not yet use, in one query per 500."""
    wanted, held = list(dict.fromkeys(shas)), set()
    for i in range(0, len(wanted), 500):
        part = wanted[i : i + 500]
        held |= {
            r[0]
            for r in conn.execute(
                "SELECT sha256 FROM blob_access WHERE agency = ? AND sha256 IN "
                + conn.in_list(part),
                [caller.agency, *part],
            )
        }
    return [sha for sha in wanted if sha not in held]


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def check_start(paths: PlatformPaths, caller: Caller, sha: str, rng: ContentRange) -> Path:
    """The part file to append to; a chunk must start exactly where the held bytes end.

    A chunk that is the whole file replaces whatever part of it is held (a cut earlier run, a
    part from before sizes were announced): the client sends a photo whole without asking
    first, one request instead of two, and nothing it sends is refused."""
    part = part_path(paths, caller, sha)
    held = part.stat().st_size if part.is_file() else 0
    announced = _announced(part)
    whole = rng.start == 0 and rng.length == rng.total
    if held and (whole or held > rng.total or announced not in (None, rng.total)):
        _discard(part)  # another size announced earlier, or the whole file is here: start over
        held, announced = 0, None
    if rng.start != held:
        raise RangeMismatch(
            f"上传位置不一致：平台已有 {held} 字节，请从该位置续传。",
            f"chunk starts at {rng.start}, held {held}",
        )
    part.parent.mkdir(parents=True, exist_ok=True)
    if announced != rng.total:
        _announce(part, rng.total)
    return part


def place(
    paths: PlatformPaths, caller: Caller, sha: str, total: int, streamed: str | None = None
) -> bool:
    """Verify a fully received upload and move it into ``blobs/`` (durably); ``False`` while
    bytes are still missing. No database: the caller runs it in a worker thread holding no
    connection (the disk syncs and a big part's hashing never occupy the pool or SQLite's
    writer), then :func:`record` under the upload lock; the blob counts as published only once
    that committed. ``streamed`` is the hash of the whole file computed while it arrived in one
    request (saves reading it back); otherwise the part file is hashed here."""
    part = part_path(paths, caller, sha)
    size = part.stat().st_size if part.is_file() else 0
    if size < total:
        return False
    actual = streamed if streamed is not None and size == total else _sha256_file(part)
    if actual != sha:
        _discard(part)
        raise HashMismatch(
            "文件内容与其SHA-256不符，平台拒收。请检查证据文件是否损坏后重新上传。",
            f"expected {sha}, got {actual}",
        )
    _move(paths, part, sha)
    return True


def _publish(
    paths: PlatformPaths, conn: Connection, agency: str, part: Path, sha: str, total: int
) -> None:
    """A verified part becomes the blob (the file first, then the rows that point at it)."""
    _move(paths, part, sha)
    record(conn, agency, sha, total)


def _move(paths: PlatformPaths, part: Path, sha: str) -> None:
    final = blob_path(paths, sha)
    final.parent.mkdir(parents=True, exist_ok=True)
    if final.is_file():
        part.unlink(missing_ok=True)
    else:
        try:
            os.replace(part, final)  # atomic: readers see no file or the whole file
        except FileNotFoundError:  # another worker's start-up published this part first
            if not final.is_file():
                raise
        _fsync_dir(final.parent)
    size_path(part).unlink(missing_ok=True)


def record(conn: Connection, agency: str, sha: str, total: int, holder: str | None = None) -> None:
    """The rows of a blob now in ``blobs/``: it exists, ``agency`` may use it; the same
    transaction ends ``holder``'s upload lock.

    PostgreSQL does it in one statement (autocommit: atomic on its own), so an upload costs the
    platform worker one driver call here instead of five (issue 20: the worker's Python, not the
    database, was what PostgreSQL uploads waited for)."""
    if conn.dialect == POSTGRES:
        conn.execute(
            "WITH b AS (INSERT INTO blobs (sha256, size, created_at) VALUES (?, ?, ?)"
            " ON CONFLICT DO NOTHING),"
            " a AS (INSERT INTO blob_access (sha256, agency) VALUES (?, ?) ON CONFLICT DO NOTHING),"
            " d AS (DELETE FROM upload_locks"
            " WHERE (agency = ? AND sha256 = ? AND holder = ?) OR expires_ms < ?)"
            " SELECT 1",
            [sha, total, now_iso(), sha, agency, agency, sha, holder or "", _now_ms()],
        )
        return
    with transaction(conn):
        conn.execute(
            "INSERT INTO blobs (sha256, size, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
            [sha, total, now_iso()],
        )
        conn.execute(
            "INSERT INTO blob_access (sha256, agency) VALUES (?, ?) ON CONFLICT DO NOTHING",
            [sha, agency],
        )
        if holder is not None:
            _delete_lock(conn, agency, sha, holder)


# The upload lock ----------------------------------------------------------------------------------
#: How long an upload's lock lasts unless renewed (a request renews it while bytes arrive); a
#: worker killed mid-upload leaves a lease that expires, or that its restart clears at once.
LEASE_MS = 60 * 1000
RENEW_S = 15.0
_HOST = socket.gethostname()


def lock_holder() -> str:
    """Who holds a lock: this host and process (so a restart can tell its dead predecessors'
    leases from live ones) and the request."""
    return f"{_HOST}:{os.getpid()}:{uuid.uuid4().hex[:12]}"


def _now_ms() -> int:
    return int(time.time() * 1000)


def take_lock(conn: Connection, agency: str, sha: str, holder: str) -> bool:
    """Take the upload lock of ``sha`` for ``agency`` (free, or its lease expired): one
    statement, atomic on both backends. Should a lease expire under a very slow request, two
    appenders could meet on one part; the hash check before publishing still lets nothing wrong
    through (the part is discarded and the client sends the file again). Taking a lock one
    already holds succeeds (a call run again after a deadlock)."""
    now = _now_ms()
    with unsynced(conn):
        cur = conn.execute(
            "INSERT INTO upload_locks (agency, sha256, holder, expires_ms) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (agency, sha256) DO UPDATE SET holder = excluded.holder,"
            " expires_ms = excluded.expires_ms"
            " WHERE upload_locks.expires_ms < ? OR upload_locks.holder = excluded.holder",
            [agency, sha, holder, now + LEASE_MS, now],
        )
        return bool(cur.rowcount)


def renew_lock(conn: Connection, agency: str, sha: str, holder: str) -> None:
    with unsynced(conn):
        conn.execute(
            "UPDATE upload_locks SET expires_ms = ? WHERE agency = ? AND sha256 = ? AND holder = ?",
            [_now_ms() + LEASE_MS, agency, sha, holder],
        )


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clear_dead_leases(conn: Connection) -> int:
    """At start-up: leases of processes of this host that no longer run (killed mid-upload);
    other hosts' leases are left to expire."""
    dead = []
    for agency, sha, holder in conn.execute(
        "SELECT agency, sha256, holder FROM upload_locks"
    ).fetchall():
        host, _, rest = str(holder).partition(":")
        pid = rest.partition(":")[0]
        if host == _HOST and pid.isdigit() and not _alive(int(pid)):
            dead.append([agency, sha, holder])
    conn.executemany(
        "DELETE FROM upload_locks WHERE agency = ? AND sha256 = ? AND holder = ?", dead
    )
    return len(dead)


def release_lock(conn: Connection, agency: str, sha: str, holder: str) -> None:
    """Give the lock back (only one's own), and sweep leases left by killed workers: the
    table holds uploads in progress and nothing else."""
    with unsynced(conn):
        _delete_lock(conn, agency, sha, holder)


def _delete_lock(conn: Connection, agency: str, sha: str, holder: str) -> None:
    """One's own lease and every expired one, in one statement."""
    conn.execute(
        "DELETE FROM upload_locks"
        " WHERE (agency = ? AND sha256 = ? AND holder = ?) OR expires_ms < ?",
        [agency, sha, holder, _now_ms()],
    )


def _fsync_dir(path: Path) -> None:
    """Make a rename durable (POSIX; Windows cannot open a directory and needs no such step)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def recover(paths: PlatformPaths, conn: Connection) -> dict[str, int]:
    """At start-up, before any request: publish every complete part (a crash hit between its
    last byte and its publication), drop a complete one that does not match its name, and remove
    parts left unresumed for :data:`STALE_DAYS`. Returns what it did, for the log."""
    done = {"published": 0, "discarded": 0, "stale": 0}
    stale_before = time.time() - STALE_DAYS * 86400
    clear_dead_leases(conn)
    for part in sorted(paths.uploads_dir.glob("*/*.part")):
        sha, agency = part.stem, part.parent.name
        try:
            size = part.stat().st_size
        except FileNotFoundError:  # published meanwhile by another worker starting up
            continue
        if not SHA256_RE.match(sha):
            continue
        if size and size == _announced(part):
            if _sha256_file(part) == sha:
                _publish(paths, conn, agency, part, sha, size)
                done["published"] += 1
            else:
                _discard(part)
                done["discarded"] += 1
        elif part.stat().st_mtime < stale_before:
            _discard(part)
            done["stale"] += 1
    for leftover in paths.uploads_dir.glob("*/*.size"):
        if not leftover.with_suffix(".part").exists():
            leftover.unlink(missing_ok=True)
    if any(done.values()):
        log.info("uploads recovered at start-up: %s", done)
    return done
