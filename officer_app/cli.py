"""The headless face of the app: ``officer-app <command> [--json]``.

Every command calls the same service functions as the GUI.  Contract: global options come before
the command; ``--json`` prints exactly one UTF-8 JSON document on stdout; errors are one plain line
on stderr; exit codes are 0 success, 1 failed / "not OK", 2 usage error, 3 partly done.
"""

from __future__ import annotations

import argparse
import json
import logging
import sqlite3
import sys
from pathlib import Path
from typing import Any, NoReturn

from officer_app import __version__
from officer_app.commands.base import EXIT_FAILED, EXIT_USAGE, Outcome, agency_code, context
from officer_app.errors import UserFacingError

log = logging.getLogger(__name__)


class ArgumentParser(argparse.ArgumentParser):
    """argparse that reports usage errors as one Chinese line and exit code 2."""

    def error(self, message: str) -> NoReturn:
        from officer_app.commands.argtypes import chinese_usage

        line = " ".join(chinese_usage(message).split())
        self.exit(EXIT_USAGE, f"{self.prog}: 用法错误：{_shorten(line)}\n")


def _json_flag() -> ArgumentParser:
    parent = ArgumentParser(add_help=False)
    parent.add_argument("--json", action="store_true", help="print one JSON document on stdout")
    return parent


def build_parser(*, commands: bool = True) -> ArgumentParser:
    """The whole command line; ``commands=False`` leaves out the command groups (GUI start-up)."""
    parser = ArgumentParser(
        prog="officer-app",
        description="长三角城管综合行政执法 跨区域协作 现场执法助手",
    )
    parser.add_argument("--version", action="version", version=f"officer-app {__version__}")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="data directory (default: the per-user data dir; env OFFICER_APP_DATA_DIR)",
    )
    parser.add_argument(
        "--no-crash-dialog", action="store_true", help="never show the crash dialog (CI)"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=ArgumentParser)
    json_flag = _json_flag()

    p = sub.add_parser("init", parents=[json_flag], help="create/migrate the store, add an officer")
    p.add_argument("--officer-name", required=True, metavar="NAME")
    p.add_argument("--badge", required=True, metavar="执法证号")
    p.add_argument("--agency", required=True, metavar="CODE", type=agency_code)
    p.add_argument(
        "--phone", metavar="NUMBER", help="联系电话 (optional): 13812345678 / 021-59721234"
    )
    p.set_defaults(handler=_cmd_init)

    p = sub.add_parser("demo", parents=[json_flag], help="load the demo (training) dataset")
    p.set_defaults(handler=_cmd_demo)

    p = sub.add_parser("info", parents=[json_flag], help="what this data dir holds")
    p.set_defaults(handler=_cmd_info)
    if not commands:
        return parser

    from officer_app.commands import (
        backup,
        bulletin,
        bundle,
        cases,
        catalogue,
        documents,
        evidence,
        geo,
        patrols,
        pins,
        platform,
        sync,
    )

    for group in (
        patrols,
        evidence,
        geo,
        cases,
        documents,
        bulletin,
        backup,
        platform,
        sync,
        bundle,
        pins,
        catalogue,
    ):
        group.register(sub, json_flag)
    return parser


# Commands --------------------------------------------------------------------------------------
def _cmd_init(args: argparse.Namespace) -> Outcome:
    from officer_app.services import info, officers

    with context(args) as ctx:
        officer = officers.add_or_select_officer(
            ctx, args.officer_name, args.badge, args.agency, args.phone
        )
        data = info.info(ctx)
    return Outcome(
        data,
        f"已就绪：{officer.name}（{officer.badge}，{officer.agency_code}），数据目录 {data['data_dir']}",
    )


def _cmd_demo(args: argparse.Namespace) -> Outcome:
    from officer_app.services import demo

    with context(args) as ctx:
        result = demo.load_demo(ctx)
    text = "演示数据已加载。" if result["loaded"] else "演示数据已存在，未作改动。"
    return Outcome(result, text)


def _cmd_info(args: argparse.Namespace) -> Outcome:
    from officer_app.services import info

    with context(args) as ctx:
        data = info.info(ctx)
    officer = data["officer"]
    who = (
        f"{officer['name']}（{officer['badge']}，{officer['agency']}）" if officer else "（未设置）"
    )
    lines = [
        f"数据结构版本：{data['schema_version']}",
        f"数据目录：{data['data_dir']}",
        f"当前执法人员：{who}",
        *(f"{name}: {count}" for name, count in data["counts"].items()),
    ]
    return Outcome(data, "\n".join(lines))


# Running ---------------------------------------------------------------------------------------
def emit_json(data: Any) -> None:
    """Write UTF-8 bytes directly, whatever the console's code page is."""
    payload = json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n"
    sys.stdout.flush()
    sys.stdout.buffer.write(payload.encode("utf-8"))
    sys.stdout.buffer.flush()


def _print_text(text: str) -> None:
    sys.stdout.flush()
    sys.stdout.buffer.write((text + "\n").encode(sys.stdout.encoding or "utf-8", "replace"))
    sys.stdout.buffer.flush()


def _shorten(line: str, limit: int = 400) -> str:
    """An error line stays readable when it quotes a 100,000-character argument."""
    return line if len(line) <= limit else line[:limit] + "…（已截断）"


def print_error(message: str) -> None:
    """One line on stderr, whatever the message holds and whatever the console can encode."""
    from officer_app.fileguard import display_path

    line = _shorten(" ".join(display_path(message).split()))  # one line, always
    try:
        sys.stderr.write(f"officer-app: {line}\n")
    except UnicodeEncodeError:
        sys.stderr.buffer.write(f"officer-app: {line}\n".encode("utf-8", "replace"))
    sys.stderr.flush()


def run_command(args: argparse.Namespace) -> int:
    """Run a parsed subcommand; expected failures become one line on stderr."""
    from officer_app.fileguard import file_error
    from officer_app.logs import setup_logging
    from officer_app.paths import DataDir
    from officer_app.store.errors import classify

    setup_logging(DataDir(args.data_root).logs_dir)
    try:
        outcome: Outcome = args.handler(args)
    except UserFacingError as exc:
        log.warning("%s failed: %s", args.command, exc.detail)
        print_error(exc.message_zh)
        return exc.exit_code
    except OSError as exc:  # a file or folder the command touched: named, in Chinese
        error = file_error(exc, exc.filename or "", "访问") if exc.filename else None
        log.warning("%s failed on a file: %r", args.command, exc)
        print_error(error.message_zh if error else f"文件操作失败：{exc.strerror or exc}")
        return EXIT_FAILED
    except sqlite3.Error as exc:  # raised below the store's own translation (the platform's)
        known = classify(exc)
        if known is None:
            print_error(_crash_line(args, exc))
            return EXIT_FAILED
        log.warning("%s failed: %s", args.command, known.detail)
        print_error(known.message_zh)
        return known.exit_code
    except KeyboardInterrupt:
        print_error("已中断。已完成的部分已保存，未完成的部分未作改动。")
        return 130
    except Exception as exc:  # the crash report keeps the detail; the officer gets one line
        print_error(_crash_line(args, exc))
        return EXIT_FAILED
    if getattr(args, "json", False):
        emit_json(outcome.data)
    elif outcome.text:
        _print_text(outcome.text)
    return outcome.exit_code


def _crash_line(args: argparse.Namespace, exc: Exception) -> str:
    from officer_app import crash
    from officer_app.paths import DataDir

    try:
        path = crash.write_crash_report(DataDir(args.data_root).logs_dir, exc)
    except OSError:
        log.exception("%s crashed; no crash report could be written", args.command)
        return f"内部错误（{type(exc).__name__}），详情无法写入日志文件夹。"
    log.exception("%s crashed, report in %s", args.command, path)
    return f"内部错误（{type(exc).__name__}），详情已写入 {path}"


def _only_gui_options(argv: list[str] | None) -> bool:
    """True when the arguments start the GUI: registering every command group would cost a
    third of the start-up time for parsers the GUI never uses (issue 17)."""
    args = iter(sys.argv[1:] if argv is None else argv)
    for arg in args:
        if arg == "--data-dir":
            next(args, None)
        elif not (arg.startswith("--data-dir=") or arg == "--no-crash-dialog"):
            return False
    return True


def parse(argv: list[str] | None) -> argparse.Namespace:
    from officer_app.fileguard import display_path, is_printable_text
    from officer_app.paths import resolve_data_dir

    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser(commands=not _only_gui_options(argv))
    # Bytes that are not UTF-8 reach Python as lone surrogates, which SQLite, JSON and the log
    # all refuse: one check here instead of a crash wherever such a string first lands.
    for value in argv:
        if not is_printable_text(value):
            parser.error(
                f"参数中有无法识别的字符（不是 UTF-8 编码）：{_shorten(display_path(value), 80)}。"
                "请改用只含常用字符的名称（文件可先改名）。"
            )
    args = parser.parse_args(argv)
    args.data_root = Path(resolve_data_dir(args.data_dir))
    return args
