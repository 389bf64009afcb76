"""``officer-app evidence export|check-package``: registered by commands/evidence.py.

``check-package`` opens no store and no data dir: a receiving agency or a court can run it on any
machine with the app installed.
"""

from __future__ import annotations

import argparse
from typing import Any

from officer_app.commands.argtypes import input_file, output_file, record_id
from officer_app.commands.base import EXIT_FAILED, EXIT_OK, Outcome, context


def register_evidence_actions(esub: Any, json_flag: argparse.ArgumentParser) -> None:
    p = esub.add_parser("export", parents=[json_flag], help="export a case's evidence package")
    p.add_argument("--case", required=True, type=record_id, metavar="ID")
    p.add_argument("--out", required=True, type=output_file, metavar="FILE.zip")
    p.set_defaults(handler=_export)

    p = esub.add_parser("check-package", parents=[json_flag], help="verify an evidence package")
    p.add_argument("file", type=input_file, metavar="FILE.zip")
    p.set_defaults(handler=_check)


def _export(args: argparse.Namespace) -> Outcome:
    from officer_app.services import evidence_package

    with context(args) as ctx:
        result = evidence_package.export_package(ctx, args.case, args.out)
    return Outcome(
        result,
        f"证据包已导出：{args.out}（证据{result['evidence']}份，文书{result['documents']}份，"
        f"日志{result['ledger_entries']}条）",
    )


def _check(args: argparse.Namespace) -> Outcome:
    from officer_app.services import evidence_package
    from officer_app.services.custody_package import summary_zh

    result = evidence_package.check_package(args.file)
    if result["ok"]:
        c = result["checked"]
        text = f"核验通过：{c['files']}个文件，证据{c['evidence']}份，文书{c['documents']}份，日志{c['ledger_entries']}条。"
        text += "\n" + summary_zh(result["witness"])
    else:
        text = "\n".join(["核验发现问题："] + [f"  {p['message_zh']}" for p in result["problems"]])
    return Outcome(result, text, EXIT_OK if result["ok"] else EXIT_FAILED)
