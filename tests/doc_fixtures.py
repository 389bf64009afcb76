"""Helpers for the cases/documents/package tests: the demo case (real boundaries decide its
jurisdiction: its photos lie about 1.4 km inside 吴江区)."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def load_demo(ctx: Any) -> str:
    from officer_app.services import demo

    return str(demo.load_demo(ctx)["case_id"])


def cli(data_dir: Path, *args: str) -> int:
    from officer_app.__main__ import main

    return main(["--data-dir", str(data_dir), *args])
