"""Push: store outbox entries idempotently and route what they mean (transfers, joint patrols).

Every entry is checked on its own first (:mod:`validate`, outside any transaction), so a malformed
or forbidden entry is answered "rejected" alone and never takes the valid entries of its batch
down. The valid ones are applied in one transaction, each inside its own savepoint (so an entry
refused while routing is undone alone), and no result is reported before that transaction
committed: one commit (one fsync) per batch instead of one per entry, with the same guarantee.

Ids chosen by clients (entry ids, transfer ids, serial-block request ids) belong to the agency
that chose them: the same id pushed by another agency is another entry, so the answer never tells
whether some other agency used it. An entry id the caller pushed before with the same content is
acknowledged again (a retry after a lost receipt); with other content it is a conflict: the first
version stays, the second is kept beside it for review and the client is told, never silently
overwritten.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from officer_app.domain import transfer as machine
from officer_app.platform import validate
from officer_app.platform.auth import Caller, district
from officer_app.platform.db import Connection, now_iso, savepoint, transaction
from officer_app.platform.validate import Entry, Invalid


def canonical(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def as_dict(e: Entry) -> dict[str, Any]:
    return {
        "id": e.id,
        "entity": e.entity,
        "entity_id": e.entity_id,
        "op": e.op,
        "payload": e.payload,
        "training": e.training,
        "blobs": list(e.blobs),
    }


def content_sha256(e: Entry) -> str:
    """What makes two pushes of one id "the same": everything but transport details."""
    body = {
        "entity": e.entity,
        "entity_id": e.entity_id,
        "op": e.op,
        "payload": e.payload,
        "training": e.training,
        "blobs": list(e.blobs),
    }
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


def check(raw: Any, caller: Caller, training_platform: bool) -> Entry | dict[str, Any]:
    """The entry, checked for this caller and this platform; else its "rejected" result."""
    try:
        e = validate.entry(raw, caller.agency)
    except Invalid as exc:
        return _result(validate.echo_id(raw), "rejected", exc.message_zh, detail=exc.detail)
    if e.training and not training_platform:
        return _result(e.id, "rejected", "正式平台不接收培训（演示）数据。", detail="training data")
    if not e.training and training_platform:
        return _result(e.id, "rejected", "培训平台只接收培训（演示）数据。", detail="real data")
    return e


def push(
    conn: Connection, caller: Caller, entries: list[Any], *, training_platform: bool
) -> list[dict[str, Any]]:
    checked = [check(raw, caller, training_platform) for raw in entries]
    results = []
    with transaction(conn):
        for item in checked:
            results.append(item if isinstance(item, dict) else _store(conn, caller, item))
    return results


def _store(conn: Connection, caller: Caller, e: Entry) -> dict[str, Any]:
    digest = content_sha256(e)
    try:
        with savepoint(conn):  # inside push()'s transaction
            old = conn.execute(
                "SELECT content_sha256 FROM entries WHERE agency = ? AND id = ?",
                [caller.agency, e.id],
            ).fetchone()
            if old is not None:
                if old["content_sha256"] == digest:
                    return _result(e.id, "duplicate")
                conn.execute(
                    "INSERT INTO conflicts (entry_id, agency, content_sha256, payload, received_at)"
                    " VALUES (?, ?, ?, ?, ?)",
                    [e.id, caller.agency, digest, canonical(as_dict(e)), now_iso()],
                )
                return _result(
                    e.id,
                    "conflict",
                    "平台已有同一编号但内容不同的记录：平台保留原记录，本次内容已另存待核查。",
                )
            missing = [
                sha
                for sha in e.blobs
                if conn.execute(
                    "SELECT 1 FROM blob_access WHERE sha256 = ? AND agency = ?",
                    [sha, caller.agency],
                ).fetchone()
                is None
            ]
            if missing:
                return _result(e.id, "missing_blobs", "证据文件尚未上传完成。", missing=missing)
            _route(conn, caller, e)  # Refused rolls the whole entry back
            conn.execute(
                "INSERT INTO entries (id, agency, token_id, entity, entity_id, op, payload,"
                " content_sha256, training, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    e.id,
                    caller.agency,
                    caller.token_id,
                    e.entity,
                    e.entity_id,
                    e.op,
                    canonical(e.payload),
                    digest,
                    int(e.training),
                    now_iso(),
                ],
            )
            _visible(conn, caller, e, caller.agency)
    except Refused as exc:
        return _result(e.id, "rejected", exc.message_zh, detail=str(exc))
    return _result(e.id, "stored")


# Routing ------------------------------------------------------------------------------------------
def _inbox(conn: Connection, agency: str, kind: str, ref: str, payload: Any) -> None:
    conn.execute(
        "INSERT INTO inbox (agency, kind, ref_id, payload, created_at) VALUES (?, ?, ?, ?, ?)",
        [agency, kind, ref, canonical(payload), now_iso()],
    )


def _visible(conn: Connection, caller: Caller, e: Entry, agency: str) -> None:
    conn.execute(
        "INSERT INTO visibility (owner, entry_id, agency) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
        [caller.agency, e.id, agency],
    )


def _route(conn: Connection, caller: Caller, e: Entry) -> None:
    """What the entry means for other agencies; the fields they rely on are set here, from the
    caller, never from the payload (validate refused a payload naming another sender)."""
    if e.entity == "transfer" and e.op == "send":
        _send_transfer(conn, caller, e)
    elif e.entity == "transfer":
        _step_transfer(conn, caller, e)
    elif e.entity == "patrol" and e.op == "create":
        payload = {**e.payload, "from_agency": caller.agency}
        for code in sorted({district(c) for c in e.payload["agencies"]} - {caller.agency}):
            _visible(conn, caller, e, code)
            _inbox(conn, code, "patrol", e.entity_id, payload)


def _send_transfer(conn: Connection, caller: Caller, e: Entry) -> None:
    p = e.payload
    tid, to = p["id"], district(p["to_agency"])
    if conn.execute(
        "SELECT 1 FROM transfers WHERE from_agency = ? AND id = ?", [caller.agency, tid]
    ).fetchone():
        raise Refused("该移送编号已存在，平台未重复接收。", f"transfer {tid} exists")
    now = now_iso()
    conn.execute(
        "INSERT INTO transfers (id, kind, from_agency, to_agency, status, document_number,"
        " deadline, payload, training, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, 'sent', ?, ?, ?, ?, ?, ?)",
        [
            tid,
            p["kind"],
            caller.agency,
            to,
            p["document_number"],
            p.get("deadline"),
            canonical(p),
            int(e.training),
            now,
            now,
        ],
    )
    for sha in e.blobs:  # the receiver may now fetch the evidence that travels with the case
        conn.execute(
            "INSERT INTO blob_access (sha256, agency) VALUES (?, ?) ON CONFLICT DO NOTHING",
            [sha, to],
        )
    _visible(conn, caller, e, to)
    _inbox(conn, to, "transfer", tid, {**p, "from_agency": caller.agency, "status": "sent"})


def _party_row(conn: Connection, agency: str, tid: str) -> Any:
    """The transfer ``tid`` that ``agency`` sent or received (received first: a receiver answers
    transfers; the same id sent by two agencies is two transfers); ``None`` if there is none."""
    return conn.execute(
        "SELECT * FROM transfers WHERE id = ? AND (to_agency = ? OR from_agency = ?)"
        " ORDER BY CASE WHEN to_agency = ? THEN 0 ELSE 1 END, created_at LIMIT 1",
        [tid, agency, agency, agency],
    ).fetchone()


def _step_transfer(conn: Connection, caller: Caller, e: Entry) -> None:
    op, p = e.op, e.payload
    tid = p["transfer_id"]
    row = _party_row(conn, caller.agency, tid)
    if row is None:  # not there and not the caller's read the same
        raise Refused("平台上没有该移送记录。", "transfer unknown to the caller")
    illegal = machine.check_step(
        op, row["status"], actor=caller.agency, receiver=row["to_agency"], kind=row["kind"]
    )
    if illegal:
        raise Refused(illegal.message_zh, illegal.detail)
    status = machine.next_status(op)
    conn.execute(
        "UPDATE transfers SET status = ?, updated_at = ? WHERE from_agency = ? AND id = ?",
        [status, now_iso(), row["from_agency"], tid],
    )
    for sha in e.blobs:  # the step's letter (回执, 退回函, 反馈函 …) goes to the sender too
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
            **{k: p[k] for k in keep if k in p},
            "transfer_id": tid,
            "op": op,
            "status": status,
            "by_agency": caller.agency,
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
    if not validate.is_name(tid):
        return None  # no transfer has such an id
    row = _party_row(conn, caller.agency, tid)
    if row is None:
        return None  # "not there" and "not yours" look the same
    out = dict(row)
    out["payload"] = json.loads(out["payload"])
    out["training"] = bool(out["training"])
    return out


def reserve_block(conn: Connection, caller: Caller, ask: validate.BlockRequest) -> dict[str, Any]:
    """A serial block for one laptop; the same ``request_id`` always gets the same block (each
    agency's request ids are its own: another's never answers differently)."""
    select = "SELECT * FROM serial_blocks WHERE agency = ? AND request_id = ?"
    with transaction(conn):
        row = conn.execute(select, [caller.agency, ask.request_id]).fetchone()
        if row is None:
            top = conn.execute(
                "SELECT max(last) FROM serial_blocks WHERE agency = ? AND doc_type = ? AND year = ?",
                [caller.agency, ask.doc_type, ask.year],
            ).fetchone()[0]
            first = max((top or 0) + 1, ask.min_first)
            conn.execute(
                "INSERT INTO serial_blocks (request_id, agency, doc_type, year, first, last,"
                " token_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    ask.request_id,
                    caller.agency,
                    ask.doc_type,
                    ask.year,
                    first,
                    first + ask.size - 1,
                    caller.token_id,
                    now_iso(),
                ],
            )
            row = conn.execute(select, [caller.agency, ask.request_id]).fetchone()
    return {k: row[k] for k in ("request_id", "agency", "doc_type", "year", "first", "last")}
