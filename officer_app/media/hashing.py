"""The one SHA-256 routine of the project.

Evidence integrity rests on the digest recorded at intake (DOMAIN.md §8), so there is exactly one
place that computes it.  :func:`copy_and_hash` lets the importer read each original once: the same
buffer is fed to the hash and written to the evidence store's temporary file.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from typing import IO, BinaryIO

from officer_app.media.errors import UnreadableFile

CHUNK_SIZE = 1 << 20  # 1 MiB: large enough to amortise syscalls, small enough for any machine


def sha256_bytes(data: bytes | bytearray | memoryview) -> str:
    """Hex SHA-256 of an in-memory buffer."""
    return hashlib.sha256(data).hexdigest()


def sha256_stream(src: BinaryIO, chunk: int = CHUNK_SIZE) -> str:
    """Hex SHA-256 of everything left in a binary stream."""
    h = hashlib.sha256()
    buf = bytearray(chunk)
    view = memoryview(buf)
    while True:
        # typing.BinaryIO declares no readinto; every caller passes a real file object.
        n = src.readinto(view)  # type: ignore[attr-defined]
        if not n:
            break
        h.update(view[:n])
    return h.hexdigest()


def sha256_file(path: str | os.PathLike[str], chunk: int = CHUNK_SIZE) -> str:
    """Hex SHA-256 of a file, read in ``chunk``-sized pieces.

    Raises :class:`UnreadableFile` when the file cannot be opened or read, because at intake that
    is a condition the officer must see (a pulled SD card, a permissions problem).
    """
    try:
        with open(path, "rb", buffering=0) as f:
            return sha256_stream(f, chunk)
    except OSError as exc:
        raise UnreadableFile(f"cannot read {os.fspath(path)!r}: {exc}") from exc


class CopyCancelled(Exception):
    """The officer cancelled while a file was being copied (the destination is the caller's)."""

    def __init__(self, copied: int) -> None:
        super().__init__(f"cancelled after {copied} bytes")
        self.copied = copied


def copy_and_hash(
    src: IO[bytes],
    dst: IO[bytes],
    chunk: int = CHUNK_SIZE,
    *,
    stop: Callable[[], bool] | None = None,
) -> tuple[str, int]:
    """Copy ``src`` to ``dst`` while hashing; return ``(sha256_hex, n_bytes)``.

    Read failures become :class:`UnreadableFile`; write failures (full disk) propagate as the
    ``OSError`` they are, since the store owns the destination and its clean-up.  ``stop`` is
    asked before every chunk, so a cancel lands within one chunk (1 MiB, milliseconds) even in
    the middle of a multi-GB recording: :class:`CopyCancelled` is raised and the caller removes
    what it had written.
    """
    h = hashlib.sha256()
    buf = bytearray(chunk)
    view = memoryview(buf)
    total = 0
    while True:
        if stop is not None and stop():
            raise CopyCancelled(total)
        try:
            # typing.BinaryIO declares no readinto; every caller passes a real file object.
            n = src.readinto(view)  # type: ignore[attr-defined]
        except OSError as exc:
            raise UnreadableFile(f"read failed after {total} bytes: {exc}") from exc
        if not n:
            break
        piece = view[:n]
        h.update(piece)
        dst.write(piece)
        total += n
    return h.hexdigest(), total


def copy_file_and_hash(
    src_path: str | os.PathLike[str], dst: BinaryIO, chunk: int = CHUNK_SIZE
) -> tuple[str, int]:
    """Open ``src_path`` and :func:`copy_and_hash` it into ``dst``."""
    try:
        f = open(src_path, "rb", buffering=0)  # noqa: SIM115 - closed below, errors mapped
    except OSError as exc:
        raise UnreadableFile(f"cannot open {os.fspath(src_path)!r}: {exc}") from exc
    with f:
        return copy_and_hash(f, dst, chunk)
