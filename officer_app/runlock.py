"""Telling the temp files of a running writer from the leftovers of one that was killed.

A writer holds an OS lock on its own ``run-<token>.lock`` in the folder where it puts temp files
named with that token (``<name>.<token>.part``).  The OS drops the lock however the process ends
(``kill -9``, a crash, a power cut), so whoever can take the lock knows the owner is gone and its
temp files are leftovers; whoever cannot, leaves them alone.  No clock, no PID that could be
reused: the kernel's own bookkeeping.

POSIX uses ``flock`` (per open file, so two writers in one process exclude each other as well);
Windows uses ``msvcrt.locking`` on the first byte (per handle, the same semantics).  ``_locker``
picks one by :data:`officer_app.portable.WINDOWS`, so tests can force the Windows branch.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import uuid
import weakref
from pathlib import Path
from typing import IO, Any

from officer_app import portable

log = logging.getLogger(__name__)
LOCK_RE = re.compile(r"^run-([0-9a-f]{12})\.lock$")


def _locker() -> tuple[Any, Any]:
    """(try_lock(fd) raising OSError when held, unlock(fd)) for this platform."""
    if portable.WINDOWS:
        # msvcrt is Windows-only: mypy on Linux finds it empty, on Windows it does not need these.
        import msvcrt  # type: ignore[import-not-found,unused-ignore]

        def try_lock(fd: int) -> None:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined,unused-ignore]

        def unlock(fd: int) -> None:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined,unused-ignore]

        return try_lock, unlock
    import fcntl

    return (
        lambda fd: fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB),
        lambda fd: fcntl.flock(fd, fcntl.LOCK_UN),
    )


def lock_path(folder: Path, token: str) -> Path:
    return folder / f"run-{token}.lock"


class RunLock:
    """This writer's claim on the temp files it names with :attr:`token` in ``folder``."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.token = uuid.uuid4().hex[:12]
        self.path = lock_path(folder, self.token)
        fh: IO[bytes] = open(self.path, "a+b")  # noqa: SIM115 - held open for the run
        try:
            _locker()[0](fh.fileno())
        except BaseException:
            fh.close()
            raise
        self._finalizer = weakref.finalize(self, _release, fh, self.path)

    def release(self) -> None:
        """Give the claim up (its temp files must be gone by now: they become leftovers)."""
        self._finalizer()

    def __enter__(self) -> RunLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def _release(fh: IO[bytes], path: Path) -> None:
    with contextlib.suppress(OSError):
        _locker()[1](fh.fileno())
    fh.close()
    with contextlib.suppress(OSError):
        portable.remove(path)


def owner_alive(folder: Path, token: str) -> bool:
    """True while the writer that named files with ``token`` still runs."""
    path = lock_path(folder, token)
    try:
        fh = open(path, "r+b")  # noqa: SIM115 - closed below, whatever happens
    except FileNotFoundError:
        return False
    except OSError:
        return True  # cannot tell (a sharing violation on Windows): assume it is alive
    with fh:
        try_lock, unlock = _locker()
        try:
            try_lock(fh.fileno())
        except OSError:
            return True
        unlock(fh.fileno())
        return False


def dead_locks(folder: Path) -> list[Path]:
    """Lock files whose writers are gone (to delete once their leftovers are dealt with)."""
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.iterdir()):
        match = LOCK_RE.match(path.name)
        if match and not owner_alive(folder, match.group(1)):
            found.append(path)
    return found


#: A claimed temp file beside its target (fileio.staged_write): ``.<name>.<run>.part``.
CLAIMED_TEMP_RE = re.compile(r"^\.(.+)\.([0-9a-f]{12})\.part$")


def stale_temp_files(folder: Path) -> list[Path]:
    """Temp files in a data-dir folder (``documents/``) whose writers are gone.

    Every write there is claimed (fileio.staged_write(claim=True)); a ``.part`` without a
    run token is an older release's, and no older release runs beside this one.
    """
    if not folder.is_dir():
        return []
    stale = []
    for path in sorted(folder.glob(".*.part")):
        match = CLAIMED_TEMP_RE.match(path.name)
        if match is None or not owner_alive(folder, match.group(2)):
            stale.append(path)
    return stale


def sweep_temp_files(folder: Path) -> list[Path]:
    """Delete the temp files of dead writers in ``folder`` (never a whole file: the target of a
    temp file is either in place already or was never committed) and their lock files."""
    removed = stale_temp_files(folder)
    for path in removed:
        portable.remove(path)
    for lock in dead_locks(folder):
        portable.remove(lock)
    if removed:
        log.info("removed %d stale temp files in %s", len(removed), folder)
    return removed
