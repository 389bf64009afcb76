"""``officer-app pin clear --badge B --agency CODE``: the squad's IT person resets a forgotten PIN.

Whoever can run commands on the laptop can read its files anyway, so this needs no PIN; it is
written to the ledger so the reset is on record.
"""

from __future__ import annotations

import argparse
from typing import Any

from officer_app.commands.base import Outcome, agency_code, context


def register(sub: Any, json_flag: argparse.ArgumentParser) -> None:
    pin = sub.add_parser("pin", help="officer PINs on this laptop")
    psub = pin.add_subparsers(dest="pin_command", metavar="ACTION", required=True)
    p = psub.add_parser("clear", parents=[json_flag], help="remove an officer's PIN (IT staff)")
    p.add_argument("--badge", required=True, metavar="执法证号")
    p.add_argument("--agency", required=True, type=agency_code, metavar="CODE")
    p.set_defaults(handler=_clear)


def _clear(args: argparse.Namespace) -> Outcome:
    from officer_app.errors import NotFoundError
    from officer_app.services import pins
    from officer_app.store import ledger

    with context(args) as ctx:
        officer_id = pins.officer_id_for(ctx, args.badge, args.agency)
        if officer_id is None:
            raise NotFoundError(
                f"本机没有执法证号为 {args.badge}（{args.agency}）的执法人员档案。",
                f"no officer {args.badge}@{args.agency}",
            )
        had = pins.has_pin(ctx, officer_id)
        with ctx.store.transaction():
            pins.clear_pin(ctx, officer_id)
            ledger.append(ctx.store, "pin_cleared", officer_id, {"had_pin": had}, officer_id=None)
    text = "已清除该执法人员的PIN，下次请重新设置。" if had else "该执法人员没有设置PIN。"
    return Outcome({"officer_id": officer_id, "cleared": had}, text)
