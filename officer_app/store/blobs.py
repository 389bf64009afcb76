"""Content-addressed evidence files: ``evidence/ab/abcdef…`` named by their SHA-256.

A file is written to a temporary name, fsynced and renamed into place before the row that points
at it commits, so a crash leaves either no file or a whole one.  Stored files are made read-only;
nothing in the app ever opens them for writing again.

What a crash can leave is recognisable, so ``verify`` can say what it is and how to fix it:
temp files are named ``tmp/<sha256>.<run>.part`` by a writer holding ``tmp/run-<run>.lock``
(:mod:`officer_app.runlock`), and an import notes what it is storing in
``tmp/<sha256>.<run>.intake`` (the original name, the officer, the patrol) until the row commits.
A stored file without a row then comes with its note: an interrupted import, not a mystery.

A recording (several GB) is streamed in before its hash is known: it is copied to
``tmp/stream-<id>.<run>.part`` while hashed and fsynced, its note is written, and only then is it
renamed to ``tmp/<sha256>.<run>.part`` (:meth:`BlobStore.stage_stream`).  A killed writer's
``stream-`` file is therefore never known to be whole and is deleted by the sweep (the original
is still where it was imported from); a ``<sha256>`` part is whole, has its note, and is
published and registered like a photo's.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import stat
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from officer_app import portable
from officer_app.faults import fault_point
from officer_app.fileguard import DISK_FULL, NO_PERMISSION
from officer_app.runlock import RunLock
from officer_app.store.errors import DiskFullError, ReadOnlyStoreError, StoreError

SHA_RE = re.compile(r"^[0-9a-f]{64}$")
#: ``<sha256>.<run token>.part`` / ``.intake``: what a temp file should become, and whose it is.
TEMP_RE = re.compile(r"^([0-9a-f]{64})\.([0-9a-f]{12})\.(part|intake)$")
#: ``stream-<id>.<run token>.part``: a recording being copied in, its hash not known yet.
STREAM_RE = re.compile(r"^stream-([0-9a-f]{12})\.([0-9a-f]{12})\.part$")

#: Copies a source into the open temp file while hashing it: ``(sha256, size)``.
Fill = Callable[[BinaryIO], tuple[str, int]]

# Kept here for the modules that import them from their old home.
fsync_dir = portable.fsync_dir


def storage_error(exc: OSError, what: str) -> StoreError:
    """An OSError from writing evidence, as something the officer can act on."""
    if exc.errno in DISK_FULL:
        return DiskFullError(
            "磁盘已满，无法保存证据文件。请清理磁盘空间后重试，已保存的证据不受影响。",
            f"{what}: {exc}",
        )
    if exc.errno in NO_PERMISSION:
        return ReadOnlyStoreError("数据目录不可写，无法保存证据文件。", f"{what}: {exc}")
    return StoreError("保存证据文件失败，已保存的证据不受影响。", f"{what}: {exc}")


@dataclass(frozen=True, slots=True)
class Staged:
    """A whole, fsynced copy at ``tmp/<sha256>.<run>.part`` with its intake note, waiting for its
    row: not evidence until :meth:`BlobStore.commit`, and published by the sweep if the writer
    is killed (so ``verify --repair`` can register it from the note)."""

    path: Path
    sha256: str
    size: int


def _remove_quietly(path: Path) -> None:
    with contextlib.suppress(OSError):
        portable.remove(path)


class BlobStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.tmp = root / "tmp"
        self._run: RunLock | None = None
        self._run_guard = threading.Lock()  # import workers stage recordings in parallel

    # Where things are ---------------------------------------------------------------------------
    def path_for(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def has(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    @property
    def run(self) -> RunLock:
        """This store's claim on its temp files, taken at the first write."""
        with self._run_guard:
            if self._run is None:
                self._run = RunLock(self.tmp)
            return self._run

    def close(self) -> None:
        """Give up the claim (also done when the object is collected or the process ends)."""
        with self._run_guard:
            if self._run is not None:
                self._run.release()
                self._run = None

    # Writing ------------------------------------------------------------------------------------
    def put(self, data: bytes | memoryview, sha256: str) -> Path:
        """Store ``data`` (whose hash the caller computed) durably; idempotent."""
        final = self.path_for(sha256)
        if final.is_file() and final.stat().st_size == len(data):
            return final
        try:
            tmp = self.tmp / f"{sha256}.{self.run.token}.part"
            final.parent.mkdir(parents=True, exist_ok=True)
            with tmp.open("wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            fault_point("blob_before_publish")
            self.publish(tmp, final)
        except OSError as exc:
            with contextlib.suppress(UnboundLocalError, OSError):
                portable.remove(tmp)
            raise storage_error(exc, f"writing evidence {sha256}") from exc
        return final

    def stage_stream(self, fill: Fill, what: str, note: dict[str, Any] | None = None) -> Staged:
        """Stream a file whose hash is not known yet (a recording of several GB) into ``tmp/``.

        ``fill`` copies the source into the temp file while hashing it (one read of the original,
        flat memory); the copy is fsynced, ``note`` is written for its hash, and the copy is
        renamed to ``<sha256>.<run>.part``, the name the sweep and ``verify`` know.  The caller
        checks the hash against the store, then :meth:`commit` or :meth:`discard_staged`.
        """
        stream = self.tmp / f"stream-{uuid.uuid4().hex[:12]}.{self.run.token}.part"
        sha = ""
        try:
            with stream.open("wb") as fh:
                sha, size = fill(fh)
                fh.flush()
                os.fsync(fh.fileno())
            fault_point("stream_before_name")
            if note is not None:
                self.note_intake(sha, {**note, "size": size})
            staged = Staged(self.tmp / f"{sha}.{self.run.token}.part", sha, size)
            portable.replace(stream, staged.path)
        except BaseException as exc:
            _remove_quietly(stream)
            if sha and note is not None:
                self.clear_intake(sha, mine_only=True)
            if isinstance(exc, OSError):
                raise storage_error(exc, f"staging {what}") from exc
            raise
        return staged

    def commit(self, staged: Staged) -> Path:
        """A staged copy becomes the stored, read-only original (directory fsynced)."""
        final = self.path_for(staged.sha256)
        try:
            if final.is_file() and final.stat().st_size == staged.size:
                portable.remove(staged.path)  # stored meanwhile (the same bytes twice in a run)
                return final
            final.parent.mkdir(parents=True, exist_ok=True)
            fault_point("blob_before_publish")
            self.publish(staged.path, final)
        except OSError as exc:
            _remove_quietly(staged.path)
            raise storage_error(exc, f"storing evidence {staged.sha256}") from exc
        return final

    def discard_staged(self, staged: Staged) -> None:
        """Remove a staged copy that will not be committed (a duplicate, a cancelled import).

        Only the copy: its note may be another import's (see :meth:`clear_intake`)."""
        _remove_quietly(staged.path)

    def put_file(
        self, source: Path, sha256: str, copy: Callable[[Path, BinaryIO], tuple[str, int]]
    ) -> Path:
        """Store a file already on disk under the hash it must have, streamed (any size)."""
        final = self.path_for(sha256)
        if final.is_file() and final.stat().st_size == source.stat().st_size:
            return final
        tmp = self.tmp / f"{sha256}.{self.run.token}.part"
        try:
            with tmp.open("wb") as fh:
                actual, _size = copy(source, fh)
                fh.flush()
                os.fsync(fh.fileno())
            if actual != sha256:
                _remove_quietly(tmp)
                raise StoreError(
                    "证据文件与其SHA-256不符，已丢弃。", f"{source}: {actual} != {sha256}"
                )
            final.parent.mkdir(parents=True, exist_ok=True)
            self.publish(tmp, final)
        except OSError as exc:
            _remove_quietly(tmp)
            raise storage_error(exc, f"storing evidence {sha256}") from exc
        except BaseException:
            _remove_quietly(tmp)
            raise
        return final

    def publish(self, tmp: Path, final: Path) -> None:
        """A complete temp file becomes the stored, read-only original."""
        os.chmod(tmp, stat.S_IRUSR | stat.S_IRGRP)
        portable.replace(tmp, final)
        portable.fsync_dir(final.parent)

    def discard(self, sha256: str) -> None:
        """Remove a stored file whose row never committed (the caller stored it moments ago)."""
        with contextlib.suppress(OSError):
            portable.remove(self.path_for(sha256))

    def note_intake(self, sha256: str, note: dict[str, Any]) -> Path:
        """Say what is being stored until its row commits (not fsynced: a hint for ``verify``,
        which still recognises a stored file by its hash if a power cut loses the note)."""
        try:
            path = self.tmp / f"{sha256}.{self.run.token}.intake"
            path.write_text(json.dumps(note, ensure_ascii=False), encoding="utf-8")
        except OSError as exc:
            raise storage_error(exc, f"noting the intake of {sha256}") from exc
        return path

    def clear_intake(self, sha256: str, *, mine_only: bool = False) -> None:
        """The row committed: no note about this file is news any more, whoever wrote it.

        ``mine_only``: this run gives up on the file (a staged recording taken back); another
        import's note about the same bytes stays its own business."""
        if mine_only:
            if self._run is not None:
                portable.remove(self.tmp / f"{sha256}.{self._run.token}.intake")
            return
        if self.tmp.is_dir():
            for path in self.tmp.glob(f"{sha256}.*.intake"):
                portable.remove(path)

    # Reading ------------------------------------------------------------------------------------
    def iter_stored(self) -> Iterator[tuple[str, Path]]:
        """Every stored file as ``(name, path)``, for verify to find extra ones."""
        if not self.root.is_dir():
            return
        for sub in sorted(self.root.iterdir()):
            if sub.is_dir() and sub.name != "tmp":
                for path in sorted(sub.iterdir()):
                    yield path.name, path
            elif not sub.is_dir():
                yield sub.name, sub
