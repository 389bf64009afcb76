"""``officer-app bundle export`` and ``officer-app platform import-bundle``: sync by USB stick."""

from __future__ import annotations

import argparse
from typing import Any

from officer_app.commands.argtypes import input_file, output_file
from officer_app.commands.base import EXIT_OK, EXIT_PARTIAL, Outcome, context, data_root


def register(sub: Any, json_flag: argparse.ArgumentParser) -> None:
    bundle = sub.add_parser("bundle", help="sync bundle for a USB stick (no network)")
    bsub = bundle.add_subparsers(dest="bundle_command", metavar="ACTION", required=True)
    p = bsub.add_parser("export", parents=[json_flag], help="write everything not yet synced")
    p.add_argument("--out", required=True, type=output_file, metavar="FILE")
    p.set_defaults(handler=_export)


def register_platform_import(psub: Any, json_flag: argparse.ArgumentParser) -> None:
    """Called by the ``platform`` group: ``platform import-bundle FILE``."""
    p = psub.add_parser("import-bundle", parents=[json_flag], help="import a laptop's bundle")
    p.add_argument("file", type=input_file, metavar="FILE")
    p.add_argument(
        "--db", metavar="URL", default=None, help="the platform database, as for platform serve"
    )
    p.set_defaults(handler=_import)


def _export(args: argparse.Namespace) -> Outcome:
    from officer_app.services.sync_bundle import export_bundle

    with context(args) as ctx:
        result = export_bundle(ctx, args.out)
    return Outcome(
        result,
        f"已导出同步包 {result['path']}：{result['entries']} 条记录、{result['blobs']} 个文件，"
        f"共 {result['bytes'] / 1e6:.1f} MB。请交平台管理员导入；导入后本机联网同步不会重复上传。",
    )


def _import(args: argparse.Namespace) -> Outcome:
    from officer_app.platform.bundle_import import import_bundle

    result = import_bundle(data_root(args), args.file, args.db)
    lines = [
        f"已导入 {result['officer_name']}（{result['agency']}）的同步包："
        f"新增 {result['stored']} 条，已有 {result['duplicate']} 条，文件 {result['files']} 个。"
    ]
    lines += [f"  未接收：{r['id']}：{r.get('message_zh', r['status'])}" for r in result["refused"]]
    return Outcome(result, "\n".join(lines), EXIT_PARTIAL if result["refused"] else EXIT_OK)
