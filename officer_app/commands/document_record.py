"""``officer-app document officers``: who was present at an inspection, for a record draft.

Times and the other record fields are plain fields (``document set DOC start_time=9:48``); the
officers are a list, edited entry by entry here so nobody types a multi-line value in a shell.
"""

from __future__ import annotations

import argparse
from typing import Any

from officer_app.commands.argtypes import record_id
from officer_app.commands.base import Outcome, context


def register(dsub: Any, json_flag: argparse.ArgumentParser) -> None:
    p = dsub.add_parser(
        "officers",
        parents=[json_flag],
        help="list, add or remove the officers present on a record (现场检查笔录, 巡查记录)",
    )
    p.add_argument("id", type=record_id, metavar="DOC_ID")
    p.add_argument(
        "--add",
        action="append",
        default=[],
        metavar="姓名,执法证号[,执法机关]",
        help="add an officer (repeatable); the agency defaults to your own",
    )
    p.add_argument(
        "--remove", action="append", default=[], metavar="执法证号", help="remove by 执法证号"
    )
    p.add_argument("--clear", action="store_true", help="start from an empty list")
    p.set_defaults(handler=_officers)


def _officers(args: argparse.Namespace) -> Outcome:
    from officer_app.services import document_officers

    with context(args) as ctx:
        if args.add or args.remove or args.clear:
            result = document_officers.change(
                ctx, args.id, add=args.add, remove=args.remove, clear=args.clear
            )
        else:
            result = document_officers.show(ctx, args.id)
    lines = [
        f"{o['agency'] or '（未写机关）'}  {o['name']}  执法证号{o['badge']}"
        for o in result["officers"]
    ]
    lines = lines or ["（未登记执法人员）"]
    lines += [f"  提醒：{n}" for n in result["notices"]]
    return Outcome(result, "\n".join(lines))
