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
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

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


@dataclass(frozen=True, slots=True)
class Staged:
    """A whole, fsynced copy in ``tmp/`` waiting for its row: not evidence until committed."""

    path: Path
    sha256: str
    size: int


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

    def stage_file(self, source: Path, copy: Callable[[Path, BinaryIO], tuple[str, int]]) -> Staged:
        """Copy ``source`` into a temporary file while hashing it, fsync it, and return it staged.

        For recordings of several GB: ``copy`` (the one hashing routine) streams the file in
        chunks, so memory stays flat and the file is read once.  The caller checks the hash
        against the store, then :meth:`commit` or :meth:`discard` the staged file.
        """
        tmp = self.tmp / f"{uuid.uuid4().hex}.part"
        try:
            self.tmp.mkdir(parents=True, exist_ok=True)
            with tmp.open("wb") as fh:
                sha256, size = copy(source, fh)
                fh.flush()
                os.fsync(fh.fileno())
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise storage_error(exc, f"staging {source}") from exc
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        return Staged(tmp, sha256, size)

    def commit(self, staged: Staged) -> Path:
        """Move a staged file to its content address (read-only, directory fsynced)."""
        final = self.path_for(staged.sha256)
        try:
            if final.is_file() and final.stat().st_size == staged.size:
                staged.path.unlink(missing_ok=True)
                return final
            final.parent.mkdir(parents=True, exist_ok=True)
            os.chmod(staged.path, stat.S_IRUSR | stat.S_IRGRP)
            os.replace(staged.path, final)
            fsync_dir(final.parent)
        except OSError as exc:
            staged.path.unlink(missing_ok=True)
            raise storage_error(exc, f"storing evidence {staged.sha256}") from exc
        return final

    def put_file(
        self, source: Path, sha256: str, copy: Callable[[Path, BinaryIO], tuple[str, int]]
    ) -> Path:
        """Store a file already on disk under the hash it must have, streamed (any size)."""
        final = self.path_for(sha256)
        if final.is_file() and final.stat().st_size == source.stat().st_size:
            return final
        staged = self.stage_file(source, copy)
        if staged.sha256 != sha256:
            self.discard(staged)
            raise StoreError(
                "证据文件与其SHA-256不符，已丢弃。", f"{source}: {staged.sha256} != {sha256}"
            )
        return self.commit(staged)

    @staticmethod
    def discard(staged: Staged) -> None:
        staged.path.unlink(missing_ok=True)

    def iter_stored(self) -> Iterator[tuple[str, Path]]:
        """Every stored file as ``(name, path)``, for verify to find extra ones."""
        if not self.root.is_dir():
            return
        for sub in sorted(self.root.iterdir()):
            if sub.is_dir() and sub.name != "tmp":
                for path in sorted(sub.iterdir()):
                    yield path.name, path
