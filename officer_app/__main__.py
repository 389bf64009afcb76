"""Entry point: ``officer-app`` / ``python -m officer_app``.

No subcommand starts the GUI; anything else is the CLI.  Qt is imported only on the GUI path so
headless commands start quickly and run where no display library is installed.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from officer_app import cli

    args = cli.parse(argv)
    if args.command is None:
        from officer_app.commands import base
        from officer_app.errors import UserFacingError
        from officer_app.ui.app import run_gui

        try:
            base.data_root(args)  # a data dir that can never work: one line, before any window
        except UserFacingError as exc:
            cli.print_error(exc.message_zh)
            return exc.exit_code

        return run_gui(args.data_root, crash_dialog=not args.no_crash_dialog)
    return cli.run_command(args)


if __name__ == "__main__":
    sys.exit(main())
