"""Content-addressed evidence files: ``evidence/ab/abcdef…`` named by their SHA-256.

A file is written to a temporary name, fsynced and renamed into place before the row that points
at it commits, so a crash leaves either no file or a whole one (an orphan is harmless and ``verify``
names it).  Stored files are made read-only; nothing in the app ever opens them for writing again.
"""

from __future__ import annotations

import errno
import os
import stat
import uuid
from collections.abc import Iterator
from pathlib import Path

from officer_app.store.errors import DiskFullError, ReadOnlyStoreError, StoreError

_DISK_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}


def fsync_dir(path: Path) -> None:
    if os.name == "nt":  # directories cannot be opened for fsync on Windows
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def storage_error(exc: OSError, what: str) -> StoreError:
    """An OSError from writing evidence, as something the officer can act on."""
    if exc.errno in _DISK_FULL:
        return DiskFullError(
            "磁盘已满，无法保存证据文件。请清理磁盘空间后重试，已保存的证据不受影响。",
            f"{what}: {exc}",
        )
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return ReadOnlyStoreError("数据目录不可写，无法保存证据文件。", f"{what}: {exc}")
    return StoreError("保存证据文件失败，已保存的证据不受影响。", f"{what}: {exc}")


class BlobStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.tmp = root / "tmp"

    def path_for(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def has(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    def put(self, data: bytes | memoryview, sha256: str) -> Path:
        """Store ``data`` (whose hash the caller computed) durably; idempotent."""
        final = self.path_for(sha256)
        if final.is_file() and final.stat().st_size == len(data):
            return final
        tmp = self.tmp / f"{uuid.uuid4().hex}.part"
        try:
            self.tmp.mkdir(parents=True, exist_ok=True)
            final.parent.mkdir(parents=True, exist_ok=True)
            with tmp.open("wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, stat.S_IRUSR | stat.S_IRGRP)
            os.replace(tmp, final)
            fsync_dir(final.parent)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise storage_error(exc, f"writing evidence {sha256}") from exc
        return final

    def iter_stored(self) -> Iterator[tuple[str, Path]]:
        """Every stored file as ``(name, path)``, for verify to find extra ones."""
        if not self.root.is_dir():
            return
        for sub in sorted(self.root.iterdir()):
            if sub.is_dir() and sub.name != "tmp":
                for path in sorted(sub.iterdir()):
                    yield path.name, path
