"""Helpers for the cases/documents/package tests: the demo case (real boundaries decide its
jurisdiction: its photos lie about 1.4 km inside 吴江区)."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any


@contextlib.contextmanager
def outside_the_gui() -> Iterator[None]:
    """Writes the test makes itself — seeding data, or the CLI run in-process (another process
    in the field) — stand in for the write executor, so the GUI tests' write guard watches the
    widgets only.  Qt is not imported for it: without ``ui.tasks`` loaded no guard can be on."""
    tasks = sys.modules.get("officer_app.ui.tasks")
    with tasks.as_writer() if tasks is not None else contextlib.nullcontext():
        yield


def load_demo(ctx: Any) -> str:
    from officer_app.services import demo

    with outside_the_gui():
        return str(demo.load_demo(ctx)["case_id"])


def cli(data_dir: Path, *args: str) -> int:
    from officer_app.__main__ import main

    with outside_the_gui():
        return main(["--data-dir", str(data_dir), *args])
