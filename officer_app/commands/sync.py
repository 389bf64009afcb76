"""``officer-app login``, ``officer-app sync`` and ``officer-app transfer list|accept|return|
feedback`` (and the 联合查处 actions of ``commands/joint.py``)."""

from __future__ import annotations

import argparse
from typing import Any

from officer_app.commands.argtypes import float_in, int_in, record_id, server_url
from officer_app.commands.base import EXIT_OK, EXIT_PARTIAL, Outcome, context
from officer_app.commands.sync_status import ACTIONS
from officer_app.commands.token_input import TOKEN_ENV
from officer_app.domain.transfer import FEEDBACK_RESULTS


def register(sub: Any, json_flag: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "login",
        parents=[json_flag],
        help="log in to the city platform (the token is asked for, never given as an argument)",
    )
    p.add_argument("--server", required=True, type=server_url, metavar="URL")
    p.add_argument(
        "--token-stdin",
        action="store_true",
        help=f"read the token from standard input (else ${TOKEN_ENV}, else a prompt)",
    )
    # Refused with a message saying how to give the token now: kept out of ps and shell history.
    p.add_argument("--token", help=argparse.SUPPRESS)
    p.add_argument(
        "--accept-new-key",
        action="store_true",
        help="accept a platform signing key other than the one pinned at the first login",
    )
    p.set_defaults(handler=_login)

    p = sub.add_parser("sync", parents=[json_flag], help="push the outbox, pull the inbox")
    p.add_argument(
        "action",
        nargs="?",
        choices=ACTIONS,
        help="status: what waits or was set aside (offline); retry-held: take in held items",
    )
    p.add_argument(
        "--reserve-serials",
        metavar="DOC_TYPE",
        action="append",
        default=[],
        help="also reserve a serial block for this doc type (e.g. 移)",
    )
    p.add_argument("--block-size", type=int_in("文号段大小", 1, 100_000), default=100, metavar="N")
    p.set_defaults(handler=_sync)

    transfer = sub.add_parser("transfer", help="case transfers (案件移送)")
    tsub = transfer.add_subparsers(dest="transfer_command", metavar="ACTION", required=True)
    p = tsub.add_parser("list", parents=[json_flag], help="transfers in and out")
    p.set_defaults(handler=_list)
    p = tsub.add_parser("accept", parents=[json_flag], help="accept and issue the 回执")
    p.add_argument("id", type=record_id, metavar="ID")
    p.set_defaults(handler=_accept)
    p = tsub.add_parser("return", parents=[json_flag], help="return it with a numbered 退回函")
    p.add_argument("id", type=record_id, metavar="ID")
    p.add_argument("--reason", required=True, metavar="TEXT")
    p.add_argument("--basis", metavar="TEXT", help="legal basis (default: 行政处罚法第二十二条)")
    p.set_defaults(handler=_return)
    p = tsub.add_parser("feedback", parents=[json_flag], help="report back with a 处理结果反馈函")
    p.add_argument("id", type=record_id, metavar="ID")
    p.add_argument("--result", required=True, choices=FEEDBACK_RESULTS)
    p.add_argument("--decision-number", default="", metavar="TEXT", help="处罚决定书文号")
    p.add_argument("--decision-date", metavar="DATE", help="decision (or referral) date")
    p.add_argument("--fine", type=float_in("罚款金额", 0, 1e12), metavar="YUAN")
    p.add_argument("--executed", choices=("yes", "no", "partly"))
    p.add_argument("--basis", metavar="TEXT", help="不予处罚: its legal basis")
    p.add_argument("--note", default="", metavar="TEXT")
    p.set_defaults(handler=_feedback)

    from officer_app.commands import joint

    joint.register(tsub, json_flag)


def _login(args: argparse.Namespace) -> Outcome:
    from officer_app.commands.token_input import read_token
    from officer_app.services.sync_run import login

    token = read_token(args.token, from_stdin=args.token_stdin)
    with context(args) as ctx:
        result = login(ctx, args.server, token, accept_new_key=args.accept_new_key)
    from officer_app.domain.witness import short_fingerprint

    mode = "（培训平台）" if result["training"] else ""
    key = result["witness_key"]
    pinned = {"new": "已记录", "unchanged": "与记录一致", "replaced": "已更换"}[key["pinned"]]
    return Outcome(
        result,
        f"已登录 {result['server']}{mode}：{result['officer_name']}（{result['agency']}）\n"
        f"平台签名公钥指纹：{short_fingerprint(key['fingerprint'])}（{pinned}）",
    )


def _sync(args: argparse.Namespace) -> Outcome:
    from officer_app.services import sync_status as status
    from officer_app.services.sync_run import reserve_serials, run_sync

    if args.action:
        from officer_app.commands import sync_status

        return sync_status.run(args)
    with context(args) as ctx:
        report = run_sync(ctx).to_json()
        ok = not report["set_aside"] and not report["deferred"] and not report["held"]
        status.save_result(  # so the 同步 page shows it too
            ctx.store, {"ok": ok, "text": status.summarise(report), "at": ctx.now_iso()}
        )
        year = ctx.clock().year
        report["serial_blocks"] = [
            reserve_serials(ctx, doc_type, year, args.block_size)
            for doc_type in args.reserve_serials
        ]
    lines = [
        f"上传 {report['pushed']} 条记录（其中重复确认 {report['acknowledged_again']} 条），"
        f"上传文件 {report['blobs_uploaded']} 个，收取 {report['pulled']} 条。"
    ]
    if report["witness"].get("witnessed") is False:
        lines.append(f"  平台见证未完成：{report['witness']['reason']}")
    if report["skipped_other_mode"]:
        lines.append(f"  {report['skipped_other_mode']} 条培训/正式数据与平台模式不符，未上传。")
    if report["deferred"]:
        lines.append(f"  {report['deferred']} 条暂未上传，下次同步重试。")
    lines += [f"  已搁置：{s['id'][:8]}：{s['reason']}" for s in report["set_aside"]]
    lines += [f"  未能接收：#{h['cursor']}：{h['reason']}" for h in report["held"]]
    partial = report["set_aside"] or report["deferred"] or report["held"]
    return Outcome(report, "\n".join(lines), EXIT_PARTIAL if partial else EXIT_OK)


def _line(t: dict[str, Any]) -> str:
    arrow = "移入" if t["direction"] == "in" else "移出"
    letters = "".join(f"\n    {d['title']} {d['number']}" for d in t.get("documents", []))
    return (
        f"{t['id'][:8]} {t['kind_zh']} {arrow} {t['status_zh']} {t['document_number']} "
        f"{t['other_agency']['name']} 回执期限 {t['deadline'] or '—'}{letters}"
    )


def _list(args: argparse.Namespace) -> Outcome:
    from officer_app.services import transfers

    with context(args) as ctx:
        items = transfers.list_transfers(ctx)
    return Outcome(items, "\n".join(_line(t) for t in items) or "（无移送记录）")


def _accept(args: argparse.Namespace) -> Outcome:
    from officer_app.services import transfer_letters

    with context(args) as ctx:
        result = transfer_letters.accept(ctx, args.id)
    return Outcome(result, f"已接收，回执文号：{result['number']}（同步后送达移送机关）")


def _return(args: argparse.Namespace) -> Outcome:
    from officer_app.services import transfer_letters

    with context(args) as ctx:
        result = transfer_letters.return_transfer(
            ctx, args.id, reason=args.reason, basis=args.basis
        )
    return Outcome(result, f"已退回，退回函文号：{result['number']}（同步后送达移送机关）")


def _feedback(args: argparse.Namespace) -> Outcome:
    from officer_app.services import transfer_letters

    with context(args) as ctx:
        result = transfer_letters.feedback(
            ctx,
            args.id,
            result=args.result,
            fine=args.fine,
            note=args.note,
            decision_number=args.decision_number,
            decision_date=args.decision_date,
            executed=args.executed,
            basis=args.basis,
        )
    return Outcome(
        result, f"处理结果已反馈：{args.result}，反馈函文号：{result['number']}（同步后送达）"
    )
