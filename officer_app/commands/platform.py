"""``officer-app platform serve|add-officer|revoke``: the reference city platform (optional extra)."""

from __future__ import annotations

import argparse
import errno
import socket
from pathlib import Path
from typing import Any

from officer_app.commands.argtypes import port, record_id
from officer_app.commands.base import Outcome, agency_code, data_root
from officer_app.errors import UsageError, UserFacingError
from officer_app.fileguard import reason_zh


def register(sub: Any, json_flag: argparse.ArgumentParser) -> None:
    platform = sub.add_parser("platform", help="reference city platform (server side)")
    psub = platform.add_subparsers(dest="platform_command", metavar="ACTION", required=True)

    from officer_app.commands.bulletin import register_platform_action
    from officer_app.commands.bundle import register_platform_import

    register_platform_import(psub, json_flag)
    register_platform_action(psub, json_flag)

    p = psub.add_parser("serve", help="run the platform over HTTP")
    p.add_argument("--port", type=port, required=True, metavar="1-65535")
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
    p.add_argument("token_id", type=record_id, metavar="TOKEN_ID")
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
    from officer_app.platform.server import serve

    root = data_root(args)
    if (args.certfile is None) != (args.keyfile is None):
        raise UsageError("启用 HTTPS 需要同时给出 --certfile 和 --keyfile。", "tls half given")
    for tls in (args.certfile, args.keyfile):
        if tls is not None and not tls.is_file():
            raise UserFacingError(f"找不到 TLS 文件：{tls}", f"{tls} is not a file")
    check_port_free(args.host, args.port)
    serve(
        root,
        host=args.host,
        port=args.port,
        training=args.training,
        db_url=args.db,
        workers=args.workers,
        certfile=args.certfile,
        keyfile=args.keyfile,
    )
    return Outcome({}, "")


def check_port_free(host: str, port: int) -> None:
    """Bind the address once before the server starts, so a port in use, a host that does not
    resolve or a privileged port is one Chinese line instead of uvicorn's English log line.

    Bound the way the server binds (SO_REUSEADDR on POSIX, so a port in TIME_WAIT is free; on
    Windows SO_EXCLUSIVEADDRUSE, since SO_REUSEADDR there would let us share a busy port).
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise UsageError(f"无法解析主机名：{host}。请检查 --host。", f"{host}: {exc}") from exc
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as sock:
        if hasattr(socket, "SO_EXCLUSIVEADDRUSE"):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_EXCLUSIVEADDRUSE, 1)
        else:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE or getattr(exc, "winerror", None) == 10048:
                why = "已被其他程序占用，请换一个端口或先停止占用它的程序"
            elif exc.errno in (errno.EACCES, errno.EPERM):
                why = "没有权限使用（1024 以下的端口需要管理员权限）"
            elif exc.errno == errno.EADDRNOTAVAIL:
                why = "不属于本机，请检查 --host"
            else:
                why = reason_zh(exc)
            raise UserFacingError(
                f"无法在 {host}:{port} 上启动平台：该地址{why}。", f"bind {address}: {exc}"
            ) from exc


def _check(args: argparse.Namespace) -> Outcome:
    from officer_app.platform import db
    from officer_app.platform.server import open_database
    from officer_app.platform.store_check import check

    root = data_root(args)
    with open_database(root, args.db) as store, db.opened(store) as conn:
        result = check(db.PlatformPaths(root), conn)
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

    result = add_officer(data_root(args), args.agency, args.officer_name, args.badge, args.db)
    text = f"令牌编号：{result['token_id']}\n令牌（只显示这一次）：{result['token']}"
    return Outcome(result, text)


def _revoke(args: argparse.Namespace) -> Outcome:
    from officer_app.platform.server import revoke

    revoke(data_root(args), args.token_id, args.db)
    return Outcome({"token_id": args.token_id, "revoked": True}, f"令牌 {args.token_id} 已吊销。")
