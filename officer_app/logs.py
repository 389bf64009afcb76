"""Rotating log files under the data dir, so a field report can send the detail along."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_configured: set[Path] = set()


def setup_logging(logs_dir: Path, level: int = logging.INFO) -> Path:
    """Send log records to ``logs_dir/officer_app.log`` (1 MB x 5, UTF-8).

    The handler sits on the root logger so that libraries' warnings (exifread complains about
    odd EXIF on stderr otherwise) land in the file too, never on the officer's console where
    ``--json`` output and one-line errors are all that may appear.
    """
    logs_dir.mkdir(parents=True, exist_ok=True)
    path = logs_dir / "officer_app.log"
    logging.getLogger("officer_app").setLevel(level)
    if path in _configured:
        return path
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=1_000_000, backupCount=5, encoding="utf-8", delay=True
    )
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    root = logging.getLogger()
    if root.level > logging.WARNING or root.level == logging.NOTSET:
        root.setLevel(logging.WARNING)
    root.addHandler(handler)
    _configured.add(path)
    return path


def shutdown_logging() -> None:
    """Close file handlers (tests reuse the process with many data dirs)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if isinstance(handler, logging.handlers.RotatingFileHandler):
            handler.close()
            root.removeHandler(handler)
    _configured.clear()
