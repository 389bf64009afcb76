"""Push: store outbox entries idempotently and route what they mean (transfers, joint patrols).

A batch is applied in one transaction, each entry inside its own savepoint (so a refused entry is
undone alone), and no result is reported before that transaction committed: one commit (one
fsync) per batch instead of one per entry, with the same guarantee. An entry id seen before with the same content is acknowledged again (a retry after a lost receipt); the
same id with other content is a conflict: the first version stays, the second is kept beside it for
review and the client is told, never silently overwritten.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from officer_app.domain import transfer as machine
from officer_app.platform.auth import Caller, district
from officer_app.platform.db import Connection, now_iso, savepoint, transaction

SHA256_RE = re.compile(r"^[0-9a-f]{64}$")
ENTRY_KEYS = ("id", "entity", "entity_id", "op", "payload", "training")
MAX_BATCH = 200


def canonical(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def content_sha256(entry: dict[str, Any]) -> str:
    """What makes two pushes of one id "the same": everything but transport details."""
    body = {k: entry.get(k) for k in ("entity", "entity_id", "op", "payload", "training", "blobs")}
    body["blobs"] = sorted(body["blobs"] or [])
    return hashlib.sha256(canonical(body).encode("utf-8")).hexdigest()


def _result(entry_id: Any, status: str, message_zh: str = "", **extra: Any) -> dict[str, Any]:
    out = {"id": entry_id, "status": status, **extra}
    if message_zh:
        out["message_zh"] = message_zh
    return out


class Refused(Exception):
    """An entry the platform will never accept as it is (the client sets it aside)."""

    def __init__(self, message_zh: str, detail: str) -> None:
        super().__init__(detail)
        self.message_zh = message_zh


def _malformed(entry: Any) -> str | None:
    if not isinstance(entry, dict):
        return "entry is not an object"
    for key in ENTRY_KEYS:
        if key not in entry:
            return f"missing {key}"
    if not all(isinstance(entry[k], str) and entry[k] for k in ("id", "entity", "entity_id", "op")):
        return "id/entity/entity_id/op must be non-empty strings"
    if not isinstance(entry["payload"], dict) or not isinstance(entry["training"], bool):
        return "payload must be an object, training a boolean"
    blobs = entry.get("blobs", [])
    if not isinstance(blobs, list) or not all(
        isinstance(b, str) and SHA256_RE.match(b) for b in blobs
    ):
        return "blobs must be a list of sha256 hex strings"
    return None


def push(
    conn: Connection, caller: Caller, entries: list[Any], *, training_platform: bool
) -> list[dict[str, Any]]:
    results = []
    with transaction(conn):
        for entry in entries:
            problem = _malformed(entry)
            if problem:
                eid = entry.get("id") if isinstance(entry, dict) else None
                results.append(
                    _result(eid, "rejected", "记录格式不正确，平台未接收。", detail=problem)
                )
                continue
            results.append(_push_one(conn, caller, entry, training_platform))
    return results


def _push_one(
    conn: Connection, caller: Caller, entry: dict[str, Any], training_platform: bool
) -> dict[str, Any]:
    eid = entry["id"]
    if entry["training"] and not training_platform:
        return _result(eid, "rejected", "正式平台不接收培训（演示）数据。", detail="training data")
    if not entry["training"] and training_platform:
        return _result(eid, "rejected", "培训平台只接收培训（演示）数据。", detail="real data")
    try:
        return _store(conn, caller, entry)
    except Refused as exc:
        return _result(eid, "rejected", exc.message_zh, detail=str(exc))


def _store(conn: Connection, caller: Caller, entry: dict[str, Any]) -> dict[str, Any]:
    eid = entry["id"]
    digest = content_sha256(entry)
    blobs = sorted(set(entry.get("blobs", [])))
    with savepoint(conn):  # inside push()'s transaction
        old = conn.execute(
            "SELECT agency, content_sha256 FROM entries WHERE id = ?", [eid]
        ).fetchone()
        if old is not None:
            if old["agency"] == caller.agency and old["content_sha256"] == digest:
                return _result(eid, "duplicate")
            conn.execute(
                "INSERT INTO conflicts (entry_id, agency, content_sha256, payload, received_at)"
                " VALUES (?, ?, ?, ?, ?)",
                [eid, caller.agency, digest, canonical(entry), now_iso()],
            )
            return _result(
                eid,
                "conflict",
                "平台已有同一编号但内容不同的记录：平台保留原记录，本次内容已另存待核查。",
            )
        missing = [
            sha
            for sha in blobs
            if conn.execute(
                "SELECT 1 FROM blob_access WHERE sha256 = ? AND agency = ?", [sha, caller.agency]
            ).fetchone()
            is None
        ]
        if missing:
            return _result(eid, "missing_blobs", "证据文件尚未上传完成。", missing=missing)
        _route(conn, caller, entry, blobs)  # Refused rolls the whole entry back
        conn.execute(
            "INSERT INTO entries (id, agency, token_id, entity, entity_id, op, payload,"
            " content_sha256, training, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                eid,
                caller.agency,
                caller.token_id,
                entry["entity"],
                entry["entity_id"],
                entry["op"],
                canonical(entry["payload"]),
                digest,
                int(entry["training"]),
                now_iso(),
            ],
        )
        conn.execute(
            "INSERT INTO visibility (entry_id, agency) VALUES (?, ?) ON CONFLICT DO NOTHING",
            [eid, caller.agency],
        )
    return _result(eid, "stored")


# Routing ------------------------------------------------------------------------------------------
def _inbox(conn: Connection, agency: str, kind: str, ref: str, payload: Any) -> None:
    conn.execute(
        "INSERT INTO inbox (agency, kind, ref_id, payload, created_at) VALUES (?, ?, ?, ?, ?)",
        [agency, kind, ref, canonical(payload), now_iso()],
    )


def _route(conn: Connection, caller: Caller, entry: dict[str, Any], blobs: list[str]) -> None:
    entity, op, payload = entry["entity"], entry["op"], entry["payload"]
    if entity == "transfer" and op == "send":
        _send_transfer(conn, caller, entry, blobs)
    elif entity == "transfer":
        _step_transfer(conn, caller, op, payload, blobs)
    elif entity == "patrol" and op == "create":
        for code in {district(str(c)) for c in payload.get("agencies", [])} - {caller.agency}:
            conn.execute(
                "INSERT INTO visibility (entry_id, agency) VALUES (?, ?) ON CONFLICT DO NOTHING",
                [entry["id"], code],
            )
            _inbox(
                conn, code, "patrol", entry["entity_id"], {"from_agency": caller.agency, **payload}
            )


def _send_transfer(
    conn: Connection, caller: Caller, entry: dict[str, Any], blobs: list[str]
) -> None:
    p = entry["payload"]
    tid, kind, to = str(p.get("id", "")), p.get("kind"), district(str(p.get("to_agency", "")))
    if not tid or kind not in machine.KINDS or not to or not p.get("document_number"):
        raise Refused("移送记录不完整，平台未接收。", f"bad transfer payload {sorted(p)}")
    if to == caller.agency:
        raise Refused("不能向本机关移送案件。", "transfer to self")
    if conn.execute("SELECT 1 FROM transfers WHERE id = ?", [tid]).fetchone():
        raise Refused("该移送编号已存在，平台未重复接收。", f"transfer {tid} exists")
    now = now_iso()
    conn.execute(
        "INSERT INTO transfers (id, kind, from_agency, to_agency, status, document_number,"
        " deadline, payload, training, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, 'sent', ?, ?, ?, ?, ?, ?)",
        [
            tid,
            kind,
            caller.agency,
            to,
            p["document_number"],
            p.get("deadline"),
            canonical(p),
            int(entry["training"]),
            now,
            now,
        ],
    )
    for sha in blobs:  # the receiver may now fetch the evidence that travels with the case
        conn.execute(
            "INSERT INTO blob_access (sha256, agency) VALUES (?, ?) ON CONFLICT DO NOTHING",
            [sha, to],
        )
    conn.execute(
        "INSERT INTO visibility (entry_id, agency) VALUES (?, ?) ON CONFLICT DO NOTHING",
        [entry["id"], to],
    )
    _inbox(conn, to, "transfer", tid, {**p, "from_agency": caller.agency, "status": "sent"})


def _step_transfer(
    conn: Connection, caller: Caller, op: str, p: dict[str, Any], blobs: list[str]
) -> None:
    tid = str(p.get("transfer_id", ""))
    row = conn.execute("SELECT * FROM transfers WHERE id = ?", [tid]).fetchone()
    if row is None or caller.agency not in (row["from_agency"], row["to_agency"]):
        raise Refused("平台上没有该移送记录。", f"transfer {tid!r} unknown to {caller.agency}")
    if op == "feedback" and p.get("result") not in machine.FEEDBACK_RESULTS:
        raise Refused("处理结果不在规定范围内。", f"result {p.get('result')!r}")
    illegal = machine.check_step(
        op, row["status"], actor=caller.agency, receiver=row["to_agency"], kind=row["kind"]
    )
    if illegal:
        raise Refused(illegal.message_zh, illegal.detail)
    status = machine.next_status(op)
    conn.execute(
        "UPDATE transfers SET status = ?, updated_at = ? WHERE id = ?", [status, now_iso(), tid]
    )
    for sha in blobs:  # the step's letter (回执, 退回函, 反馈函 …) goes to the sender too
        conn.execute(
            "INSERT INTO blob_access (sha256, agency) VALUES (?, ?) ON CONFLICT DO NOTHING",
            [sha, row["from_agency"]],
        )
    keep = ("receipt_number", "reason", "result", "fine", "note", "at", "document", "blobs")
    keep += ("basis", "decision_number", "decision_date", "executed")
    _inbox(
        conn,
        row["from_agency"],
        "transfer_status",
        tid,
        {
            "transfer_id": tid,
            "op": op,
            "status": status,
            "by_agency": caller.agency,
            **{k: p[k] for k in keep if k in p},
        },
    )


# Reading ------------------------------------------------------------------------------------------
def pull(conn: Connection, caller: Caller, cursor: int, limit: int) -> dict[str, Any]:
    rows = conn.execute(
        "SELECT cursor, kind, ref_id, payload, created_at FROM inbox"
        " WHERE agency = ? AND cursor > ? ORDER BY cursor LIMIT ?",
        [caller.agency, cursor, limit + 1],
    ).fetchall()
    items = [
        {
            "cursor": r["cursor"],
            "kind": r["kind"],
            "ref_id": r["ref_id"],
            "payload": json.loads(r["payload"]),
            "created_at": r["created_at"],
        }
        for r in rows[:limit]
    ]
    return {
        "items": items,
        "next_cursor": items[-1]["cursor"] if items else cursor,
        "more": len(rows) > limit,
    }


def get_transfer(conn: Connection, caller: Caller, tid: str) -> dict[str, Any] | None:
    row = conn.execute("SELECT * FROM transfers WHERE id = ?", [tid]).fetchone()
    if row is None or caller.agency not in (row["from_agency"], row["to_agency"]):
        return None  # "not there" and "not yours" look the same
    out = dict(row)
    out["payload"] = json.loads(out["payload"])
    out["training"] = bool(out["training"])
    return out


def reserve_block(conn: Connection, caller: Caller, body: dict[str, Any]) -> dict[str, Any]:
    """A serial block for one laptop; the same ``request_id`` always gets the same block."""
    request_id, doc_type = str(body.get("request_id", "")), str(body.get("doc_type", ""))
    year, size, min_first = body.get("year"), body.get("size", 100), body.get("min_first", 1)
    if (
        not request_id
        or not doc_type
        or not all(isinstance(v, int) for v in (year, size, min_first))
    ):
        raise Refused("文号段申请不完整。", f"bad block request {sorted(body)}")
    if not 1 <= size <= 10_000:
        raise Refused("文号段大小应在1到10000之间。", f"size {size}")
    with transaction(conn):
        row = conn.execute(
            "SELECT * FROM serial_blocks WHERE request_id = ?", [request_id]
        ).fetchone()
        if row is None:
            top = conn.execute(
                "SELECT max(last) FROM serial_blocks WHERE agency = ? AND doc_type = ? AND year = ?",
                [caller.agency, doc_type, year],
            ).fetchone()[0]
            first = max((top or 0) + 1, min_first)
            conn.execute(
                "INSERT INTO serial_blocks (request_id, agency, doc_type, year, first, last,"
                " token_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    request_id,
                    caller.agency,
                    doc_type,
                    year,
                    first,
                    first + size - 1,
                    caller.token_id,
                    now_iso(),
                ],
            )
            row = conn.execute(
                "SELECT * FROM serial_blocks WHERE request_id = ?", [request_id]
            ).fetchone()
        elif row["agency"] != caller.agency:
            raise Refused("文号段申请编号冲突。", "request id of another agency")
    return {k: row[k] for k in ("request_id", "agency", "doc_type", "year", "first", "last")}
