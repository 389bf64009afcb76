"""Rendering and issuing documents.

A document is issued in ONE transaction that takes the serial, stores the PDF's and the fonts'
SHA-256 in the documents row, appends the ledger entry and the outbox entry. The PDF itself is
written (temp name, fsync, rename) to ``<data_dir>/documents/<sha256>.pdf`` before the commit: a
crash before the commit leaves at most an orphan PDF, and the serial is taken again by the next
issue, so numbers are never skipped nor reused. The PDF is rendered before the write lock is taken
with the serial the issue will most likely get; if another issuer took it meanwhile, the PDF is
rendered again inside the lock (always correct, usually fast).
"""

from __future__ import annotations

import copy
import io
import json
import logging
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from officer_app.domain.numbering import format_doc_number
from officer_app.domain.people import Agency
from officer_app.errors import ValidationError
from officer_app.fileio import write_bytes_atomic
from officer_app.media.hashing import sha256_bytes
from officer_app.services import cases, catalogue, forms, numbering, record_fields, transfers
from officer_app.services.context import AppContext
from officer_app.services.doc_context import field_text, lookup, today
from officer_app.services.document_records import (
    DRAFT_MARK,
    STATUS_ZH,
    DocumentIncompleteError,
    DocumentStateError,
    PrintError,
    _fault_point,
    _require_doc,
    context_for,
    get_document,
    issued_pdf_path,
    issuing_agency,
)
from officer_app.services.officers import require_officer
from officer_app.store import ledger
from officer_app.store.blobs import BlobStore
from officer_app.store.outbox import enqueue

if TYPE_CHECKING:
    from officer_app.documents.render import RenderResult

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]


def serial_series(
    agency: Agency, form: forms.Form, year: int, training: bool
) -> tuple[tuple[str, str, int], Callable[[int], str]]:
    """The serial key a document counts in (a training document in its own series) and how a
    serial of it prints: the one rule for issuing and for the 签发 dialog's preview."""
    series = numbering.series(form.doc_type, training=training)
    prefix = agency.short_name + form.doc_type
    return (agency.code, series, year), lambda serial: format_doc_number(
        prefix, year, serial, training=training
    )


def _picture_path(blobs: BlobStore, item: Mapping[str, Any]) -> str | None:
    """The file a letter prints as a picture: photos only (a recording is listed, not drawn)."""
    if item.get("kind", "photo") != "photo":
        return None
    return str(blobs.path_for(item["sha256"]))


def _evidence_items(
    ctx: AppContext, form: forms.Form, context: Mapping[str, Any], case_id: str | None
) -> list[dict[str, Any]]:
    if form.evidence == "none":
        return []
    items = [dict(e) for e in context.get("evidence", [])]
    blobs = BlobStore(ctx.data.evidence_dir)
    for item in items:
        item["path"] = _picture_path(blobs, item)
    return items


def _values_for(
    form: forms.Form, stored: Mapping[str, str], context: Mapping[str, Any]
) -> dict[str, str]:
    """The stored values; blank fields fall back to their source (e.g. the issue date)."""
    values = dict(stored)
    for f in form.fields:
        if not str(values.get(f["name"], "")).strip() and f.get("source"):
            values[f["name"]] = field_text(lookup(context, f["source"]))
    return forms.compose_values(form, values)


def _render_bytes(
    form_def: Mapping[str, Any],
    values: Mapping[str, str],
    *,
    number: str | None,
    evidence: list[dict[str, Any]],
    attach: bool,
    watermark: str | None,
    progress: Progress | None,
    font_path: Path | None = None,
    **layout: Any,
) -> tuple[bytes, RenderResult]:
    """``layout``: the renderer's layout keywords (``layout``, ``letterhead``, ``faces``,
    ``training``); a snapshot without them renders as layout 1."""
    # The PDF stack (reportlab, Pillow) loads only when something is rendered.
    from officer_app.documents.fonts import FontNotFoundError, MissingGlyphsError
    from officer_app.documents.render import EvidenceIntegrityError, FormValueError, render_document

    buf = io.BytesIO()
    try:
        result = render_document(
            form_def,
            values,
            number=number,
            evidence=evidence,
            out=buf,
            attach_photos=attach,
            watermark=watermark,
            progress=progress,
            font_path=font_path,
            **layout,
        )
    except MissingGlyphsError as exc:
        raise PrintError(str(exc), f"missing glyphs {exc.chars}") from exc
    except FontNotFoundError as exc:
        raise PrintError(str(exc), "font not found") from exc
    except EvidenceIntegrityError as exc:
        raise PrintError(str(exc), "evidence changed") from exc
    except FormValueError as exc:
        raise ValidationError(f"文书内容有误：{exc}", str(exc)) from exc
    except OSError as exc:
        raise PrintError(f"读取证据文件失败：{exc.strerror or exc}", str(exc)) from exc
    return buf.getvalue(), result


def _open_transfer(
    ctx: AppContext,
    doc: Mapping[str, Any],
    values: Mapping[str, str],
    evidence: list[dict[str, Any]],
    agency_code: str,
    officer_id: str,
) -> None:
    """The 移送函 opens the transfer to the receiving agency; a recorded case becomes 已移送."""
    if not doc["case_id"]:
        return
    transfers.on_case_transfer_issued(
        ctx,
        doc_id=doc["id"],
        case_id=doc["case_id"],
        number=doc["number"],
        values=dict(values),
        evidence=evidence,
        pdf_sha256=doc["pdf_sha256"],
        agency_code=agency_code,
        training=bool(doc["training"]),
        now=doc["issued_at"],
    )
    status = ctx.store.scalar("SELECT status FROM cases WHERE id = ?", [doc["case_id"]])
    if status == "recorded":
        cases.set_status(ctx, doc["case_id"], "transferred", officer_id=officer_id)


#: Side effects a form may declare in ``on_issue`` (names in forms.ISSUE_EFFECTS); each runs
#: inside the issuing transaction, so the document and its effect happen together or not at all.
ISSUE_EFFECTS: dict[str, Callable[..., None]] = {"open_transfer": _open_transfer}


def letter_layout(form: forms.Form, agency_name: str, training: bool) -> dict[str, Any]:
    """The renderer's layout keywords for a new document: the letter format, the agency's full
    name (as agencies.json spells it) as letterhead unless the form is a record, the faces
    configured on this machine."""
    from officer_app.documents.fonts import load_faces
    from officer_app.documents.render import LATEST_LAYOUT

    return {
        "layout": LATEST_LAYOUT,
        "letterhead": agency_name if form.format == "letter" else None,
        "faces": load_faces(),
        "training": training,
    }


def issue_document(
    ctx: AppContext,
    doc_id: str,
    *,
    progress: Progress | None = None,
    on_issued: Callable[[dict[str, Any]], None] | None = None,
) -> dict[str, Any]:
    """Number, render and store a draft for good. Refuses with the missing required fields.

    ``on_issued(document)`` runs inside the issuing transaction (a transfer step and its letter
    are one user action: both happen or neither)."""
    doc = _require_doc(ctx, doc_id)
    if doc["status"] != "draft":
        raise DocumentStateError(
            f"文书{STATUS_ZH[doc['status']]}（{doc['number'] or ''}），不能再次签发。",
            f"issue {doc['status']}",
        )
    form = forms.find_form(ctx, doc["form_id"])
    officer = require_officer(ctx)
    agency = issuing_agency(ctx)
    issued_on = today(ctx)
    context = context_for(
        ctx, form, doc["case_id"], doc["patrol_id"] if form.subject == "patrol" else None, issued_on
    )
    values = _values_for(form, json.loads(doc["fields"]), context)
    missing = forms.missing_fields(form, values)
    if missing:
        raise DocumentIncompleteError(missing)
    catalogue.require_verified(form.fields, values)  # no unconfirmed law printed as settled
    record_fields.require_issuable(form.definition, values)  # §42: two officers on a 笔录
    evidence = _evidence_items(ctx, form, context, doc["case_id"])
    attach = form.evidence == "attach"
    training = bool(doc["training"])
    key, number_of = serial_series(agency, form, issued_on.year, training)
    look = letter_layout(form, agency.name, training)

    def render(serial: int) -> tuple[str, bytes, RenderResult]:
        number = number_of(serial)
        data, result = _render_bytes(
            form.definition,
            values,
            number=number,
            evidence=evidence,
            attach=attach,
            watermark=None,
            progress=progress,
            **look,
        )
        return number, data, result

    guess = numbering.peek_serial(ctx.store, *key)
    number, data, result = render(guess)
    now = ctx.now_iso()
    with ctx.store.transaction() as db:
        serial = numbering.take_serial(ctx.store, *key, now=now)
        if serial != guess:
            log.info("serial %s taken meanwhile, re-rendering with %s", guess, serial)
            number, data, result = render(serial)
        path = issued_pdf_path(ctx, result.sha256)
        if not (path.is_file() and path.stat().st_size == len(data)):
            write_bytes_atomic(path, data, claim=True)
        _fault_point("issue_after_pdf")
        snapshot = {
            "form": form.definition,
            "form_sha256": form.sha256,
            "values": values,
            "number": number,
            "evidence": [{k: v for k, v in e.items() if k != "path"} for e in evidence],
            "attach_photos": attach,
            "font_sha256": result.font_sha256,
            # layout 2 on: how to set it again (documents issued before carry none: layout 1)
            "layout": look["layout"],
            "letterhead": look["letterhead"],
            "training": training,
            "fonts": result.fonts,
        }
        db.table("documents").update(
            doc["id"],
            {
                "status": "issued",
                "number": number,
                "agency_code": agency.code,
                "doc_type": key[1],  # the series: 移, or 培训移 for training
                "year": issued_on.year,
                "serial": serial,
                "fields": json.dumps(values, ensure_ascii=False, sort_keys=True),
                "pdf_sha256": result.sha256,
                "font_sha256": result.font_sha256,
                "content_sha256": result.content_sha256,
                "pages": result.pages,
                "render_input": json.dumps(snapshot, ensure_ascii=False, sort_keys=True),
                "issued_at": now,
                "updated_at": now,
            },
        )
        if doc["supersedes_id"]:
            ctx.store.execute(
                "UPDATE documents SET status = 'superseded', updated_at = ? WHERE id = ?",
                [now, doc["supersedes_id"]],
            )
        entry = {
            "form_id": form.id,
            "number": number,
            "case_id": doc["case_id"],
            "patrol_id": doc["patrol_id"],
            "version": doc["version"],
            "supersedes_id": doc["supersedes_id"],
            "pdf_sha256": result.sha256,
            "font_sha256": result.font_sha256,
            "content_sha256": result.content_sha256,
            "form_sha256": form.sha256,
            "evidence_sha256": [e["sha256"] for e in evidence],
        }
        ledger.append(ctx.store, "document_issued", doc["id"], entry, officer_id=officer.id)
        enqueue(
            ctx.store,
            "document",
            doc["id"],
            "issue",
            {**entry, "id": doc["id"], "fields": values, "issued_at": now},
            training=bool(doc["training"]),
        )
        issued_doc = {**doc, "number": number, "pdf_sha256": result.sha256, "issued_at": now}
        for effect in form.on_issue:  # declared by the form (forms/README.md: on_issue)
            ISSUE_EFFECTS[effect](ctx, issued_doc, values, evidence, agency.code, officer.id)
        if on_issued is not None:
            on_issued({**entry, "id": doc["id"], "title": form.title, "fields": values,
                       "issued_at": now, "agency": agency.code})  # fmt: skip
    issued = get_document(ctx, doc["id"])
    issued["path"] = str(path)
    return issued


def render_to(
    ctx: AppContext, doc_id: str, out: Path | io.BufferedIOBase, *, progress: Progress | None = None
) -> dict[str, Any]:
    """Write a document's PDF: an issued one byte-identical to its recorded hash, a draft with a
    草稿 mark and no number. Returns ``{"sha256", "pages", "status", "number"}``."""
    doc = _require_doc(ctx, doc_id)
    if doc["status"] in ("issued", "superseded"):
        data = _issued_bytes(ctx, doc, progress)
        pages = doc["pages"]
    else:
        form = forms.find_form(ctx, doc["form_id"])
        context = context_for(
            ctx, form, doc["case_id"], doc["patrol_id"] if form.subject == "patrol" else None
        )
        values = _values_for(form, json.loads(doc["fields"]), context)
        relaxed = copy.deepcopy(form.definition)
        for f in relaxed["fields"]:
            f["required"] = False  # a draft prints with its gaps, for review
        data, result = _render_bytes(
            relaxed,
            values,
            number=None,
            evidence=_evidence_items(ctx, form, context, None),
            attach=form.evidence == "attach",
            watermark=DRAFT_MARK,
            progress=progress,
            **letter_layout(form, issuing_agency(ctx).name, bool(doc["training"])),
        )
        pages = result.pages
    if isinstance(out, str | os.PathLike):
        write_bytes_atomic(Path(out), data)
    else:
        out.write(data)
    return {
        "id": doc["id"],
        "sha256": sha256_bytes(data),
        "pages": pages,
        "status": doc["status"],
        "number": doc["number"],
    }


def _issued_bytes(ctx: AppContext, doc: dict[str, Any], progress: Progress | None) -> bytes:
    """The stored PDF if intact, else re-rendered from the issue snapshot and checked."""
    path = issued_pdf_path(ctx, doc["pdf_sha256"])
    if path.is_file():
        data = path.read_bytes()
        if sha256_bytes(data) == doc["pdf_sha256"]:
            return data
        log.warning("stored PDF %s does not match its hash; re-rendering", path)
    snap = json.loads(doc["render_input"])
    from officer_app.documents.fonts import FontNotFoundError, load_faces_by_sha

    layout = int(snap.get("layout", 1))  # snapshots from before the letter format: layout 1
    wanted = (
        {role: f["sha256"] for role, f in snap["fonts"].items()}
        if layout >= 2
        else {"body": snap["font_sha256"]}
    )
    try:  # the very files it was issued with (bundled, retired or the deployment's)
        faces = load_faces_by_sha(wanted)
    except FontNotFoundError as exc:
        raise PrintError(
            "已签发文书的存档PDF缺失，且本机没有签发时使用的字体，无法重现原件。请从备份恢复或安装签发时的字体。",
            f"no font with sha256 {wanted}: {exc}",
        ) from exc
    blobs = BlobStore(ctx.data.evidence_dir)
    evidence = [{**e, "path": _picture_path(blobs, e)} for e in snap["evidence"]]
    if layout >= 2:
        look: dict[str, Any] = {
            "layout": layout,
            "letterhead": snap.get("letterhead"),
            "faces": faces,
            "training": bool(snap.get("training")),
        }
        font_path = None
    else:
        look, font_path = {"layout": 1}, faces["body"].path
    data, result = _render_bytes(
        snap["form"],
        snap["values"],
        number=snap["number"],
        evidence=evidence,
        attach=snap["attach_photos"],
        watermark=None,
        progress=progress,
        font_path=font_path,
        **look,
    )
    if result.sha256 != doc["pdf_sha256"]:
        raise PrintError(
            "重新生成的PDF与签发时记录的SHA-256不一致，不能作为原件打印。",
            f"re-render {result.sha256} != {doc['pdf_sha256']}",
        )
    write_bytes_atomic(path, data, claim=True)
    return data
