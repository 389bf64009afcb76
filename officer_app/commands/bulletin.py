"""``officer-app bulletin`` (the laptop's own agency) and ``officer-app platform bulletin`` (a cluster).

Both print the figures of the same :class:`~officer_app.services.stats.Dashboard` the 统计 page
shows, write the numbered PDF and, on request, the CSV/XLSX tables behind it.
"""

from __future__ import annotations

import argparse
from typing import Any

from officer_app.commands.argtypes import output_file
from officer_app.commands.base import Outcome, context, data_root
from officer_app.errors import UsageError


def _period(text: str) -> Any:
    from officer_app.services.stats import parse_quarter

    try:
        return parse_quarter(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--quarter", required=True, type=_period, metavar="2026Q3")
    p.add_argument("--out", required=True, type=output_file, metavar="FILE.pdf")
    p.add_argument("--csv", type=output_file, metavar="FILE.csv")
    p.add_argument("--xlsx", type=output_file, metavar="FILE.xlsx")


def register(sub: Any, json_flag: argparse.ArgumentParser) -> None:
    p = sub.add_parser("bulletin", parents=[json_flag], help="quarterly bulletin (专项通报)")
    _common(p)
    p.add_argument("--agency", metavar="CODE", help="district agency (default: the officer's)")
    p.add_argument("--draft", action="store_true", help="unnumbered preview marked 草稿")
    p.set_defaults(handler=_local)


def register_platform_action(psub: Any, json_flag: argparse.ArgumentParser) -> None:
    p = psub.add_parser("bulletin", parents=[json_flag], help="cluster-wide quarterly bulletin")
    _common(p)
    p.add_argument("--cluster", metavar="NAME", help="e.g. 青嘉吴 (without it: --agency alone)")
    p.add_argument(
        "--agency",
        metavar="CODE",
        help="issuing agency (default: the cluster's first member); without --cluster, the"
        " bulletin of this agency alone, from everything its laptops pushed",
    )
    p.add_argument(
        "--db", metavar="URL", default=None, help="the platform database, as for platform serve"
    )
    p.set_defaults(handler=_platform)


def _text(board: Any, result: dict[str, Any]) -> str:
    lines = [f"已生成 {result['out']}（{result['number'] or '草稿'}，{result['pages']}页）"]
    lines += [f"  {f.label}：{f.display}" for f in board.figures.values()]
    return "\n".join(lines)


def _local(args: argparse.Namespace) -> Outcome:
    from officer_app.services import bulletin, stats

    with context(args) as ctx:
        board = stats.dashboard(ctx, args.quarter, agency=args.agency)
        result = bulletin.issue_local_bulletin(
            ctx, board, args.out, csv_path=args.csv, xlsx_path=args.xlsx, draft=args.draft
        )
    return Outcome({**result, "figures": board.to_json()}, _text(board, result))


def _platform(args: argparse.Namespace) -> Outcome:
    from officer_app.services import bulletin

    try:
        board, result = bulletin.platform_bulletin(
            data_root(args),
            args.quarter,
            args.cluster,
            args.out,
            agency=args.agency,
            csv_path=args.csv,
            xlsx_path=args.xlsx,
            db_url=args.db,
        )
    except LookupError as exc:
        raise UsageError(str(exc).strip("'\""), "bad cluster/agency") from exc
    text = _text(board, result)
    if result["witness"]:
        sth = result["witness"]["sth"]
        text += (
            f"\n  平台见证日志签名树头：{sth['tree_size']} 条，根哈希 {sth['root_hash']}，"
            f"签名时间 {sth['timestamp']}"
        )
    return Outcome({**result, "figures": board.to_json()}, text)
