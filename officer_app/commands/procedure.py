"""``officer-app case file`` (立案) and ``officer-app case dispute`` (管辖争议), and the procedure
lines ``case show`` prints."""

from __future__ import annotations

import argparse
from typing import Any

from officer_app.commands.argtypes import record_id
from officer_app.commands.base import Outcome, agency_code, context


def register_case_actions(csub: Any, json_flag: argparse.ArgumentParser) -> None:
    p = csub.add_parser("file", parents=[json_flag], help="record the 立案 of a case")
    p.add_argument("id", type=record_id, metavar="ID")
    p.add_argument("--date", metavar="DATE", help="filing date YYYY-MM-DD (default: today)")
    p.set_defaults(handler=_file)

    p = csub.add_parser("dispute", parents=[json_flag], help="record a jurisdiction dispute step")
    p.add_argument("id", type=record_id, metavar="ID")
    p.add_argument(
        "--with",
        dest="other",
        required=True,
        type=agency_code,
        metavar="AGENCY",
        help="the other agency",
    )
    p.add_argument(
        "--step", required=True, choices=("协商", "报请指定管辖", "协商一致", "指定管辖")
    )
    p.add_argument(
        "--handler",
        dest="handler_agency",
        type=agency_code,
        metavar="AGENCY",
        help="agreed/designated: who handles the case",
    )
    p.add_argument("--authority", default="", metavar="TEXT", help="the common superior")
    p.add_argument("--date", metavar="DATE", help="YYYY-MM-DD (default: today)")
    p.add_argument("--note", default="", metavar="TEXT")
    p.set_defaults(handler=_dispute)


def procedure_lines(data: dict[str, Any]) -> list[str]:
    from officer_app.services.filing import filing_text

    lines = [f"立案：{filing_text(data.get('filing'))}"]
    for d in data.get("disputes", []):
        lines.append(f"管辖争议（与{d['other']['name']}）：{d['status_zh']}")
        lines += [
            f"  {s['on_date']} {s['step_zh']}"
            + (f"（{s['authority']}）" if s["authority"] else "")
            + (f"：{s['note']}" if s["note"] else "")
            for s in d["steps"]
        ]
    h = data.get("handling")
    if h:
        lines.append(("建议移送：" if h["propose_transfer"] else "管辖：") + h["reason_zh"])
    return lines


def _file(args: argparse.Namespace) -> Outcome:
    from officer_app.services import filing, procedure

    with context(args) as ctx:
        data = procedure.with_procedure(ctx, filing.file_case(ctx, args.id, on=args.date))
    return Outcome(data, filing.filing_text(data["filing"]))


def _dispute(args: argparse.Namespace) -> Outcome:
    from officer_app.services import handling

    with context(args) as ctx:
        data = handling.record_dispute_step(
            ctx,
            args.id,
            other=args.other,
            step=args.step,
            on=args.date,
            note=args.note,
            authority=args.authority,
            handler=args.handler_agency,
        )
    text = f"管辖争议（与{data['other']['name']}）已记录：{data['steps'][-1]['step_zh']}"
    return Outcome(data, text + f"，当前{data['status_zh']}")
