"""``officer-app platform serve|add-officer|revoke``: the reference city platform (optional extra)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from officer_app.cli import Outcome, agency_code


def register(sub: Any, json_flag: argparse.ArgumentParser) -> None:
    platform = sub.add_parser("platform", help="reference city platform (server side)")
    psub = platform.add_subparsers(dest="platform_command", metavar="ACTION", required=True)

    from officer_app.commands.bulletin import register_platform_action
    from officer_app.commands.bundle import register_platform_import

    register_platform_import(psub, json_flag)
    register_platform_action(psub, json_flag)

    p = psub.add_parser("serve", help="run the platform over HTTP")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--training", action="store_true", help="accept only training data")
    p.add_argument("--workers", type=_workers, default=1, help="worker processes (default 1)")
    p.add_argument("--certfile", type=Path, default=None, help="TLS certificate chain (PEM)")
    p.add_argument("--keyfile", type=Path, default=None, help="TLS private key (PEM)")
    _db_flag(p)
    p.set_defaults(handler=_serve)

    p = psub.add_parser(
        "check", parents=[json_flag], help="check the database against the blob store"
    )
    _db_flag(p)
    p.set_defaults(handler=_check)

    p = psub.add_parser("add-officer", parents=[json_flag], help="issue a token to an officer")
    p.add_argument("--agency", required=True, type=agency_code, metavar="CODE")
    p.add_argument("--officer-name", required=True, metavar="NAME")
    p.add_argument("--badge", required=True, metavar="执法证号")
    _db_flag(p)
    p.set_defaults(handler=_add_officer)

    p = psub.add_parser("revoke", parents=[json_flag], help="revoke a token")
    p.add_argument("token_id", metavar="TOKEN_ID")
    _db_flag(p)
    p.set_defaults(handler=_revoke)


def _db_flag(p: argparse.ArgumentParser) -> None:
    """The same database for ``serve`` and the token commands (blobs stay in the data dir)."""
    p.add_argument(
        "--db",
        metavar="URL",
        default=None,
        help="postgresql://user@host:port/db (default: $OFFICER_APP_PLATFORM_DB,"
        " else SQLite in the platform data dir)",
    )


def _workers(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        n = 0
    if not 1 <= n <= 64:
        raise argparse.ArgumentTypeError("工作进程数应为 1 到 64 之间的整数。")
    return n


def _serve(args: argparse.Namespace) -> Outcome:
    from officer_app.errors import UsageError, UserFacingError
    from officer_app.platform.server import serve

    if (args.certfile is None) != (args.keyfile is None):
        raise UsageError("启用 HTTPS 需要同时给出 --certfile 和 --keyfile。", "tls half given")
    for tls in (args.certfile, args.keyfile):
        if tls is not None and not tls.is_file():
            raise UserFacingError(f"找不到 TLS 文件：{tls}", f"{tls} is not a file")
    serve(
        args.data_root,
        host=args.host,
        port=args.port,
        training=args.training,
        db_url=args.db,
        workers=args.workers,
        certfile=args.certfile,
        keyfile=args.keyfile,
    )
    return Outcome({}, "")


def _check(args: argparse.Namespace) -> Outcome:
    from officer_app.errors import UserFacingError
    from officer_app.platform import db
    from officer_app.platform.server import open_database
    from officer_app.platform.store_check import check

    with open_database(args.data_root, args.db) as store, db.opened(store) as conn:
        result = check(db.PlatformPaths(args.data_root), conn)
    c = result["counts"]
    text = (
        f"记录 {c['entries']} 条，移送 {c['transfers']} 件，收件 {c['inbox']} 条，"
        f"文件 {c['blobs']} 个；缺失 {len(result['missing_blobs'])} 个，"
        f"内容不符 {len(result['corrupt_blobs'])} 个，无记录的文件 {result['unreferenced_files']} 个。"
    )
    if not result["ok"]:
        raise UserFacingError(f"平台数据与文件库不一致：{text}", str(result)[:2000])
    return Outcome(result, text)


def _add_officer(args: argparse.Namespace) -> Outcome:
    from officer_app.platform.server import add_officer

    result = add_officer(args.data_root, args.agency, args.officer_name, args.badge, args.db)
    text = f"令牌编号：{result['token_id']}\n令牌（只显示这一次）：{result['token']}"
    return Outcome(result, text)


def _revoke(args: argparse.Namespace) -> Outcome:
    from officer_app.platform.server import revoke

    revoke(args.data_root, args.token_id, args.db)
    return Outcome({"token_id": args.token_id, "revoked": True}, f"令牌 {args.token_id} 已吊销。")
