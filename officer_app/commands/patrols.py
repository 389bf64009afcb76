"""``officer-app patrol new|list|show|start|close|amend``: joint patrols from the command line."""

from __future__ import annotations

import argparse
from typing import Any

from officer_app.commands.argtypes import int_in, record_id
from officer_app.commands.base import EXIT_OK, Outcome, agency_code, context


def register(sub: Any, json_flag: argparse.ArgumentParser) -> None:
    patrol = sub.add_parser("patrol", help="joint patrols (联合巡查)")
    psub = patrol.add_subparsers(dest="patrol_command", metavar="ACTION", required=True)

    p = psub.add_parser("new", parents=[json_flag], help="plan a new joint patrol")
    p.add_argument(
        "--type",
        required=True,
        metavar="TYPE",
        help="陆路巡查 / 水路巡查 / 共同管辖区域巡查 / 重大活动保障 / 其他",
    )
    p.add_argument("--start", required=True, metavar="TIME", help="planned start, ISO 8601")
    p.add_argument("--end", required=True, metavar="TIME", help="planned end, ISO 8601")
    p.add_argument(
        "--agency",
        action="append",
        required=True,
        type=agency_code,
        metavar="CODE",
        help="participating agency (repeat; the first one leads)",
    )
    p.add_argument(
        "--officer",
        action="append",
        default=[],
        metavar="CODE:NAME:BADGE",
        help="an officer of a participating agency, with 执法证号 (repeat)",
    )
    p.add_argument("--cluster", metavar="NAME")
    p.add_argument("--title", default="")
    p.add_argument("--area", default="")
    p.add_argument("--route", default="")
    p.add_argument("--notes", default="")
    p.add_argument("--findings", default="")
    p.set_defaults(handler=_new)

    p = psub.add_parser("list", parents=[json_flag], help="list patrols")
    p.add_argument("--status", choices=("planned", "in_progress", "closed"))
    p.add_argument("--type", metavar="TYPE")
    p.add_argument("--cluster", metavar="NAME")
    p.add_argument("--agency", type=agency_code, metavar="CODE")
    p.add_argument(
        "--from", dest="date_from", metavar="DATE", help="start on or after (YYYY-MM-DD, UTC+8)"
    )
    p.add_argument(
        "--to", dest="date_to", metavar="DATE", help="start on or before (YYYY-MM-DD, UTC+8)"
    )
    p.add_argument("--text", metavar="TEXT")
    p.add_argument(
        "--sort", default="start", choices=("start", "end", "type", "status", "cluster", "title")
    )
    p.add_argument("--asc", action="store_true", help="ascending (default: newest first)")
    p.set_defaults(handler=_list)

    for name, handler, text in (
        ("show", _show, "show one patrol"),
        ("start", _start, "planned → in progress"),
        ("close", _close, "in progress → closed (read-only from then on)"),
    ):
        p = psub.add_parser(name, parents=[json_flag], help=text)
        p.add_argument(
            "id", type=record_id, metavar="ID", help="patrol id or a unique prefix of it"
        )
        if name in ("start", "close"):
            p.add_argument("--at", metavar="TIME", help="when (ISO 8601; default now)")
        p.set_defaults(handler=handler)

    p = psub.add_parser("amend", parents=[json_flag], help="record a correction of a patrol")
    p.add_argument("id", type=record_id, metavar="ID")
    p.add_argument("change", metavar="FIELD=VALUE")
    p.add_argument("--reason", required=True, metavar="TEXT")
    p.add_argument(
        "--version",
        type=int_in("版本号", 1, 1_000_000),
        metavar="N",
        help="the version you corrected from (refused if it changed since)",
    )
    p.set_defaults(handler=_amend)


def _parse_officer(text: str) -> Any:
    from officer_app.errors import UsageError
    from officer_app.services.patrols import PatrolOfficer

    parts = text.split(":", 2)
    if len(parts) != 3 or not parts[1].strip():
        raise UsageError(
            f"执法人员格式应为 单位代码:姓名:执法证号，收到：{text}", f"bad --officer {text!r}"
        )
    return PatrolOfficer(parts[0].strip(), parts[1].strip(), parts[2].strip())


def _warning_lines(warnings: list[str]) -> list[str]:
    return [f"警告：{w}" for w in warnings]


def _new(args: argparse.Namespace) -> Outcome:
    from officer_app.services import patrols

    draft = patrols.PatrolDraft(
        patrol_type=args.type,
        planned_start=patrols.parse_time(args.start),
        planned_end=patrols.parse_time(args.end),
        agencies=list(args.agency),
        officers=[_parse_officer(o) for o in args.officer],
        cluster=args.cluster,
        title=args.title,
        area=args.area,
        route=args.route,
        notes=args.notes,
        findings=args.findings,
    )
    with context(args) as ctx:
        saved = patrols.create_patrol(ctx, draft)
        data = patrols.get_patrol(ctx, saved.patrol_id)
    text = "\n".join([f"已建立巡查 {saved.patrol_id}（计划中）", *_warning_lines(saved.warnings)])
    return Outcome(data, text)


def _day_bound(text: str, *, end: bool) -> str:
    import datetime as dt

    from officer_app.domain.times import to_utc_iso
    from officer_app.errors import UsageError
    from officer_app.services.patrols import CST

    try:
        day = dt.date.fromisoformat(text)
    except ValueError as exc:
        raise UsageError(
            f"日期格式不正确：{text}（应为 YYYY-MM-DD）", f"bad date {text!r}"
        ) from exc
    moment = dt.datetime.combine(day, dt.time(), CST) + dt.timedelta(days=1 if end else 0)
    return to_utc_iso(moment)


def _list(args: argparse.Namespace) -> Outcome:
    from officer_app.services import patrol_query

    flt = patrol_query.PatrolFilter(
        date_from=_day_bound(args.date_from, end=False) if args.date_from else None,
        date_to=_day_bound(args.date_to, end=True) if args.date_to else None,
        cluster=args.cluster,
        patrol_type=args.type,
        agency=args.agency,
        status=args.status,
        text=args.text,
    )
    with context(args) as ctx:
        items = patrol_query.list_patrols(ctx, flt, sort=args.sort, descending=not args.asc)
    names = {"planned": "计划中", "in_progress": "进行中", "closed": "已结束"}
    text = "\n".join(
        f"{i['id'][:8]} {(i['start'] or '')[:16].replace('T', ' ')} {i['type']} "
        f"{names.get(i['status'], i['status'])} "
        f"{'、'.join(a['name'] or a['code'] for a in i['agencies'])} "
        f"人员{i['officer_count']} 证据{i['evidence_count']}"
        for i in items
    )
    return Outcome(items, text or "（无巡查）")


def _show(args: argparse.Namespace) -> Outcome:
    from officer_app.services import patrols

    with context(args) as ctx:
        data = patrols.get_patrol(ctx, patrols.resolve_patrol_id(ctx, args.id))
    lines = [
        f"巡查 {data['id']}（第 {data['version']} 版）",
        f"类型：{data['type']}　状态：{data['status']}　片区：{data['cluster'] or '无'}",
        f"计划：{data['planned_start']} — {data['planned_end']}",
        f"实际：{data['actual_start'] or '未开始'} — {data['actual_end'] or ''}",
        "参加单位：" + "、".join(a["name"] or a["code"] for a in data["agencies"]),
        *(
            f"  {o['name']}（{o['badge'] or '无执法证号'}，{o['agency_code']}）"
            for o in data["officers"]
        ),
        f"区域：{data['area']}",
        f"发现问题：{data['findings']}",
        *(
            f"更正：{m['field']} {m['old_value']} → {m['new_value']}（{m['reason']}）"
            for m in data["amendments"]
        ),
        *_warning_lines(data["warnings"]),
    ]
    return Outcome(data, "\n".join(lines))


def _step(args: argparse.Namespace, action_name: str, done: str) -> Outcome:
    from officer_app.services import patrols

    action = getattr(patrols, action_name)
    with context(args) as ctx:
        patrol_id = patrols.resolve_patrol_id(ctx, args.id)
        at = patrols.parse_time(args.at) if args.at else None
        saved = action(ctx, patrol_id, at=at)
        data = patrols.get_patrol(ctx, patrol_id)
    return Outcome(
        data, "\n".join([done.format(patrol_id), *_warning_lines(saved.warnings)]), EXIT_OK
    )


def _start(args: argparse.Namespace) -> Outcome:
    return _step(args, "start_patrol", "巡查 {0} 已开始。")


def _close(args: argparse.Namespace) -> Outcome:
    return _step(args, "close_patrol", "巡查 {0} 已结束，记录转为只读。")


def _amend(args: argparse.Namespace) -> Outcome:
    from officer_app.errors import UsageError
    from officer_app.services import patrols

    field, sep, value = args.change.partition("=")
    if not sep or not field.strip():
        raise UsageError(
            f"更正内容格式应为 字段=新值，收到：{args.change}", f"bad change {args.change!r}"
        )
    with context(args) as ctx:
        patrol_id = patrols.resolve_patrol_id(ctx, args.id)
        amendment = patrols.amend_patrol(
            ctx, patrol_id, field.strip(), value, reason=args.reason, expected_version=args.version
        )
    text = (
        f"已记录更正：{amendment['field']} {amendment['old_value'] or '—'} → "
        f"{amendment['new_value'] or '—'}（第 {amendment['version']} 版）"
    )
    return Outcome(amendment, text)
