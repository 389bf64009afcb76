"""``officer-app platform serve|add-officer|revoke``: the reference city platform (optional extra)."""

from __future__ import annotations

import argparse
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
    _db_flag(p)
    p.set_defaults(handler=_serve)

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


def _serve(args: argparse.Namespace) -> Outcome:
    from officer_app.platform.server import serve

    serve(args.data_root, host=args.host, port=args.port, training=args.training, db_url=args.db)
    return Outcome({}, "")


def _add_officer(args: argparse.Namespace) -> Outcome:
    from officer_app.platform.server import add_officer

    result = add_officer(args.data_root, args.agency, args.officer_name, args.badge, args.db)
    text = f"令牌编号：{result['token_id']}\n令牌（只显示这一次）：{result['token']}"
    return Outcome(result, text)


def _revoke(args: argparse.Namespace) -> Outcome:
    from officer_app.platform.server import revoke

    revoke(args.data_root, args.token_id, args.db)
    return Outcome({"token_id": args.token_id, "revoked": True}, f"令牌 {args.token_id} 已吊销。")
