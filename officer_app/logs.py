"""Rotating log files under the data dir, so a field report can send the detail along.

Logging must never be the thing that breaks a command: a log file that cannot be opened or
written (a read-only or full disk, a data dir that is not a folder) silences the file handler
after noting it once, instead of the ``--- Logging error ---`` traceback Python prints for every
record; the command's own one-line message is what the officer needs.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from pathlib import Path

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
#: One log file of at most this size, then ``officer_app.log.1`` … ``.5`` (the oldest dropped).
MAX_BYTES = 1_000_000
BACKUPS = 5
_configured: set[Path] = set()


class QuietRotatingFileHandler(logging.FileHandler):
    """A size-rotating file handler that gives up quietly when its file cannot be written.

    On the first failure it closes its stream, stops handling records and, when
    ``announce`` is set (the GUI, which has no one-line contract on stderr), says so once on
    stderr.  The CLI leaves it off: its stderr carries exactly one line per failure.

    It rotates as ``logging.handlers.RotatingFileHandler`` does, without importing that module:
    ``logging.handlers`` brings ``socket``, ``pickle`` and ``queue`` along, ~8 ms of every start
    of the GUI for handlers the app never uses (issue 17).
    """

    def __init__(
        self,
        path: Path,
        *,
        announce: bool = False,
        max_bytes: int = MAX_BYTES,
        backups: int = BACKUPS,
    ) -> None:
        super().__init__(path, encoding="utf-8", delay=True)
        self.max_bytes = max_bytes
        self.backups = backups
        self.broken = False
        self.announce = announce

    def emit(self, record: logging.LogRecord) -> None:
        if self.broken:
            return
        try:
            if self._full(record):
                self._roll_over()
        except Exception:
            self.handleError(record)
            return
        super().emit(record)

    def _full(self, record: logging.LogRecord) -> bool:
        """Whether ``record`` would take the file to ``max_bytes`` (a device never fills)."""
        if self.stream is None:
            self.stream = self._open()
        if self.max_bytes <= 0 or not os.path.isfile(self.baseFilename):
            return False
        self.stream.seek(0, os.SEEK_END)
        line = f"{self.format(record)}\n".encode(self.encoding or "utf-8", "replace")
        return self.stream.tell() + len(line) > self.max_bytes  # bytes: records are Chinese

    def _roll_over(self) -> None:
        """``.4`` → ``.5`` … the current file → ``.1``; the next record opens a new file."""
        if self.stream is not None:
            self.stream.close()
            self.stream = None
        base = self.baseFilename
        for number in range(self.backups - 1, 0, -1):
            older, newer = f"{base}.{number}", f"{base}.{number + 1}"
            if os.path.exists(older):
                if os.path.exists(newer):
                    os.remove(newer)
                os.rename(older, newer)
        first = f"{base}.1"
        if os.path.exists(first):
            os.remove(first)
        if os.path.exists(base):
            os.rename(base, first)

    def handleError(self, record: logging.LogRecord) -> None:
        if self.broken:
            return
        self.broken = True
        try:
            self.close()
        except Exception:
            self.stream = None
        if self.announce and sys.stderr is not None:
            with contextlib.suppress(Exception):
                sys.stderr.write(
                    f"officer-app: 日志文件无法写入，日志已停用：{self.baseFilename}\n"
                )


class _Discard(logging.NullHandler):
    """Stands in for the file handler when there is no usable log folder.

    Without any handler on the root logger, Python's last-resort handler would print every
    warning on stderr, next to the command's one-line message.
    """


def setup_logging(logs_dir: Path, level: int = logging.INFO, *, announce: bool = False) -> Path:
    """Send log records to ``logs_dir/officer_app.log`` (1 MB × 5, UTF-8); never raises.

    The handler sits on the root logger so that libraries' warnings (exifread complains about
    odd EXIF on stderr otherwise) land in the file too, never on the officer's console where
    ``--json`` output and one-line errors are all that may appear.
    """
    path = logs_dir / "officer_app.log"
    logging.getLogger("officer_app").setLevel(level)
    if path in _configured:
        return path
    root = logging.getLogger()
    if root.level > logging.WARNING or root.level == logging.NOTSET:
        root.setLevel(logging.WARNING)
    handler: logging.Handler
    try:
        logs_dir.mkdir(parents=True, exist_ok=True)
        handler = QuietRotatingFileHandler(path, announce=announce)
    except (OSError, ValueError):
        handler = _Discard()
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    root.addHandler(handler)
    _configured.add(path)
    return path


def shutdown_logging() -> None:
    """Close file handlers (tests reuse the process with many data dirs)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if isinstance(handler, QuietRotatingFileHandler | _Discard):
            handler.close()
            root.removeHandler(handler)
    _configured.clear()


def release_log_files(root: Path) -> None:
    """Close the log files open below ``root`` (they reopen on the next record).

    Windows cannot rename or delete a folder while a file in it is open, and the app's own log
    is open in the data dir that ``restore --force`` moves aside.
    """
    root_text = str(root.resolve())
    for handler in logging.getLogger().handlers:
        if isinstance(handler, logging.FileHandler) and handler.baseFilename.startswith(root_text):
            handler.acquire()
            try:
                if handler.stream is not None:
                    handler.stream.close()
                    handler.stream = None
            finally:
                handler.release()
