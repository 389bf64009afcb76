"""Write a file so that a crash leaves either the old file, or the whole new one, never half.

The one routine for every file the app writes outside SQLite: issued PDFs, bulletins, exports,
backups, sync bundles, cached previews.  ``durable`` adds the fsyncs that make the rename survive
a power cut; derived cache files skip them.  A failure names the file that could not be written
(not the data dir: an export may go anywhere) and removes the temp file; a folder, FIFO or device
where the file should go is refused before anything is written.

A neutral module, below every layer that writes files (documents, store, services): rendering a
PDF needs no store, so this routine is not part of it (docs/architecture.md).
"""

from __future__ import annotations

import contextlib
import os
import stat
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from officer_app import portable
from officer_app.errors import DiskFullError, ReadOnlyStoreError, StoreError, ValidationError
from officer_app.fileguard import DISK_FULL, NO_PERMISSION, display_path, reason_zh
from officer_app.runlock import RunLock


def write_error(exc: OSError, path: Path) -> StoreError:
    """A failed write of ``path``, naming it; typed so callers can tell a full disk apart."""
    message = f"无法写入 {display_path(path)}：{reason_zh(exc)}。"
    detail, params = f"writing {path}: {exc}", {"path": display_path(path)}
    if exc.errno in DISK_FULL:
        return DiskFullError(message + "请清理磁盘空间后重试。", detail, params=params)
    if exc.errno in NO_PERMISSION:
        return ReadOnlyStoreError(message + "请换一个可写的位置。", detail, params=params)
    return StoreError(message, detail, params=params)


def check_target(path: Path) -> None:
    """Refuse a folder, FIFO or device where a file should be (re)placed."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return  # absent (the usual case), or the write itself will say why
    if stat.S_ISDIR(mode):
        raise ValidationError(
            f"{display_path(path)} 是一个文件夹，请写上要保存的文件名。", f"{path} is a folder"
        )
    if not stat.S_ISREG(mode):
        raise ValidationError(
            f"{display_path(path)} 不是普通文件（设备或管道），不能写入。", f"{path}: {mode:o}"
        )


def temp_name(path: Path, run: RunLock | None = None) -> Path:
    """Beside ``path``; short, so a name that fits Windows' 260 characters still fits as temp.

    With ``run``, named ``.<name>.<run>.part`` so that a killed writer's leftover is recognisable
    (officer_app/runlock.py); otherwise a random ``.~<hex>.part``.
    """
    if run is not None:
        return path.with_name(f".{path.name}.{run.token}.part")
    return path.with_name(f".~{uuid.uuid4().hex[:12]}.part")


def write_bytes_atomic(
    path: Path, data: bytes, *, durable: bool = True, claim: bool = False
) -> None:
    """Temp name beside ``path``, (fsync,) rename; a failure removes the temp file and raises a
    StoreError the officer can read (disk full, read-only).  ``claim``: see :func:`staged_write`."""
    with staged_write(path, durable=durable, claim=claim) as write:
        write(data)


@contextlib.contextmanager
def staged_write(
    path: Path, *, durable: bool = True, claim: bool = False
) -> Iterator[Callable[[bytes], None]]:
    """Yields ``write(data)``, which puts the whole file beside ``path`` under a temp name (and on
    the disk, when ``durable``); ``path`` takes it only when the block ends without an error.

    Why a block: the platform numbers a bulletin inside a transaction.  Writing the file within
    that transaction and renaming it after the commit means a full disk rolls the number back,
    and a failed commit leaves no PDF with a number nobody recorded.

    ``claim`` is for folders of the data dir (``documents/``): the temp file is named for a run
    lock held during the write (officer_app/runlock.py), so ``verify`` can tell a killed writer's
    leftover from a write in progress, and the dead writers' leftovers are cleaned first.
    """
    path = Path(path)
    check_target(path)
    with contextlib.ExitStack() as stack:
        run = None
        if claim:
            from officer_app.runlock import sweep_temp_files

            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                sweep_temp_files(path.parent)
                run = stack.enter_context(RunLock(path.parent))
            except OSError as exc:
                raise write_error(exc, path) from exc
        with _staged(path, durable, temp_name(path, run)) as write:
            yield write


@contextlib.contextmanager
def _staged(path: Path, durable: bool, tmp: Path) -> Iterator[Callable[[bytes], None]]:
    """The body of :func:`staged_write` once the temp name is chosen."""

    def write(data: bytes) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(tmp, "wb") as fh:
                fh.write(data)
                if durable:
                    fh.flush()
                    os.fsync(fh.fileno())
        except OSError as exc:
            _discard(tmp)
            raise write_error(exc, path) from exc

    try:
        yield write
    except BaseException:
        _discard(tmp)
        raise
    _publish(tmp, path, durable)


@contextlib.contextmanager
def staged_file(path: Path, *, durable: bool = True) -> Iterator[BinaryIO]:
    """Like :func:`staged_write` for writers that stream (zip archives): yields the open temp
    file; ``path`` takes it whole when the block ends without an error.

    An ``OSError`` without a file name inside the block came from writing the temp file (a
    full disk): it is reported as a failure to write ``path``.  One with a file name came from
    something the block read, and is left to name that file.
    """
    path = Path(path)
    check_target(path)
    tmp = temp_name(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fh = open(tmp, "w+b")  # noqa: SIM115 - closed below, before the rename
    except OSError as exc:
        _discard(tmp)
        raise write_error(exc, path) from exc
    try:
        try:
            yield fh
            fh.flush()
            if durable:
                os.fsync(fh.fileno())
        finally:
            fh.close()
    except OSError as exc:
        _discard(tmp)
        if exc.filename is None:
            raise write_error(exc, path) from exc
        raise
    except BaseException:
        _discard(tmp)
        raise
    _publish(tmp, path, durable)


def _publish(tmp: Path, path: Path, durable: bool) -> None:
    try:
        portable.replace(tmp, path)
        if durable:
            portable.fsync_dir(path.parent)
    except OSError as exc:
        _discard(tmp)
        raise write_error(exc, path) from exc


def _discard(tmp: Path) -> None:
    # No temp file to remove when the folder itself could not be made (its "parent" is a file):
    # that is not a second error, the first one is what the officer is told.
    with contextlib.suppress(OSError):
        portable.remove(tmp)


def write_output(out: str | os.PathLike[str] | BinaryIO, data: bytes) -> None:
    """A renderer's output: a path through :func:`write_bytes_atomic`, a stream as given."""
    if isinstance(out, str | os.PathLike):
        write_bytes_atomic(Path(out), data)
    else:
        out.write(data)
