"""The plain GUI start's command line (``officer-app [--data-dir D] [--no-crash-dialog]``), read
without argparse.

Why: building the argparse parser and its help texts (each looked up through gettext) was a tenth
of the time from ``officer-app`` to its window (issue 17).  Anything else, and anything unusual in
these two options (a missing value, ``--data-dir=``, an abbreviation, bytes that are not UTF-8),
returns ``None`` and goes through :func:`officer_app.cli.parse`, which accepts or refuses it as
before.
"""

from __future__ import annotations

from typing import NamedTuple


class GuiArgs(NamedTuple):
    data_dir: str | None
    no_crash_dialog: bool


def gui_args(argv: list[str]) -> GuiArgs | None:
    """The GUI's two options when that is all ``argv`` holds, read as argparse reads them."""
    data_dir: str | None = None
    no_crash_dialog = False
    args = iter(argv)
    for arg in args:
        if arg == "--no-crash-dialog":
            no_crash_dialog = True
            continue
        if arg == "--data-dir":
            value = next(args, None)
        elif arg.startswith("--data-dir="):
            value = arg.partition("=")[2]
        else:
            return None
        if not value or value.startswith("-"):
            return None  # argparse says what is wrong
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return None  # argparse names the undecodable argument
        data_dir = value  # the last one wins, as with argparse
    return GuiArgs(data_dir, no_crash_dialog)
