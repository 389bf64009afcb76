"""``officer-app case new|list|show|jurisdiction|file|dispute`` and ``officer-app validate``."""

from __future__ import annotations

import argparse
from typing import Any

from officer_app.commands.argtypes import record_id
from officer_app.commands.base import EXIT_FAILED, EXIT_OK, Outcome, context
from officer_app.errors import UsageError


def register(sub: Any, json_flag: argparse.ArgumentParser) -> None:
    case = sub.add_parser("case", help="violation cases")
    csub = case.add_subparsers(dest="case_command", metavar="ACTION", required=True)

    p = csub.add_parser("new", parents=[json_flag], help="record a case from evidence")
    p.add_argument("--violation", required=True, metavar="CODE", help="violation type code")
    p.add_argument("--evidence", required=True, nargs="+", type=record_id, metavar="ID")
    p.add_argument("--party-person", action="append", default=[], metavar="NAME:ID")
    p.add_argument("--party-org", action="append", default=[], metavar="NAME:USCC")
    p.add_argument(
        "--plate",
        action="append",
        default=[],
        metavar="PLATE[:DESC]",
        help="a vehicle seen (a clue, not the party), e.g. 苏E5K218:自卸货车",
    )
    p.add_argument("--place", default="", metavar="TEXT")
    p.add_argument("--description", default="", metavar="TEXT")
    p.add_argument("--training", action="store_true", help="mark as training data")
    p.set_defaults(handler=_new)

    p = csub.add_parser("list", parents=[json_flag], help="list cases")
    p.set_defaults(handler=_list)

    p = csub.add_parser("show", parents=[json_flag], help="one case in full")
    p.add_argument("id", type=record_id, metavar="ID")
    p.set_defaults(handler=_show)

    p = csub.add_parser("jurisdiction", parents=[json_flag], help="change a case's jurisdiction")
    p.add_argument("id", type=record_id, metavar="ID")
    p.add_argument("code", metavar="DIVISION_CODE")
    p.add_argument("--reason", required=True, metavar="TEXT")
    p.set_defaults(handler=_jurisdiction)

    from officer_app.commands import procedure

    procedure.register_case_actions(csub, json_flag)

    p = sub.add_parser("validate", parents=[json_flag], help="check an ID number, USCC or plate")
    p.add_argument("kind", choices=("id", "uscc", "plate"))
    p.add_argument("value", metavar="VALUE")
    p.set_defaults(handler=_validate)


def _split(value: str, option: str) -> tuple[str, str]:
    for sep in (":", "："):
        if sep in value:
            name, _, number = value.rpartition(sep)
            if name.strip() and number.strip():
                return name.strip(), number.strip()
    raise UsageError(f"{option} 的格式应为 名称:号码，如 张三:11010519491231002X", f"{value!r}")


def _plate(value: str) -> tuple[str, str]:
    for sep in (":", "："):
        if sep in value:
            plate, _, desc = value.partition(sep)
            return plate.strip(), desc.strip()
    return value.strip(), ""


def _new(args: argparse.Namespace) -> Outcome:
    from officer_app.services import cases

    checked = [cases.person_party(*_split(v, "--party-person")) for v in args.party_person]
    checked += [cases.organisation_party(*_split(v, "--party-org")) for v in args.party_org]
    vehicles = [cases.vehicle_clue(*_plate(v)) for v in args.plate]
    with context(args) as ctx:
        case_id = cases.record_case(
            ctx,
            violation_code=args.violation,
            evidence_ids=args.evidence,
            parties=[c.party for c in checked],
            vehicles=vehicles,
            place=args.place,
            description=args.description,
            training=args.training,
        )
        data = cases.get_case(ctx, case_id)
    warnings = [c.warning for c in checked if c.warning]
    data["warnings"] = warnings
    lines = [f"案件已登记：{case_id}"] + [f"  提醒：{w}" for w in warnings]
    return Outcome(data, "\n".join(lines))


def _summary_line(c: dict[str, Any]) -> str:
    from officer_app.services.cases import CASE_STATUS_ZH

    jur = c["jurisdiction"]["name"] if c["jurisdiction"] else "辖区未定"
    return (
        f"{c['id'][:8]} {c['type']['name']} {CASE_STATUS_ZH.get(c['status'], c['status'])} "
        f"{c['taken_at'] or '无时间'} {jur} 证据{c['evidence_count']}份"
    )


def _list(args: argparse.Namespace) -> Outcome:
    from officer_app.services import cases

    with context(args) as ctx:
        items = cases.list_cases(ctx)
    return Outcome(items, "\n".join(_summary_line(c) for c in items) or "（无案件）")


def _show(args: argparse.Namespace) -> Outcome:
    from officer_app.commands.procedure import procedure_lines
    from officer_app.services import cases, procedure

    with context(args) as ctx:
        data = procedure.with_procedure(ctx, cases.get_case(ctx, args.id))
    lines = [
        _summary_line(data),
        f"地点：{data['place']}",
        f"违法行为依据：{data['legal_basis']['obligation']}",
        f"处罚依据：{data['legal_basis']['penalty']}",
        *(f"当事人：{p['name']} {p['id_number']}" for p in data["parties"]),
        *([] if data["parties"] else ["当事人：待查"]),
        *(
            [f"车辆号牌（线索）：{cases.vehicles_text(data['vehicles'])}"]
            if data["vehicles"]
            else []
        ),
        *procedure_lines(data),
        *(f"证据：{e['original_name']} {e['sha256']}" for e in data["evidence"]),
        *(f"文书：{d['title']} {d['number'] or '草稿'}" for d in data["documents"]),
    ]
    return Outcome(data, "\n".join(lines))


def _jurisdiction(args: argparse.Namespace) -> Outcome:
    from officer_app.services import cases

    with context(args) as ctx:
        data = cases.change_jurisdiction(ctx, args.id, args.code, args.reason)
    return Outcome(data, f"管辖已变更为：{data['jurisdiction']['name']}（{args.code}）")


def _validate(args: argparse.Namespace) -> Outcome:
    """No store needed: validation works before ``init`` and on any machine."""
    from officer_app.domain import identifiers

    check = {
        "id": identifiers.validate_resident_id,
        "uscc": identifiers.validate_uscc,
        "plate": identifiers.validate_plate,
    }[args.kind]
    result = check(args.value)
    data = {**result.derived, "valid": result.valid, "reason": result.reason}
    if result.valid:
        text = "有效：" + "，".join(f"{k}={v}" for k, v in result.derived.items())
    elif result.derived.get("warn_only"):
        text = f"校验未通过（仅提醒）：{result.reason}"
    else:
        text = f"无效：{result.reason}"
    return Outcome(data, text, EXIT_OK if result.valid else EXIT_FAILED)
