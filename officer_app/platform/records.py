"""Push: store outbox entries idempotently and route what they mean (transfers, joint patrols).

Every entry is checked on its own first (:mod:`validate`, outside any transaction), so a malformed
or forbidden entry is answered "rejected" alone and never takes the valid entries of its batch
down. The valid ones are applied in one transaction, and no result is reported before that
transaction committed: one commit (one fsync) per batch instead of one per entry. Inside it the
batch costs a few statements, not several per entry: its locks (PostgreSQL, :mod:`db`), one
look-up of the ids already stored, one of the files already held, the few entries that write for
other agencies (a transfer, a step, a joint patrol) one by one in a savepoint each (so one refused
while routing is undone alone), and every other entry in one multi-row insert.

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
from officer_app.platform import stats_projection, validate
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
    """Store a batch in a few statements: locks, two look-ups, the routed entries one by one (a
    transfer, a joint patrol, a step: a handful per batch), the rest in one multi-row insert."""
    checked = [check(raw, caller, training_platform) for raw in entries]
    valid = [e for e in checked if isinstance(e, Entry)]
    locks = _lock_names(conn, caller, valid)
    with transaction(conn):
        conn.lock(locks)
        stored = _stored_digests(conn, caller, valid)
        held = _held(conn, caller, valid)
        batch = _Batch(caller)
        results = [
            item if isinstance(item, dict) else _store(conn, batch, item, stored, held)
            for item in checked
        ]
        batch.flush(conn)
    return results


def _lock_names(conn: Connection, caller: Caller, valid: list[Entry]) -> list[str]:
    """What this batch must hold (PostgreSQL; see :mod:`db`): each entry id, each transfer it
    sends, and the inbox of every agency it will write to, as far as known before it starts."""
    if conn.dialect != "postgresql":
        return []
    names = [f"entry:{caller.agency}:{e.id}" for e in valid]
    names += stats_projection.lock_names(valid)
    steps = []
    for e in valid:
        if e.entity == "transfer" and e.op == "send":
            names += [f"transfer:{caller.agency}:{e.payload['id']}"]
            names += [f"inbox:{district(e.payload['to_agency'])}"]
        elif e.entity == "transfer":
            steps.append(e.payload["transfer_id"])
        elif e.entity == "patrol" and e.op == "create":
            names += [f"inbox:{district(c)}" for c in e.payload["agencies"]]
    for tid in steps:  # the sender being answered (read before the transaction: never changes)
        row = _party_row(conn, caller.agency, tid)
        if row is not None:
            names += [f"transfer:{row['from_agency']}:{tid}", f"inbox:{row['from_agency']}"]
    return names


def _stored_digests(conn: Connection, caller: Caller, valid: list[Entry]) -> dict[str, str]:
    ids = sorted({e.id for e in valid})
    if not ids:
        return {}
    rows = conn.execute(
        f"SELECT id, content_sha256 FROM entries WHERE agency = ? AND id IN {conn.in_list(ids)}",
        [caller.agency, *ids],
    )
    return {r[0]: r[1] for r in rows}


def _held(conn: Connection, caller: Caller, valid: list[Entry]) -> set[str]:
    shas = sorted({sha for e in valid for sha in e.blobs})
    if not shas:
        return set()
    rows = conn.execute(
        f"SELECT sha256 FROM blob_access WHERE agency = ? AND sha256 IN {conn.in_list(shas)}",
        [caller.agency, *shas],
    )
    return {r[0] for r in rows}


class _Batch:
    """Rows of plain entries (nothing to route), inserted together at the end of the batch."""

    def __init__(self, caller: Caller) -> None:
        self.caller = caller
        self.entries: list[list[Any]] = []
        self.visible: list[list[Any]] = []
        self.conflicts: list[list[Any]] = []
        self.records: list[Entry] = []  # the stored patrol and case entries, for the statistics

    def add(self, e: Entry, digest: str, received: str) -> None:
        c = self.caller
        row = [e.id, c.agency, c.token_id, e.entity, e.entity_id, e.op, canonical(e.payload)]
        self.entries.append([*row, digest, int(e.training), received])
        self.visible.append([c.agency, e.id, c.agency])
        if e.entity in ("patrol", "case"):
            self.records.append(e)

    def flush(self, conn: Connection) -> None:
        conn.executemany(
            "INSERT INTO entries (id, agency, token_id, entity, entity_id, op, payload,"
            " content_sha256, training, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            self.entries,
        )
        conn.executemany(
            "INSERT INTO visibility (owner, entry_id, agency) VALUES (?, ?, ?)"
            " ON CONFLICT DO NOTHING",
            self.visible,
        )
        conn.executemany(
            "INSERT INTO conflicts (entry_id, agency, content_sha256, payload, received_at)"
            " VALUES (?, ?, ?, ?, ?)",
            self.conflicts,
        )
        if self.records:  # the statistics' projection, in the same transaction
            creates = sorted({e.id for e in self.records if e.op == "create"})
            seq = dict(
                conn.execute(
                    f"SELECT id, seq FROM entries WHERE agency = ? AND id IN {conn.in_list(creates)}",
                    [self.caller.agency, *creates],
                ).fetchall()
                if creates
                else []
            )
            stored = [(e, int(seq.get(e.id, 0))) for e in self.records]
            stats_projection.apply_records(conn, self.caller.agency, stored)


def _routed(e: Entry) -> bool:
    """Entries that write for other agencies too (stored one by one, each in a savepoint)."""
    return e.entity == "transfer" or (e.entity == "patrol" and e.op == "create")


def _store(
    conn: Connection, batch: _Batch, e: Entry, stored: dict[str, str], held: set[str]
) -> dict[str, Any]:
    """One entry's answer; ``stored`` (id → content digest) learns what this batch stores."""
    digest = content_sha256(e)
    old = stored.get(e.id)
    if old is not None:
        if old == digest:
            return _result(e.id, "duplicate")
        batch.conflicts.append(
            [e.id, batch.caller.agency, digest, canonical(as_dict(e)), now_iso()]
        )
        return _result(
            e.id,
            "conflict",
            "平台已有同一编号但内容不同的记录：平台保留原记录，本次内容已另存待核查。",
        )
    missing = [sha for sha in e.blobs if sha not in held]
    if missing:
        return _result(e.id, "missing_blobs", "证据文件尚未上传完成。", missing=missing)
    received = now_iso()
    if _routed(e):
        try:
            with savepoint(conn):  # inside push()'s transaction: a refusal undoes this entry alone
                _route(conn, batch.caller, e, received)
        except Refused as exc:
            return _result(e.id, "rejected", exc.message_zh, detail=str(exc))
    batch.add(e, digest, received)
    stored[e.id] = digest
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


def _route(conn: Connection, caller: Caller, e: Entry, received: str) -> None:
    """What the entry means for other agencies; the fields they rely on are set here, from the
    caller, never from the payload (validate refused a payload naming another sender)."""
    if e.entity == "transfer" and e.op == "send":
        _send_transfer(conn, caller, e)
    elif e.entity == "transfer":
        _step_transfer(conn, caller, e, received)
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
    row = {"id": tid, "kind": p["kind"], "from_agency": caller.agency, "to_agency": to}
    row |= {"training": e.training, "created_at": now, "status": "sent"}
    stats_projection.on_send(conn, {**row, "document_number": p["document_number"]}, p)
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


def _step_row(conn: Connection, agency: str, tid: str) -> Any:
    """:func:`_party_row`, held until the transaction ends: its status is read, then changed
    (the lock taken here when the batch could not know the sender beforehand)."""
    row = _party_row(conn, agency, tid)
    if row is not None and conn.dialect == "postgresql":
        conn.lock([f"transfer:{row['from_agency']}:{tid}", f"inbox:{row['from_agency']}"])
        row = conn.execute(
            "SELECT * FROM transfers WHERE from_agency = ? AND id = ?" + conn.for_update(),
            [row["from_agency"], tid],
        ).fetchone()
    return row


def _step_transfer(conn: Connection, caller: Caller, e: Entry, received: str) -> None:
    op, p = e.op, e.payload
    tid = p["transfer_id"]
    row = _step_row(conn, caller.agency, tid)
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
    stats_projection.on_step(conn, row, op, status, e, received)
    for sha in e.blobs:  # the step's letter (回执, 退回函, 反馈函 …) goes to the sender too
        conn.execute(
            "INSERT INTO blob_access (sha256, agency) VALUES (?, ?) ON CONFLICT DO NOTHING",
            [sha, row["from_agency"]],
        )
    keep: tuple[str, ...] = ("receipt_number", "reason", "result", "fine", "note", "at")
    keep += ("document", "blobs", "basis", "decision_number", "decision_date", "executed")
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
        conn.lock(
            [
                f"serial:{caller.agency}:{ask.doc_type}:{ask.year}",
                f"block:{caller.agency}:{ask.request_id}",
            ]
        )
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
