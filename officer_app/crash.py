"""The crash handler, installed before anything else runs.

An unexpected exception writes its traceback to a file in the data dir's log folder and then calls
an optional notifier (the GUI shows a short dialog; ``--no-crash-dialog`` and the CLI leave it
out).  ``faulthandler`` covers hard crashes in native code such as Qt.
"""

from __future__ import annotations

import datetime as dt
import faulthandler
import logging
import sys
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import IO

log = logging.getLogger(__name__)

Notifier = Callable[[str, Path], None]

_fault_file: IO[str] | None = None


def write_crash_report(logs_dir: Path, exc: BaseException) -> Path:
    """The traceback in a file: in the data dir's logs, or the system's temp folder when the
    data dir cannot be written (the report must not be the second crash)."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    try:
        logs_dir.mkdir(parents=True, exist_ok=True)
        path = logs_dir / f"crash-{stamp}.log"
        path.write_text(text, encoding="utf-8")
    except OSError:
        path = Path(tempfile.gettempdir()) / f"officer-app-crash-{stamp}.log"
        path.write_text(text, encoding="utf-8")
    return path


def install(logs_dir: Path, notifier: Notifier | None = None) -> None:
    """Route uncaught exceptions to a crash report (and the notifier, when given)."""
    global _fault_file
    if _fault_file is None:
        try:
            logs_dir.mkdir(parents=True, exist_ok=True)
            _fault_file = (logs_dir / "faulthandler.log").open("a", encoding="utf-8")
        except OSError as exc:  # a read-only data dir: the app still starts and says why later
            log.warning("no faulthandler log in %s: %s", logs_dir, exc)
        else:
            faulthandler.enable(_fault_file)

    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        path = write_crash_report(logs_dir, exc)
        log.critical("unhandled exception, report in %s", path, exc_info=(exc_type, exc, tb))
        if notifier is not None:
            notifier("".join(traceback.format_exception_only(exc_type, exc)).strip(), path)
        else:
            sys.__excepthook__(exc_type, exc, tb)

    sys.excepthook = hook


def uninstall() -> None:
    global _fault_file
    sys.excepthook = sys.__excepthook__
    if _fault_file is not None:
        faulthandler.disable()
        _fault_file.close()
        _fault_file = None
