"""The log file rotates by size and keeps its old files, with no record lost or repeated."""

from __future__ import annotations

import logging
import re
import subprocess
import sys
from pathlib import Path

from officer_app.logs import QuietRotatingFileHandler


def _write(handler: QuietRotatingFileHandler, count: int) -> None:
    logger = logging.getLogger("officer_app.test_rotation")
    logger.propagate = False
    logger.setLevel(logging.INFO)
    logger.addHandler(handler)
    try:
        for number in range(count):
            logger.info("record %04d %s", number, "记录" * (5 + number % 11))
    finally:
        logger.removeHandler(handler)
        handler.close()


def test_the_log_rotates_by_size_keeping_the_newest_records(tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    logs.mkdir()
    path = logs / "officer_app.log"
    handler = QuietRotatingFileHandler(path, max_bytes=2000, backups=3)
    handler.setFormatter(logging.Formatter("%(message)s"))
    _write(handler, 300)  # ~12,000 bytes: several rotations
    assert sorted(p.name for p in logs.iterdir()) == [
        "officer_app.log",
        "officer_app.log.1",
        "officer_app.log.2",
        "officer_app.log.3",
    ]
    assert all(p.stat().st_size <= 2000 for p in logs.iterdir())  # counted in bytes
    # Oldest to newest: .3, .2, .1, the current file; one run of consecutive records to the last.
    text = "".join(
        (logs / name).read_text(encoding="utf-8")
        for name in ("officer_app.log.3", "officer_app.log.2", "officer_app.log.1", path.name)
    )
    numbers = [int(n) for n in re.findall(r"^record (\d{4}) ", text, flags=re.MULTILINE)]
    assert numbers == list(range(numbers[0], 300)) and numbers[0] > 0
    assert len(text.splitlines()) == len(numbers)  # no torn line


def test_rotation_continues_an_existing_log(tmp_path: Path) -> None:
    path = tmp_path / "officer_app.log"
    path.write_text("from an earlier start\n" * 80, encoding="utf-8")  # 1,760 bytes
    handler = QuietRotatingFileHandler(path, max_bytes=2000, backups=2)
    handler.setFormatter(logging.Formatter("%(message)s"))
    _write(handler, 10)
    assert (tmp_path / "officer_app.log.1").read_text(encoding="utf-8").startswith("from an")
    assert path.read_text(encoding="utf-8").startswith("record 000")


def test_the_log_handler_leaves_socket_and_pickle_unloaded() -> None:
    """``logging.handlers`` would bring them into every start of the GUI (issue 17)."""
    script = (
        "import sys, officer_app.logs, officer_app.crash\n"
        "print(','.join(m for m in ('logging.handlers', 'socket', 'pickle') if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
