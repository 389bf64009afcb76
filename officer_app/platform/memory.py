"""Give freed memory back to the operating system (glibc), so a long-running platform's RSS
follows its load instead of its peak.

A request's buffers (an upload's blocks, a push body and its parsed entries) are freed when it
ends, but glibc keeps the freed pages in per-thread arenas, and the worker threads that handled
them each have one: over consecutive busy periods the RSS crept up by about 1 MB per upload in
flight (issue 20). ``malloc_trim(0)`` hands those pages back. It runs in a worker thread, at most
every :data:`INTERVAL_S`, after a request that allocated much; elsewhere (macOS, Windows, musl)
it does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import sys
import threading
import time
from collections.abc import Callable

log = logging.getLogger(__name__)
INTERVAL_S = 5.0


def _find_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim = libc.malloc_trim
    except (OSError, AttributeError):  # not glibc
        return None
    trim.argtypes, trim.restype = [ctypes.c_size_t], ctypes.c_int
    return trim


_TRIM = _find_trim()
_lock = threading.Lock()
_last = 0.0


def due() -> bool:
    """Whether :func:`trim_soon` would trim now (cheap: callers on the event loop ask first and
    hop to a worker thread only then)."""
    return _TRIM is not None and time.monotonic() - _last >= INTERVAL_S


def trim_soon() -> bool:
    """Trim now unless done in the last :data:`INTERVAL_S` (call it from a worker thread);
    ``True`` when it trimmed."""
    global _last
    if _TRIM is None:
        return False
    now = time.monotonic()
    with _lock:
        if now - _last < INTERVAL_S:
            return False
        _last = now
    _TRIM(0)
    return True
