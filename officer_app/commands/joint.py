"""``officer-app transfer joint`` (联合查处函) and ``officer-app transfer decline`` (不同意);
``transfer accept`` and ``transfer feedback`` answer a 联合查处 as they answer a 案件移送."""

from __future__ import annotations

import argparse
from typing import Any

from officer_app.commands.argtypes import record_id
from officer_app.commands.base import Outcome, agency_code, context


def register(tsub: Any, json_flag: argparse.ArgumentParser) -> None:
    p = tsub.add_parser("joint", parents=[json_flag], help="ask an agency to investigate with us")
    p.add_argument("case", type=record_id, metavar="CASE_ID")
    p.add_argument(
        "--to", required=True, type=agency_code, metavar="AGENCY", help="the partner agency's code"
    )
    p.add_argument("--matters", default="", metavar="TEXT", help="联合查处事项")
    p.add_argument(
        "--basis-checked",
        action="store_true",
        help="attest that the cited citations marked 【待核实】 were checked against the published text",
    )
    p.set_defaults(handler=_joint)
    p = tsub.add_parser("decline", parents=[json_flag], help="decline a 联合查处 request")
    p.add_argument("id", type=record_id, metavar="ID")
    p.add_argument("--reason", required=True, metavar="TEXT")
    p.set_defaults(handler=_decline)


def _joint(args: argparse.Namespace) -> Outcome:
    from officer_app.services import joint

    with context(args) as ctx:
        result = joint.request(
            ctx, args.case, partner=args.to, matters=args.matters, basis_checked=args.basis_checked
        )
    name = result["other_agency"]["name"]
    return Outcome(result, f"联合查处函已签发：{result['number']}，致{name}（同步后送达）")


def _decline(args: argparse.Namespace) -> Outcome:
    from officer_app.services import joint

    with context(args) as ctx:
        result = joint.decline(ctx, args.id, reason=args.reason)
    return Outcome(result, f"已答复不同意联合查处，复函文号：{result['number']}（同步后送达）")
