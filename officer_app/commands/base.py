"""What every command group shares with the CLI's front end: the outcome of a command, the exit
codes, the app context on the global ``--data-dir``, and argument types used across groups.

Apart from ``cli.py`` so the command groups never import the front end that registers them
(``cli`` imports ``commands``, never the other way: docs/architecture.md).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from officer_app.services.context import AppContext

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_PARTIAL = 0, 1, 2, 3


@dataclass
class Outcome:
    """What a command produced: the JSON document, a human summary and the exit code."""

    data: Any
    text: str
    exit_code: int = EXIT_OK


Handler = Callable[[argparse.Namespace], Outcome]


def agency_code(value: str) -> str:
    """argparse type for every ``--agency``: a malformed code is a usage error (exit 2)."""
    from officer_app.domain.people import is_agency_code

    if not is_agency_code(value):
        raise argparse.ArgumentTypeError(
            f"执法机关代码格式不正确：{value}（应为6位行政区划代码，可带中队后缀，如 310118-zjj）"
        )
    return value


def context(args: argparse.Namespace) -> AppContext:
    """The command's app context on the global ``--data-dir``."""
    from officer_app.services.context import AppContext

    return AppContext.open(args.data_root)


def data_root(args: argparse.Namespace) -> Path:
    """The global ``--data-dir`` for commands that use it without a store (the platform's,
    a restore target): refused, named, when it can never work."""
    from officer_app.paths import check_data_dir

    check_data_dir(args.data_root)
    return Path(args.data_root)
