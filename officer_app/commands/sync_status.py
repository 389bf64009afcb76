"""``officer-app sync status`` and ``officer-app sync retry-held``.

``status`` works offline: what waits in the outbox, what was set aside on either side (entries the
platform refused, items pulled that could not be taken in, each with its reason) and the last
result. ``retry-held`` tries the pulled items again, e.g. once the platform has a missing file.
"""

from __future__ import annotations

import argparse
from typing import Any

from officer_app.commands.base import EXIT_OK, EXIT_PARTIAL, Outcome, context

ACTIONS = ("status", "retry-held")


def run(args: argparse.Namespace) -> Outcome:
    return _status(args) if args.action == "status" else _retry_held(args)


def _held_line(item: dict[str, Any]) -> str:
    what = item["kind_zh"] + (f" {item['document_number']}" if item["document_number"] else "")
    return f"  未能接收：#{item['cursor']} {what}：{item['reason']}"


def _status(args: argparse.Namespace) -> Outcome:
    from officer_app.services import sync_inbox as inbox
    from officer_app.services import sync_status as status

    with context(args) as ctx:
        counts = status.outbox_counts(ctx.store)
        held = inbox.held_items(ctx.store)
        data: dict[str, Any] = {
            "login": status.login_state(ctx),
            "outbox": counts,
            "set_aside": [
                {"id": r["id"], "entity": r["entity"], "op": r["op"], "reason": r["last_error"]}
                for r in status.outbox_rows(ctx.store, status.outbox_ids(ctx.store)).values()
                if r["state"] == "set_aside"
            ],
            "held": held,
            "last_result": status.last_result(ctx.store),
        }
    lines = [
        f"待上传 {counts['pending']} 条，已搁置 {counts['set_aside']} 条，"
        f"已上传 {counts['sent']} 条；未能接收的项目 {len(held)} 项。"
    ]
    lines += [f"  已搁置：{s['id'][:8]}：{s['reason']}" for s in data["set_aside"]]
    lines += [_held_line(h) for h in held]
    if data["last_result"]:
        lines.append(f"上次同步：{data['last_result'].get('text', '')}")
    return Outcome(data, "\n".join(lines))


def _retry_held(args: argparse.Namespace) -> Outcome:
    from officer_app.services import sync_inbox as inbox
    from officer_app.services.sync_run import retry_held

    with context(args) as ctx:
        result = retry_held(ctx)
        result["held"] = inbox.held_items(ctx.store)
    lines = [f"重新接收 {len(result['received'])} 项，仍未能接收 {len(result['still_held'])} 项。"]
    lines += [_held_line(h) for h in result["held"]]
    return Outcome(result, "\n".join(lines), EXIT_PARTIAL if result["still_held"] else EXIT_OK)
