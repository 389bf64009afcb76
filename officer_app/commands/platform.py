"""``officer-app platform serve|add-officer|revoke``: the reference city platform (optional extra)."""

from __future__ import annotations

import argparse
import errno
import socket
from typing import Any

from officer_app.cli import Outcome, agency_code, data_root
from officer_app.commands.argtypes import port, record_id
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
    _db_flag(p)
    p.set_defaults(handler=_serve)

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


def _serve(args: argparse.Namespace) -> Outcome:
    from officer_app.platform.server import serve

    root = data_root(args)
    check_port_free(args.host, args.port)
    serve(root, host=args.host, port=args.port, training=args.training, db_url=args.db)
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


def _add_officer(args: argparse.Namespace) -> Outcome:
    from officer_app.platform.server import add_officer

    result = add_officer(data_root(args), args.agency, args.officer_name, args.badge, args.db)
    text = f"令牌编号：{result['token_id']}\n令牌（只显示这一次）：{result['token']}"
    return Outcome(result, text)


def _revoke(args: argparse.Namespace) -> Outcome:
    from officer_app.platform.server import revoke

    revoke(data_root(args), args.token_id, args.db)
    return Outcome({"token_id": args.token_id, "revoked": True}, f"令牌 {args.token_id} 已吊销。")
