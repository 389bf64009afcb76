"""``officer-app backup --out FILE`` and ``officer-app restore FILE``."""

from __future__ import annotations

import argparse
from typing import Any

from officer_app.commands.argtypes import input_file, output_file
from officer_app.commands.base import Outcome, context, data_root


def register(sub: Any, json_flag: argparse.ArgumentParser) -> None:
    p = sub.add_parser("backup", parents=[json_flag], help="store and evidence into one file")
    p.add_argument("--out", required=True, type=output_file, metavar="FILE")
    p.set_defaults(handler=_backup)
    p = sub.add_parser(
        "restore", parents=[json_flag], help="restore a backup into --data-dir, verified first"
    )
    p.add_argument("file", type=input_file, metavar="FILE")
    p.add_argument("--force", action="store_true", help="replace an existing store (kept aside)")
    p.set_defaults(handler=_restore)


def _backup(args: argparse.Namespace) -> Outcome:
    from officer_app.services import backup

    with context(args) as ctx:
        result = backup.backup(ctx, args.out)
    text = f"备份完成：{result['out']}（{result['evidence']} 个证据文件，{result['bytes'] / 1e6:.1f} MB）"
    return Outcome(result, text)


def _restore(args: argparse.Namespace) -> Outcome:
    from officer_app.services import backup

    result = backup.restore(args.file, data_root(args), force=args.force)
    checked = result["verified"]
    text = (
        f"已恢复到 {result['data_dir']}，校验通过："
        f"{checked['evidence_checked']} 个证据文件，{checked['ledger_entries']} 条日志。"
    )
    return Outcome(result, text)
