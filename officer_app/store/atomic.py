"""Write a file so that a crash leaves either the old file, or the whole new one, never half.

The one routine for every file the app writes outside SQLite: issued PDFs, bulletins, exports,
cached previews.  ``durable`` adds the fsyncs that make the rename survive a power cut; derived
cache files skip them.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from officer_app.store.blobs import fsync_dir, storage_error


def write_bytes_atomic(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Temp name beside ``path``, (fsync,) rename; a failure removes the temp file and raises a
    StoreError the officer can read (disk full, read-only)."""
    with staged_write(path, durable=durable) as write:
        write(data)


@contextlib.contextmanager
def staged_write(path: Path, *, durable: bool = True) -> Iterator[Callable[[bytes], None]]:
    """Yields ``write(data)``, which puts the whole file beside ``path`` under a temp name (and on
    the disk, when ``durable``); ``path`` takes it only when the block ends without an error.

    Why a block: the platform numbers a bulletin inside a transaction.  Writing the file within
    that transaction and renaming it after the commit means a full disk rolls the number back,
    and a failed commit leaves no PDF with a number nobody recorded.
    """
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.part")

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
            raise storage_error(exc, f"writing {path}") from exc

    try:
        yield write
    except BaseException:
        _discard(tmp)
        raise
    try:
        os.replace(tmp, path)
        if durable:
            fsync_dir(path.parent)
    except OSError as exc:
        _discard(tmp)
        raise storage_error(exc, f"writing {path}") from exc


def _discard(tmp: Path) -> None:
    # No temp file to remove when the folder itself could not be made (its "parent" is a file):
    # that is not a second error, the first one is what the officer is told.
    with contextlib.suppress(FileNotFoundError, NotADirectoryError):
        tmp.unlink()


def write_output(out: str | os.PathLike[str] | BinaryIO, data: bytes) -> None:
    """A renderer's output: a path through :func:`write_bytes_atomic`, a stream as given."""
    if isinstance(out, str | os.PathLike):
        write_bytes_atomic(Path(out), data)
    else:
        out.write(data)
