"""What the 同步 page shows, without Qt: login state, the outbox list, the last result, a probe.

Kept apart from the page so the same answers can be tested (and used by a CLI) without a display,
and so nothing here ever blocks the GUI thread by accident: the page calls these from its worker
pool. Errors are stored and shown in plain Chinese; the English detail goes to the log only.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from officer_app.errors import UserFacingError
from officer_app.services.context import AppContext
from officer_app.store import sync_state
from officer_app.store.db import Store
from officer_app.sync import credentials

log = logging.getLogger(__name__)
LAST_RESULT = "last_result"
PROBE_TIMEOUT_S = 3.0

ENTITY_ZH = {
    "evidence": "证据",
    "case": "案件",
    "document": "文书",
    "patrol": "联合巡查",
    "patrol_amendment": "巡查更正",
    "transfer": "案件移送",
}
OP_ZH = {
    "create": "新建",
    "update": "修改",
    "issue": "签发",
    "position": "位置更正",
    "send": "移送",
    "accept": "接收",
    "return": "退回",
    "feedback": "反馈",
    "close": "结束",
    "start": "开始",
    "amend": "更正",
    "jurisdiction": "辖区更正",
}
STATE_ZH = {"pending": "待上传", "sent": "已上传", "set_aside": "已搁置"}


def login_state(ctx: AppContext) -> dict[str, Any]:
    """Server URL and whether a token for it is in the keyring (the token itself never leaves)."""
    server = sync_state.get(ctx.store, sync_state.SERVER_URL)
    out: dict[str, Any] = {"server": server, "logged_in": False, "problem": ""}
    if not server:
        return out
    try:
        credentials.load_token(ctx.store, server)
        out["logged_in"] = True
    except UserFacingError as exc:
        out["problem"] = exc.message_zh
    return out


def outbox_counts(store: Store) -> dict[str, int]:
    rows = store.query("SELECT state, count(*) AS n FROM outbox GROUP BY state")
    counts = {"pending": 0, "sent": 0, "set_aside": 0}
    counts.update({r["state"]: int(r["n"]) for r in rows})
    return counts


ORDER = "ORDER BY CASE state WHEN 'set_aside' THEN 0 WHEN 'pending' THEN 1 ELSE 2 END, seq DESC"


def outbox_ids(store: Store) -> list[str]:
    """Every entry id, set-aside first, then waiting, then sent (newest first in each group):
    the order the officer needs; the rows themselves are read a page at a time."""
    return [r["id"] for r in store.query(f"SELECT id FROM outbox {ORDER}")]


def outbox_rows(store: Store, ids: list[str]) -> dict[str, dict[str, Any]]:
    if not ids:
        return {}
    marks = ", ".join("?" for _ in ids)
    rows = store.query(
        "SELECT id, seq, entity, entity_id, op, state, attempts, last_error, created_at, training"
        f" FROM outbox WHERE id IN ({marks})",
        ids,
    )
    return {
        r["id"]: {
            **r,
            "entity_zh": ENTITY_ZH.get(r["entity"], r["entity"]),
            "op_zh": OP_ZH.get(r["op"], r["op"]),
            "state_zh": STATE_ZH.get(r["state"], r["state"]),
        }
        for r in rows
    }


def retry(store: Store, entry_ids: list[str]) -> int:
    """Put set-aside entries back in the queue with a fresh attempt count; returns how many."""
    with store.transaction():
        changed = 0
        for entry_id in entry_ids:
            changed += store.execute(
                "UPDATE outbox SET state = 'pending', attempts = 0 WHERE id = ?"
                " AND state = 'set_aside'",
                [entry_id],
            ).rowcount
    return changed


def save_result(store: Store, result: dict[str, Any]) -> None:
    sync_state.put(store, LAST_RESULT, json.dumps(result, ensure_ascii=False))


def last_result(store: Store) -> dict[str, Any] | None:
    raw = sync_state.get(store, LAST_RESULT)
    return json.loads(raw) if raw else None


def summarise(report: dict[str, Any]) -> str:
    """A sync report as one plain Chinese paragraph (the same wording as ``officer-app sync``)."""
    text = (
        f"上传 {report['pushed']} 条记录，上传文件 {report['blobs_uploaded']} 个"
        f"（{report['bytes_uploaded'] / 1e6:.1f} MB），收取 {report['pulled']} 条。"
    )
    if report.get("deferred"):
        text += f" {report['deferred']} 条暂未上传，下次同步重试。"
    if report.get("set_aside"):
        text += f" {len(report['set_aside'])} 条已搁置，请查看同步记录。"
    if report.get("held"):
        text += f" {len(report['held'])} 项来自平台的项目未能接收，请查看“未能接收”。"
    if report.get("skipped_other_mode"):
        text += f" {report['skipped_other_mode']} 条培训/正式数据与平台模式不符，未上传。"
    witness = report.get("witness") or {}
    if witness.get("witnessed"):
        text += f" 平台已见证本机日志至第 {witness['seq']} 条。"
    elif witness.get("witnessed") is False:
        text += f" 平台见证未完成：{witness['reason']}"
    return text


def probe(server: str, timeout: float = PROBE_TIMEOUT_S) -> tuple[bool, str]:
    """Is the platform reachable? Short time-out, no retries: this runs every few minutes."""
    from officer_app.sync.http import PlatformClient

    try:
        with PlatformClient(server, None, timeout=timeout) as client:
            hello = client.hello()
    except UserFacingError as exc:
        log.info("platform probe failed: %s", exc.detail)
        return False, exc.message_zh
    suffix = "（培训平台）" if hello.get("training") else ""
    return True, f"在线：{server}{suffix}"
