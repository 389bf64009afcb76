"""Ctrl-C as the CLI's cancel button for long imports.

Python's default Ctrl-C raises ``KeyboardInterrupt`` wherever the main thread happens to be; in
an import that is usually "waiting for the worker copying a 4 GB recording", and the report of
what was imported before is lost with the traceback.  Here the first Ctrl-C only asks the import
to stop (it does, within one 1 MiB chunk, removing the partial copy), and the command prints its
report as usual with ``cancelled``; a second Ctrl-C is the old hard stop.
"""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


@contextmanager
def cancel_on_sigint() -> Iterator[threading.Event]:
    """An event set by the first Ctrl-C while the block runs (a plain event off the main thread,
    where signal handlers cannot be installed)."""
    event = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield event
        return

    def first(_signum: int, _frame: FrameType | None) -> None:
        event.set()
        print("正在取消导入……（再按一次 Ctrl-C 立即中止）", file=sys.stderr, flush=True)
        signal.signal(signal.SIGINT, signal.default_int_handler)

    previous = signal.signal(signal.SIGINT, first)
    try:
        yield event
    finally:
        signal.signal(signal.SIGINT, previous)


__all__ = ["cancel_on_sigint"]
