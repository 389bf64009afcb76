"""Entry point: ``officer-app`` / ``python -m officer_app``.

No subcommand starts the GUI; anything else is the CLI.  Qt is imported only on the GUI path so
headless commands start quickly and run where no display library is installed; the plain GUI
start does not build the CLI's parsers either (``gui_args.py``).
"""

from __future__ import annotations

import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    from officer_app.gui_args import gui_args

    argv = sys.argv[1:] if argv is None else argv
    gui = gui_args(argv)
    if gui is None:
        from officer_app import cli

        args = cli.parse(argv)
        if args.command is not None:
            return cli.run_command(args)
        return _start_gui(args.data_root, crash_dialog=not args.no_crash_dialog)
    from officer_app.paths import resolve_data_dir

    return _start_gui(resolve_data_dir(gui.data_dir), crash_dialog=not gui.no_crash_dialog)


def _start_gui(data_root: Path, *, crash_dialog: bool) -> int:
    from officer_app.errors import UserFacingError
    from officer_app.paths import check_data_dir

    try:
        check_data_dir(data_root)  # a data dir that can never work: one line, before any window
    except UserFacingError as exc:
        from officer_app import cli

        cli.print_error(exc.message_zh)
        return exc.exit_code
    from officer_app.ui.app import run_gui

    return run_gui(data_root, crash_dialog=crash_dialog)


if __name__ == "__main__":
    sys.exit(main())
