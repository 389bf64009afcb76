"""``officer-app evidence import|list``, ``officer-app track import`` and ``officer-app verify``."""

from __future__ import annotations

import argparse
from typing import Any

from officer_app.commands.argtypes import float_in, input_file, input_path, record_id
from officer_app.commands.base import EXIT_FAILED, EXIT_OK, Outcome, context


def register(sub: Any, json_flag: argparse.ArgumentParser) -> None:
    evidence = sub.add_parser("evidence", help="evidence photos")
    esub = evidence.add_subparsers(dest="evidence_command", metavar="ACTION", required=True)

    p = esub.add_parser("import", parents=[json_flag], help="import photo files and folders")
    p.add_argument("paths", nargs="+", type=input_path, metavar="PATH")
    p.add_argument("--patrol", type=record_id, metavar="ID", help="attach to this patrol")
    p.set_defaults(handler=_import)

    p = esub.add_parser("list", parents=[json_flag], help="list evidence items")
    p.add_argument("--patrol", type=record_id, metavar="ID")
    p.set_defaults(handler=_list)

    from officer_app.commands.evidence_package import register_evidence_actions

    register_evidence_actions(esub, json_flag)

    p = sub.add_parser("verify", parents=[json_flag], help="re-hash evidence, walk the ledger")
    p.add_argument(
        "--repair",
        action="store_true",
        help="finish or clean up what interrupted imports left (quarantines, never deletes)",
    )
    p.add_argument(
        "--against-platform",
        action="store_true",
        help="also compare the ledger with what the platform witnessed (needs the network)",
    )
    p.set_defaults(handler=_verify)

    track = sub.add_parser("track", help="GPS tracks")
    tsub = track.add_subparsers(dest="track_command", metavar="ACTION", required=True)
    p = tsub.add_parser("import", parents=[json_flag], help="import a GPX track")
    p.add_argument("file", type=input_file, metavar="FILE.gpx")
    p.add_argument("--patrol", type=record_id, metavar="ID")
    p.add_argument(
        "--clock-offset",
        type=float_in("相机时钟偏差", -366 * 86400, 366 * 86400),
        default=0.0,
        metavar="SECONDS",
        help="camera clock minus GPS clock, in seconds",
    )
    p.add_argument(
        "--max-gap",
        type=float_in("最大间隔", 0, 366 * 86400),
        default=300.0,
        metavar="SECONDS",
        help="no interpolation across gaps longer than this",
    )
    p.set_defaults(handler=_track_import)
    from officer_app.commands.positions import (
        register_evidence_actions as register_position_actions,
    )

    register_position_actions(esub, json_flag)


def _import(args: argparse.Namespace) -> Outcome:
    from officer_app.commands.interrupt import cancel_on_sigint
    from officer_app.services import evidence_import

    with context(args) as ctx, cancel_on_sigint() as ctrl_c:
        report = evidence_import.import_files(
            ctx, args.paths, patrol_id=args.patrol, cancelled=ctrl_c.is_set
        )
    lines = [
        f"导入 {report.count('imported')} 个，重复 {report.count('duplicate')} 个，"
        f"拒绝 {report.count('rejected')} 个。"
    ]
    lines += [f"  拒绝：{f.path}：{f.reason}" for f in report.files if f.outcome == "rejected"]
    if report.fatal:
        lines.append(f"导入中止：{report.fatal}")
    elif report.cancelled:
        lines.append("导入已取消：之前导入的文件已保存，未完成的文件没有留下任何数据。")
    if report.cleaned:
        lines.append(
            f"  已清理上次中断的导入留下的 {len(report.cleaned)} 个临时文件（完整的副本已存入证据库）。"
        )
    return Outcome(report.to_json(), "\n".join(lines), report.exit_code)


def _list(args: argparse.Namespace) -> Outcome:
    from officer_app.services import evidence_query

    with context(args) as ctx:
        items = evidence_query.list_evidence(ctx, patrol_id=args.patrol)

    def line(item: dict[str, Any]) -> str:
        where = "无位置" if item["lat"] is None else f"{item['lat']:.6f},{item['lon']:.6f}"
        if item.get("path"):  # a moving recording: how far its path runs
            where += f" 轨迹 {len(item['path'])} 点 {item['path_length_m']:.0f} 米"
        return f"{item['id'][:8]} {item['original_name']} {item['taken_at'] or '无时间'} {where}"

    text = "\n".join(line(item) for item in items)
    return Outcome(items, text or "（无证据）")


def _verify(args: argparse.Namespace) -> Outcome:
    from officer_app.services import repair, verify
    from officer_app.services.custody_check import custody_summary

    with context(args) as ctx:
        if args.repair:
            result = repair.repair(ctx)
        else:
            result = verify.verify(ctx, against_platform=args.against_platform)
    lines = ["修复："] + [f"  {a['message_zh']}" for a in result["actions"]] if args.repair else []
    if args.repair and not result["actions"]:
        lines = ["无需修复。"]
    if result["ok"]:
        lines.append(
            f"校验通过：{result['evidence_checked']} 个证据文件，{result['ledger_entries']} 条日志。"
            + custody_summary(result["witness"])
        )
    else:
        lines += ["校验发现问题："] + [f"  {p['message_zh']}" for p in result["problems"]]
    return Outcome(result, "\n".join(lines), EXIT_OK if result["ok"] else EXIT_FAILED)


def _track_import(args: argparse.Namespace) -> Outcome:
    from officer_app.services import tracks

    with context(args) as ctx:
        result = tracks.import_track(
            ctx,
            args.file,
            patrol_id=args.patrol,
            clock_offset_s=args.clock_offset,
            max_gap_s=args.max_gap,
        )
    text = (
        f"轨迹已导入：{result['n_points']} 个点，为 {len(result['positioned'])} 个证据补充了位置。"
    )
    if result["truncated"]:
        text += "\n文件不完整（记录仪可能断电），已保留截断前的完整轨迹点。"
    if result["skipped_points"] or result["dropped_fields"]:
        text += (
            f"\n跳过 {result['skipped_points']} 个无效坐标的点，"
            f"忽略 {result['dropped_fields']} 个无效的高程/时间值。"
        )
    return Outcome(result, text)
