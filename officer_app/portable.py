"""File operations that behave the same on Windows as on Linux and macOS.

POSIX lets a program replace or delete a read-only file, rename over a file another program has
open, and fsync a directory.  Windows refuses the first two with ``PermissionError`` (a read-only
attribute, or a sharing violation while an antivirus scanner, the search indexer or a PDF viewer
holds the file for a moment) and cannot open a directory at all.  Every write path of the app goes
through these helpers, so each Windows behaviour is handled once; ``WINDOWS`` is a module flag
so tests can force the Windows branch on any machine (docs/windows.md lists what they cover).
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import stat
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

WINDOWS = os.name == "nt"

#: Windows "sharing violation" / "lock violation": another program has the file open.
SHARING_VIOLATIONS = frozenset((32, 33))
#: How long a replace or delete waits for a transient holder (a scanner) to let go, in total.
RETRY_DELAYS = (0.05, 0.1, 0.2, 0.4, 0.8)


def fsync_dir(path: Path) -> None:
    """Make a rename in ``path`` durable, where the OS can (POSIX); a no-op where it cannot.

    Windows cannot open a directory (``PermissionError``), and NTFS journals renames itself; some
    file systems (network shares, FAT on a USB stick) refuse a directory fsync with EINVAL.
    """
    try:
        fd = os.open(path, os.O_RDONLY)
    except (PermissionError, IsADirectoryError):
        return
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in (errno.EINVAL, errno.EBADF, errno.ENOTSUP):
            raise
    finally:
        os.close(fd)


def make_writable(path: Path) -> bool:
    """Clear a read-only flag (Windows' read-only attribute is the user-write bit); True if it
    was set, so a refused replace or delete is worth trying again."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    if mode & stat.S_IWUSR:
        return False
    os.chmod(path, mode | stat.S_IWUSR)
    return True


def _windows_retry(action: Callable[[], Any], target: Path) -> Any:
    """Run ``action``; on Windows, after a refusal, clear ``target``'s read-only flag or wait
    for a transient holder, and try again a few times."""
    for delay in (*RETRY_DELAYS, None):
        try:
            return action()
        except PermissionError as exc:
            if not WINDOWS or delay is None:
                raise
            if make_writable(target):
                continue
            if (
                getattr(exc, "winerror", None) not in SHARING_VIOLATIONS
                and exc.errno != errno.EACCES
            ):
                raise
            time.sleep(delay)
    raise AssertionError("unreachable")  # pragma: no cover


def replace(src: Path, dst: Path) -> None:
    """``os.replace`` that also works over a read-only or briefly-held target on Windows."""
    _windows_retry(lambda: os.replace(src, dst), dst)


def remove(path: Path) -> None:
    """Delete a file if it exists, read-only (evidence, Windows) or not."""
    with contextlib.suppress(FileNotFoundError, NotADirectoryError):
        _windows_retry(lambda: os.unlink(path), path)


def remove_tree(path: Path) -> None:
    """``shutil.rmtree`` that also removes read-only files (evidence copies on Windows)."""

    def retry(func: Callable[[str], Any], failed: str, exc_info: Any) -> None:
        if make_writable(Path(failed)):
            func(failed)
        elif os.path.lexists(failed):
            raise exc_info[1]

    if os.path.lexists(path):
        shutil.rmtree(path, onerror=retry)


#: The deepest file the app writes below a data dir (evidence/tmp/<sha256>.<run>.part), plus
#: room: a data dir longer than this could not hold its own files on a classic Windows set-up.
DATA_DIR_MAX_CHARS = 259 - 110


def long_paths_enabled() -> bool:
    """Windows 10+ with LongPathsEnabled lets Python open paths over 260 characters."""
    if not WINDOWS:
        return True
    try:
        # winreg is Windows-only: mypy on Linux finds it empty, on Windows it does not need these.
        import winreg  # type: ignore[import-not-found,unused-ignore]

        key = winreg.OpenKey(  # type: ignore[attr-defined,unused-ignore]
            winreg.HKEY_LOCAL_MACHINE,  # type: ignore[attr-defined,unused-ignore]
            r"SYSTEM\CurrentControlSet\Control\FileSystem",
        )
        with key:
            value, _ = winreg.QueryValueEx(key, "LongPathsEnabled")  # type: ignore[attr-defined,unused-ignore]
        return bool(value)
    except OSError:
        return False


def too_long_for_windows(root: Path) -> bool:
    """A data dir whose own files would pass Windows' 260-character limit."""
    return WINDOWS and len(str(root)) > DATA_DIR_MAX_CHARS and not long_paths_enabled()
