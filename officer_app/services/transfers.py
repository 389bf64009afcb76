"""案件移送 on the laptop: created when a 案件移送函 is issued, received by pull, answered here.

Issuing a transfer letter to another agency creates one ``transfers`` row and its outbox entry in
the issuing transaction, so the transfer and the numbered letter exist together or not at all. The
entry carries a snapshot of the case, its evidence metadata and the SHA-256 of every file that
travels with it (photos and the letter's PDF); sync uploads those before the entry. Accepting an
incoming transfer registers the case here and issues the 案件移送回执 through the documents service.
The same state machine (``domain/transfer.py``) is enforced here and on the platform.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from pathlib import Path
from typing import Any

from officer_app.domain import transfer as machine
from officer_app.domain.deadlines import RECEIPT
from officer_app.errors import NotFoundError, StateError
from officer_app.media.hashing import copy_file_and_hash
from officer_app.services import custody, gps_logs, recording_path
from officer_app.services.calendars import deadline
from officer_app.services.context import AppContext
from officer_app.services.doc_context import today
from officer_app.services.officers import require_officer
from officer_app.store import ledger
from officer_app.store.blobs import BlobStore
from officer_app.store.outbox import enqueue

CASE_COLUMNS = (
    "violation_code",
    "taken_at",
    "place",
    "lat",
    "lon",
    "datum",
    "jurisdiction_code",
    "description",
)
EVIDENCE_COLUMNS = (
    "kind",
    "duration_s",
    "codec",
    "sha256",
    "original_name",
    "size",
    "format",
    "evidence_type",
    "taken_at",
    "taken_at_utc",
    "taken_at_source",
    "lat",
    "lon",
    "datum",
    "position_source",
    "make",
    "model",
    "width",
    "height",
    "jurisdiction_code",
    "path_points",  # a moving recording's whole path travels with it (checked on receipt)
    "path_source",
)
PARTY_COLUMNS = ("kind", "name", "id_number", "plate", "address", "phone", "details")


FEEDBACK_KEYS = ("result", "fine", "note", "decision_number", "decision_date", "executed", "basis")


def feedback_record(body: dict[str, Any]) -> dict[str, Any]:
    """What both ends keep of a feedback: result, fine and note, and the details given."""
    out = {k: body.get(k) for k in FEEDBACK_KEYS[:3]}
    out.update({k: body[k] for k in FEEDBACK_KEYS[3:] if body.get(k) not in (None, "")})
    return out


def sync_blobs_dir(ctx: AppContext) -> BlobStore:
    """Files pulled from the platform wait here until the officer accepts what they belong to."""
    return BlobStore(ctx.data.root / "sync" / "blobs")


def receipt_deadline(ctx: AppContext, start: dt.date | None = None) -> str:
    """The receipt due date the 移送函 prints: the one rule set (domain/deadlines.py)."""
    return deadline(start or today(ctx), RECEIPT).due.isoformat()


def _receiver_code(ctx: AppContext, name: str, own: str) -> str | None:
    code = ctx.store.scalar(
        "SELECT code FROM agencies WHERE name = ? ORDER BY length(code), code LIMIT 1",
        [name.strip()],
    )
    if code is None or str(code).split("-")[0] == own.split("-")[0]:
        return None
    return str(code)


def on_case_transfer_issued(
    ctx: AppContext,
    *,
    doc_id: str,
    case_id: str,
    number: str,
    values: dict[str, str],
    evidence: list[dict[str, Any]],
    pdf_sha256: str,
    agency_code: str,
    training: bool,
    now: str,
) -> str | None:
    """Called by ``issue_document`` inside its transaction; ``None`` when no agency is addressed
    (a judicial organ is not routed through the platform yet)."""
    to = _receiver_code(ctx, values.get("receiving_agency", ""), agency_code)
    if to is None:
        return None
    letter = {"id": doc_id, "number": number, "form_id": "case_transfer", "fields": values}
    letter.update(pdf_sha256=pdf_sha256, issued_at=now, agency=agency_code)
    letter["title"] = ctx.store.scalar("SELECT title FROM documents WHERE id = ?", [doc_id])
    due = values.get("receipt_due") or receipt_deadline(ctx)  # as printed, if the form prints it
    shas = [e["sha256"] for e in evidence]
    return send_transfer(ctx, "case", to, case_id, letter, shas, due, training)


def send_transfer(
    ctx: AppContext,
    kind: str,
    to: str,
    case_id: str,
    letter: dict[str, Any],
    shas: list[str],
    due: str,
    training: bool,
) -> str:
    """One outgoing transfer of ``kind`` (案件移送 or 联合查处) with the case's snapshot, inside
    the transaction that issued ``letter``; its outbox entry carries the files to upload."""
    doc_id, number, pdf_sha256, now = (
        letter[k] for k in ("id", "number", "pdf_sha256", "issued_at")
    )
    values, agency_code = letter["fields"], letter["agency"]
    case = ctx.store.query(f"SELECT {', '.join(CASE_COLUMNS)} FROM cases WHERE id = ?", [case_id])[
        0
    ]
    parties = ctx.store.query(
        f"SELECT {', '.join(PARTY_COLUMNS)} FROM parties WHERE case_id = ? ORDER BY rowid",
        [case_id],
    )
    vehicles = ctx.store.query(
        "SELECT plate, description, details FROM case_vehicles WHERE case_id = ? ORDER BY rowid",
        [case_id],
    )
    ev_rows = []
    for sha in shas:
        ev_rows += ctx.store.query(
            f"SELECT {', '.join(EVIDENCE_COLUMNS)} FROM evidence WHERE sha256 = ?", [sha]
        )
    logs = gps_logs.attach_to_transfer(ctx.store, ev_rows)  # recordings' GPS logs travel too
    tid = str(uuid.uuid4())
    payload = {
        "id": tid,
        "kind": kind,
        "from_agency": agency_code,
        "to_agency": to,
        "document_id": doc_id,
        "document_number": number,
        "fields": values,
        "case": {"id": case_id, **case},
        "parties": parties,
        "vehicles": vehicles,
        "evidence": ev_rows,
        "pdf_sha256": pdf_sha256,
        "document": document_ref(letter),
        "blobs": sorted(set(shas) | set(logs) | {pdf_sha256}),
        "deadline": due,
        "sent_at": now,
        "custody": custody.sender_custody(ctx, shas),
    }
    ctx.store.execute(
        "INSERT INTO transfers (id, kind, direction, status, document_id, document_number, case_id,"
        " other_agency, deadline, payload, training, created_at, updated_at)"
        " VALUES (?, ?, 'out', 'sent', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            tid,
            kind,
            doc_id,
            number,
            case_id,
            to,
            due,
            json.dumps(payload, ensure_ascii=False),
            int(training),
            now,
            now,
        ],
    )
    enqueue(ctx.store, "transfer", tid, "send", payload, training=training)
    record_document(ctx, tid, "send", payload["document"], "ours")
    return tid


# Reading ------------------------------------------------------------------------------------------
def _agency_ref(ctx: AppContext, code: str) -> dict[str, str]:
    name = ctx.store.scalar("SELECT name FROM agencies WHERE code = ?", [code])
    return {"code": code, "name": name or code}


def _public(ctx: AppContext, row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "kind": row["kind"],
        "direction": row["direction"],
        "kind_zh": machine.KIND_ZH.get(row["kind"], row["kind"]),
        "status": row["status"],
        "status_zh": machine.status_zh(row["kind"], row["status"]),
        "document_number": row["document_number"],
        "other_agency": _agency_ref(ctx, row["other_agency"]),
        "deadline": row["deadline"],
        "case_id": row["case_id"],
        "receipt_number": row["receipt_number"],
        "return_reason": row["return_reason"],
        "feedback": json.loads(row["feedback"]) if row["feedback"] else None,
        "training": bool(row["training"]),
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
        "documents": transfer_documents(ctx, row["id"]),
    }


def transfer_documents(ctx: AppContext, tid: str) -> list[dict[str, Any]]:
    """The numbered letters of a transfer, ours and received, in the order they were issued."""
    rows = ctx.store.query(
        "SELECT number, step, form_id, title, agency, document_id, pdf_sha256, issued_at, origin"
        " FROM transfer_documents WHERE transfer_id = ? ORDER BY"
        " CASE step WHEN 'send' THEN 0 WHEN 'feedback' THEN 2 ELSE 1 END, issued_at, number",
        [tid],
    )
    return rows


def record_document(ctx: AppContext, tid: str, step: str, doc: dict[str, Any], origin: str) -> None:
    """Keep one letter of a transfer (inside the caller's transaction); a repeat is ignored."""
    ctx.store.execute(
        "INSERT OR IGNORE INTO transfer_documents (transfer_id, number, step, form_id, title,"
        " agency, document_id, pdf_sha256, fields, issued_at, origin, recorded_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            tid,
            doc["number"],
            step,
            doc.get("form_id", ""),
            doc.get("title", ""),
            doc.get("agency", ""),
            doc.get("id", ""),
            doc.get("pdf_sha256", ""),
            json.dumps(doc.get("fields") or {}, ensure_ascii=False, sort_keys=True),
            doc.get("issued_at"),
            origin,
            ctx.now_iso(),
        ],
    )


def document_ref(doc: dict[str, Any]) -> dict[str, Any]:
    """What travels of a letter (the PDF goes as a blob): number, title, hashes, values."""
    keys = ("id", "number", "title", "form_id", "pdf_sha256", "issued_at", "agency", "fields")
    return {k: doc.get(k) for k in keys}


def list_transfers(ctx: AppContext) -> list[dict[str, Any]]:
    rows = ctx.store.query("SELECT * FROM transfers ORDER BY created_at, id")
    return [_public(ctx, r) for r in rows]


def _require(ctx: AppContext, tid: str) -> dict[str, Any]:
    rows = ctx.store.query("SELECT * FROM transfers WHERE id = ?", [tid])
    if not rows and len(tid) >= 6:
        rows = ctx.store.query("SELECT * FROM transfers WHERE id LIKE ? || '%'", [tid])
    if len(rows) != 1:
        raise NotFoundError(f"未找到移送记录：{tid}", f"transfer {tid!r}")
    return rows[0]


def _check(ctx: AppContext, row: dict[str, Any], op: str) -> None:
    if row["direction"] != "in":
        raise StateError("这是本机关移出的案件，只有受移送机关可以办理该操作。", "outgoing")
    own = require_officer(ctx).agency_code.split("-")[0]
    illegal = machine.check_step(op, row["status"], actor=own, receiver=own, kind=row["kind"])
    if illegal:
        raise StateError(illegal.message_zh, illegal.detail)


# Answering ----------------------------------------------------------------------------------------
def _register_case(ctx: AppContext, row: dict[str, Any]) -> str:
    """The transferred case as a case of ours, its evidence copied in from the pulled files."""
    if row["case_id"]:
        return str(row["case_id"])
    payload = json.loads(row["payload"])
    officer = require_officer(ctx)
    pulled, evidence_store = sync_blobs_dir(ctx), BlobStore(ctx.data.evidence_dir)
    for ev in payload["evidence"]:
        if not pulled.has(ev["sha256"]):
            raise StateError(
                "移送的证据文件尚未下载完整，请先同步。", f"blob {ev['sha256']} absent"
            )
        if not evidence_store.has(ev["sha256"]):
            evidence_store.put_file(pulled.path_for(ev["sha256"]), ev["sha256"], copy_file_and_hash)
        gps_logs.take_in_from_transfer(ev, pulled, evidence_store)
    case_id, now, training = str(uuid.uuid4()), ctx.now_iso(), int(row["training"])
    with ctx.store.transaction() as db:
        ids = []
        for ev in payload["evidence"]:
            existing = ctx.store.scalar("SELECT id FROM evidence WHERE sha256 = ?", [ev["sha256"]])
            if existing is None:
                existing = str(uuid.uuid4())
                fields = {k: ev.get(k) for k in EVIDENCE_COLUMNS if ev.get(k) is not None}
                fields.update(recording_path.received(fields))
                db.table("evidence").insert(
                    {
                        **fields,
                        "id": existing,
                        "imported_by": officer.id,
                        "imported_at": now,
                        "device": f"移送:{row['document_number']}",
                        "training": training,
                    }
                )
                gps_logs.link_received(db, existing, ev)
            ids.append(existing)
        case = payload["case"]
        db.table("cases").insert(
            {
                **{k: case.get(k) for k in CASE_COLUMNS},
                "id": case_id,
                "status": "recorded",
                "training": training,
                "created_by": officer.id,
                "created_at": now,
                "updated_at": now,
            }
        )
        db.table("case_evidence").insert_all({"case_id": case_id, "evidence_id": e} for e in ids)
        parties = payload["parties"]  # a sender from before issue 14 may list vehicles here
        db.table("parties").insert_all(
            {
                **{k: p.get(k, "") for k in PARTY_COLUMNS},
                "id": str(uuid.uuid4()),
                "case_id": case_id,
            }
            for p in parties
            if p.get("kind") != "vehicle"
        )
        clues = payload.get("vehicles", []) + [
            {"plate": p["plate"], "description": p.get("name", ""), "details": p.get("details")}
            for p in parties
            if p.get("kind") == "vehicle" and p.get("plate")
        ]
        db.table("case_vehicles").insert_all(
            {
                "id": str(uuid.uuid4()),
                "case_id": case_id,
                "plate": v["plate"],
                "description": v.get("description") or "",
                "details": v.get("details") or "{}",
            }
            for v in clues
        )
        ctx.store.execute(
            "UPDATE transfers SET case_id = ?, updated_at = ? WHERE id = ?",
            [case_id, now, row["id"]],
        )
        ledger.append(
            ctx.store,
            "transfer_received",
            case_id,
            {"transfer_id": row["id"], "document_number": row["document_number"], "evidence": ids},
            officer_id=officer.id,
        )
        custody.record_received(ctx, row, payload, ids, officer.id)
    return case_id


def _step(
    ctx: AppContext, row: dict[str, Any], op: str, extra: dict[str, Any], columns: dict[str, Any]
) -> dict[str, Any]:
    officer = require_officer(ctx)
    now = ctx.now_iso()
    status = machine.next_status(op)
    with ctx.store.transaction():
        sets = ", ".join(f"{k} = ?" for k in columns)
        ctx.store.execute(
            f"UPDATE transfers SET status = ?, updated_at = ?{', ' + sets if sets else ''}"
            " WHERE id = ? AND status = ?",
            [status, now, *columns.values(), row["id"], row["status"]],
        )
        body = {"transfer_id": row["id"], "at": now, **extra}
        ledger.append(ctx.store, f"transfer_{op}", row["id"], body, officer_id=officer.id)
        enqueue(ctx.store, "transfer", row["id"], op, body, training=bool(row["training"]))
    return _public(ctx, _require(ctx, row["id"]))


# Pulled items -------------------------------------------------------------------------------------
def apply_pulled(ctx: AppContext, item: dict[str, Any]) -> None:
    """Apply one pulled item; runs inside the pull transaction (with the cursor update)."""
    kind, p, now = item["kind"], item["payload"], ctx.now_iso()
    if kind == "transfer":
        ctx.store.execute(
            "INSERT OR IGNORE INTO transfers (id, kind, direction, status, document_number,"
            " other_agency, deadline, payload, training, created_at, updated_at)"
            " VALUES (?, ?, 'in', 'sent', ?, ?, ?, ?, ?, ?, ?)",
            [
                p["id"],
                p.get("kind", "case"),
                p["document_number"],
                p["from_agency"],
                p.get("deadline"),
                json.dumps(p, ensure_ascii=False),
                int(bool(item.get("training"))),
                now,
                now,
            ],
        )
        sent = p.get("document") or {
            "id": p.get("document_id"),
            "number": p["document_number"],
            "title": "案件移送函",
            "form_id": "case_transfer",
            "pdf_sha256": p.get("pdf_sha256"),
            "issued_at": p.get("sent_at"),
            "fields": p.get("fields"),
        }
        record_document(ctx, p["id"], "send", {**sent, "agency": p["from_agency"]}, "received")
    elif kind == "transfer_status":
        feedback_json = None
        if p.get("op") == "feedback":
            feedback_json = json.dumps(feedback_record(p), ensure_ascii=False)
        if p.get("document"):
            letter = {**p["document"], "agency": p.get("by_agency", "")}
            record_document(ctx, p["transfer_id"], p.get("op", ""), letter, "received")
        _follow_on_case(ctx, p)
        ctx.store.execute(
            "UPDATE transfers SET status = ?, receipt_number = coalesce(?, receipt_number),"
            " return_reason = coalesce(?, return_reason), feedback = coalesce(?, feedback),"
            " updated_at = ? WHERE id = ? AND direction = 'out'",
            [
                p["status"],
                p.get("receipt_number"),
                p.get("reason"),
                feedback_json,
                now,
                p["transfer_id"],
            ],
        )


def _follow_on_case(ctx: AppContext, p: dict[str, Any]) -> None:
    """Our transferred case after the receiver answered: returned, it is ours to handle again;
    its result known, it is closed (已办结)."""
    from officer_app.services import cases

    row = ctx.store.query(
        "SELECT t.kind, c.id, c.status FROM transfers t JOIN cases c ON c.id = t.case_id"
        " WHERE t.id = ? AND t.direction = 'out'",
        [p["transfer_id"]],
    )
    if not row or row[0]["kind"] != "case":
        return
    status = {"return": "recorded", "feedback": "closed"}.get(str(p.get("op")))
    if status and row[0]["status"] == "transferred":
        cases.set_status(ctx, row[0]["id"], status)


def letter_path(ctx: AppContext, sha256: str) -> Path | None:
    """The PDF of a transfer's letter: issued here, or pulled from the platform."""
    for path in (
        ctx.data.root / "documents" / f"{sha256}.pdf",
        sync_blobs_dir(ctx).path_for(sha256),
    ):
        if path.is_file():
            return path
    return None
