"""``officer-app catalogue list|check|confirm``: the legal catalogue by province, and its upkeep.

``list`` prints every violation type with its basis in one province (``--province``, a GB/T 2260
province code) or in each of the four; ``check FILE`` tells a deployment whether a new edition of
the catalogue would load; ``confirm DOC`` records that the officer checked a draft's unconfirmed
citations against the published text.
"""

from __future__ import annotations

import argparse
from typing import Any

from officer_app.commands.argtypes import input_file, record_id
from officer_app.commands.base import EXIT_FAILED, EXIT_OK, Outcome, context


def _province(value: str) -> str:
    from officer_app.domain.legal_catalogue import PROVINCES

    if value not in PROVINCES:
        raise argparse.ArgumentTypeError(
            f"省级代码应为 {'、'.join(f'{c}（{n}）' for c, n in PROVINCES.items())} 之一：{value}"
        )
    return value


def register(sub: Any, json_flag: argparse.ArgumentParser) -> None:
    cat = sub.add_parser("catalogue", help="violation types and their legal basis by province")
    csub = cat.add_subparsers(dest="catalogue_command", metavar="ACTION", required=True)

    p = csub.add_parser("list", parents=[json_flag], help="types with their basis per province")
    p.add_argument("--province", type=_province, metavar="CODE", help="310000/320000/330000/340000")
    p.set_defaults(handler=_list)

    p = csub.add_parser(
        "check", parents=[json_flag], help="check a catalogue file before deploying"
    )
    p.add_argument("file", type=input_file, metavar="FILE")
    p.set_defaults(handler=_check)

    p = csub.add_parser(
        "confirm", parents=[json_flag], help="attest a draft's unconfirmed citations were checked"
    )
    p.add_argument("document", type=record_id, metavar="DOC_ID")
    p.set_defaults(handler=_confirm)


def _list(args: argparse.Namespace) -> Outcome:
    from officer_app.services import catalogue

    with context(args) as ctx:
        data = catalogue.list_catalogue(ctx, args.province)
    lines = [f"违法行为目录（版本 {data['edition']}）", *data["problems"]]
    for vt in data["types"]:
        lines.append(f"{vt['code']} {vt['name']}（{vt['category']}）")
        for prov, basis in vt["bases"].items():
            state = "已核实" if basis["confirmed"] else f"待核实{len(basis['unconfirmed'])}项"
            lines.append(
                f"  {data['provinces'][prov]}：{state}；处罚依据：{basis['penalty_basis']}"
            )
    return Outcome(data, "\n".join(lines))


def _check(args: argparse.Namespace) -> Outcome:
    """No store needed: a deployment checks the file on any machine."""
    from officer_app.domain.legal_catalogue import CatalogueFormatError
    from officer_app.fileguard import open_regular
    from officer_app.store.codetables import read_catalogue

    open_regular(args.file).close()  # missing or unreadable: one line naming it (not a report)
    try:
        data, sha = read_catalogue(args.file)
    except CatalogueFormatError as exc:
        return Outcome(
            {"ok": False, "problems": exc.problems},
            "目录文件有误：\n" + "\n".join(f"  {p}" for p in exc.problems),
            EXIT_FAILED,
        )
    count = len(data["violation_types"])
    result = {"ok": True, "edition": data["edition"], "types": count, "sha256": sha}
    return Outcome(result, f"目录文件可用：版本 {data['edition']}，{count} 类违法行为", EXIT_OK)


def _confirm(args: argparse.Namespace) -> Outcome:
    from officer_app.services import catalogue

    with context(args) as ctx:
        data = catalogue.confirm_draft_basis(ctx, args.document)
    text = (
        f"已确认核实：{'、'.join(data['confirmed_fields'])}"
        if data["changed"]
        else "该草稿没有待核实的法律依据。"
    )
    return Outcome(data, text)


__all__ = ["register"]
