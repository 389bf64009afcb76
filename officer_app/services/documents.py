"""Documents: draft (editable) → issued (immutable, numbered, hashed) → superseded by a correction.

A document is issued in ONE transaction that takes the serial, stores the PDF's and the font's
SHA-256 in the documents row, appends the ledger entry and the outbox entry. The PDF itself is
written (temp name, fsync, rename) to ``<data_dir>/documents/<sha256>.pdf`` before the commit: a
crash before the commit leaves at most an orphan PDF, and the serial is taken again by the next
issue, so numbers are never skipped nor reused. The PDF is rendered before the write lock is taken
with the serial the issue will most likely get; if another issuer took it meanwhile, the PDF is
rendered again inside the lock (always correct, usually fast).

All functions take an :class:`AppContext` and return plain dicts, for the GUI and the CLI alike;
slow ones accept ``progress(done, total)``.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
import logging
import os
import uuid
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from officer_app.domain.numbering import format_doc_number
from officer_app.domain.people import Agency
from officer_app.errors import NotFoundError, UserFacingError, ValidationError
from officer_app.media.hashing import sha256_bytes
from officer_app.services import cases, catalogue, forms, numbering, transfers
from officer_app.services.context import AppContext
from officer_app.services.doc_context import (
    CST,
    build_context,
    deadline_warnings,
    division_agency,
    lookup,
    today,
)
from officer_app.services.officers import require_officer
from officer_app.store import ledger
from officer_app.store.atomic import write_bytes_atomic
from officer_app.store.blobs import BlobStore
from officer_app.sync.outbox import enqueue

if TYPE_CHECKING:
    from officer_app.documents.render import RenderResult

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
FAULT_ENV = "OFFICER_APP_FAULT"  # test hook: "issue_after_pdf" kills the process before commit
DRAFT_MARK = "草稿"
STATUS_ZH = {"draft": "草稿", "issued": "已签发", "superseded": "已被更正"}


class DocumentIncompleteError(ValidationError):
    """Required fields are blank: the officer gets their labels, the GUI their names."""

    code = "incomplete"

    def __init__(self, missing: list[dict[str, str]]) -> None:
        labels = "、".join(m["label"] for m in missing)
        super().__init__(
            f"不能签发，缺少必填项：{labels}", f"missing {[m['name'] for m in missing]}"
        )
        self.missing = missing


class DocumentStateError(ValidationError):
    code = "state"


class PrintError(UserFacingError):
    """The document cannot be printed as it is (a character the font lacks, a changed photo …)."""

    code = "print"


def _fault_point(name: str) -> None:
    """Simulate a power cut at ``name`` (tests only): SIGKILL leaves no chance to clean up."""
    from officer_app.faults import fault_point  # SIGKILL, or TerminateProcess on Windows

    fault_point(name)


def documents_dir(ctx: AppContext) -> Path:
    return ctx.data.root / "documents"


def issued_pdf_path(ctx: AppContext, sha256: str) -> Path:
    return documents_dir(ctx) / f"{sha256}.pdf"


def issuing_agency(ctx: AppContext) -> Agency:
    """The agency documents go out under: the current officer's district agency."""
    officer = require_officer(ctx)
    agency = division_agency(ctx, officer.agency_code)
    if agency is None:
        raise NotFoundError(
            f"未知的执法机关代码：{officer.agency_code}", f"agency {officer.agency_code!r}"
        )
    return agency


# Reading ------------------------------------------------------------------------------------------
_PUBLIC = (
    "id, form_id, title, case_id, patrol_id, status, number, version, supersedes_id, fields,"
    " pdf_sha256, font_sha256, content_sha256, pages, issued_at, agency_code, training,"
    " created_at, updated_at"
)


def _public(row: dict[str, Any]) -> dict[str, Any]:
    row = dict(row)
    row["fields"] = json.loads(row["fields"] or "{}")
    row["training"] = bool(row["training"])
    row["status_zh"] = STATUS_ZH.get(row["status"], row["status"])
    return row


def _require_doc(ctx: AppContext, doc_id: str) -> dict[str, Any]:
    rows = ctx.store.query(f"SELECT {_PUBLIC}, render_input FROM documents WHERE id = ?", [doc_id])
    if not rows and len(doc_id) >= 6:
        rows = ctx.store.query(
            f"SELECT {_PUBLIC}, render_input FROM documents WHERE id LIKE ? || '%'", [doc_id]
        )
    if len(rows) != 1:
        raise NotFoundError(f"未找到文书：{doc_id}", f"document {doc_id!r} not found")
    return rows[0]


def get_document(ctx: AppContext, doc_id: str) -> dict[str, Any]:
    row = _require_doc(ctx, doc_id)
    row.pop("render_input")
    doc = _public(row)
    doc["deadline_warnings"] = []
    try:
        form = forms.find_form(ctx, doc["form_id"])
        doc["missing"] = (
            forms.missing_fields(form, doc["fields"], draft=True)
            if doc["status"] == "draft"
            else []
        )
        issued = doc["issued_at"] and dt.datetime.fromisoformat(doc["issued_at"]).astimezone(CST)
        doc["deadline_warnings"] = deadline_warnings(
            form.fields, issued.date() if issued else today(ctx)
        )
    except NotFoundError:
        doc["missing"] = []
    doc["superseded_by"] = ctx.store.scalar(
        "SELECT id FROM documents WHERE supersedes_id = ? ORDER BY version DESC LIMIT 1",
        [doc["id"]],
    )
    return doc


def list_documents(
    ctx: AppContext, *, case_id: str | None = None, status: str | None = None
) -> list[dict[str, Any]]:
    clauses, params = [], []
    if case_id:
        clauses.append("case_id = ?")
        params.append(cases.resolve_case_id(ctx, case_id))
    if status:
        clauses.append("status = ?")
        params.append(status)
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    rows = ctx.store.query(
        f"SELECT {_PUBLIC} FROM documents {where} ORDER BY created_at, id", params
    )
    out = []
    for r in rows:
        doc = _public(r)
        doc.pop("fields")
        out.append(doc)
    return out


def document_fields(ctx: AppContext, doc_id: str) -> list[dict[str, Any]]:
    """The form's fields with their current values, for an edit dialog."""
    doc = get_document(ctx, doc_id)
    form = forms.find_form(ctx, doc["form_id"])
    missing = {m["name"] for m in forms.missing_fields(form, doc["fields"], draft=True)}
    return [
        {
            "name": f["name"],
            "label": f.get("label", f["name"]),
            "kind": f.get("kind", "text"),
            "required": bool(f.get("required")),
            "options": list(f.get("options", [])),
            "value": doc["fields"].get(f["name"], ""),
            "missing": f["name"] in missing,
            "filled_at_issue": forms.filled_at_issue(f),
            "composed": bool(f.get("compose")),  # blank: the form's wording for the choice made
        }
        for f in form.fields
    ]


# Drafting -----------------------------------------------------------------------------------------
def _context_for(
    ctx: AppContext,
    form: forms.Form,
    case_id: str | None,
    patrol_id: str | None,
    issued_on: dt.date | None = None,
) -> dict[str, Any]:
    return build_context(
        ctx,
        officer=require_officer(ctx),
        case_id=case_id,
        patrol_id=patrol_id,
        refers_to=form.definition.get("refers_to"),
        issued_on=issued_on,
    )


def _prefill(form: forms.Form, context: Mapping[str, Any]) -> dict[str, str]:
    values: dict[str, str] = {}
    for f in form.fields:
        issue_time = forms.filled_at_issue(f)  # left blank: filled when issued
        raw = lookup(context, f["source"]) if f.get("source") and not issue_time else None
        if raw is None or raw == "":
            raw = f.get("default")
        values[f["name"]] = "" if raw is None else str(raw)
    return values


def new_document(
    ctx: AppContext, form_key: str, *, case_id: str | None = None, patrol_id: str | None = None
) -> dict[str, Any]:
    """A new draft of ``form_key`` (id or exact title), its fields pre-filled from the case."""
    form = forms.find_form(ctx, form_key)
    officer = require_officer(ctx)
    training = False
    if case_id:
        case_row = ctx.store.query(
            "SELECT id, patrol_id, training FROM cases WHERE id = ?",
            [cases.resolve_case_id(ctx, case_id)],
        )[0]
        case_id, training = case_row["id"], bool(case_row["training"])
        patrol_id = patrol_id or case_row["patrol_id"]
    elif patrol_id:
        rows = ctx.store.query("SELECT id, training FROM patrols WHERE id = ?", [patrol_id])
        if not rows:
            raise NotFoundError(f"未找到巡查：{patrol_id}", f"patrol {patrol_id!r}")
        training = bool(rows[0]["training"])
    if form.subject == "case" and not case_id:
        raise ValidationError(f"“{form.title}”须针对一个案件起草，请指定案件。", "case required")
    if form.subject == "patrol" and not patrol_id:
        raise ValidationError(f"“{form.title}”须针对一次巡查起草，请指定巡查或案件。", "patrol req")
    context = _context_for(ctx, form, case_id, patrol_id if form.subject == "patrol" else None)
    if form.subject == "patrol":
        context = {
            **context,
            "patrol": build_context(ctx, officer=officer, patrol_id=patrol_id)["patrol"],
        }
    values = _prefill(form, context)
    return _insert_draft(ctx, form, case_id, patrol_id, values, training, officer.id)


def _insert_draft(
    ctx: AppContext,
    form: forms.Form,
    case_id: str | None,
    patrol_id: str | None,
    values: dict[str, str],
    training: bool,
    officer_id: str,
    *,
    version: int = 1,
    supersedes: str | None = None,
) -> dict[str, Any]:
    doc_id = str(uuid.uuid4())
    now = ctx.now_iso()
    with ctx.store.transaction() as db:
        db["documents"].insert(
            {
                "id": doc_id,
                "form_id": form.id,
                "title": form.title,
                "case_id": case_id,
                "patrol_id": patrol_id,
                "status": "draft",
                "version": version,
                "supersedes_id": supersedes,
                "fields": json.dumps(values, ensure_ascii=False, sort_keys=True),
                "training": int(training),
                "created_by": officer_id,
                "created_at": now,
                "updated_at": now,
            }
        )
        ledger.append(
            ctx.store,
            "document_drafted",
            doc_id,
            {
                "form_id": form.id,
                "case_id": case_id,
                "patrol_id": patrol_id,
                "version": version,
                "supersedes_id": supersedes,
            },
            officer_id=officer_id,
        )
    return get_document(ctx, doc_id)


def set_fields(ctx: AppContext, doc_id: str, updates: Mapping[str, str]) -> dict[str, Any]:
    """Change draft fields; each value is checked (choice, date, ID numbers, glyphs) before saving.

    Returns the document with ``warnings`` (accepted with a caution, e.g. an early USCC).
    """
    doc = _require_doc(ctx, doc_id)
    if doc["status"] != "draft":
        raise DocumentStateError(
            f"文书{STATUS_ZH[doc['status']]}，不能修改；如需更正请生成更正版本。",
            f"document {doc['id']} is {doc['status']}",
        )
    form = forms.find_form(ctx, doc["form_id"])
    warnings = []
    for name, value in updates.items():
        field = form.field(name)
        if field is None:
            by_label = [f for f in form.fields if f.get("label") == name]
            if len(by_label) != 1:
                known = "、".join(f"{f['name']}（{f.get('label', '')}）" for f in form.fields)
                raise ValidationError(
                    f"“{form.title}”没有“{name}”这一项。可填写：{known}", f"no field {name!r}"
                )
            field = by_label[0]
        warning = forms.check_value(field, value)
        if warning:
            warnings.append(warning)
    renamed = {}
    for name, value in updates.items():
        field = form.field(name) or next(f for f in form.fields if f.get("label") == name)
        renamed[field["name"]] = value.strip()
    _check_glyphs("".join(renamed.values()))
    fields = {**json.loads(doc["fields"]), **renamed}
    with ctx.store.transaction() as db:
        db["documents"].update(
            doc["id"],
            {
                "fields": json.dumps(fields, ensure_ascii=False, sort_keys=True),
                "updated_at": ctx.now_iso(),
            },
        )
    result = get_document(ctx, doc["id"])
    result["warnings"] = warnings
    return result


def _check_glyphs(text: str) -> None:
    from officer_app.documents.fonts import FontNotFoundError, MissingGlyphsError, load_font
    from officer_app.documents.fonts import missing_glyphs as font_missing_glyphs

    try:
        font = load_font()
    except FontNotFoundError as exc:
        raise PrintError(str(exc), "font not found") from exc
    lacking = font_missing_glyphs(text, font)
    if lacking:
        raise PrintError(str(MissingGlyphsError(lacking)), f"missing glyphs {lacking}")


def correct_document(ctx: AppContext, doc_id: str) -> dict[str, Any]:
    """A new draft version of an issued document; the old one is superseded when it is issued."""
    doc = _require_doc(ctx, doc_id)
    if doc["status"] != "issued":
        raise DocumentStateError(
            f"只有已签发的文书可以更正（该文书状态：{STATUS_ZH[doc['status']]}）。",
            f"correct {doc['status']}",
        )
    pending = ctx.store.scalar(
        "SELECT id FROM documents WHERE supersedes_id = ? AND status = 'draft'", [doc["id"]]
    )
    if pending:
        raise DocumentStateError(f"该文书已有更正草稿：{pending}", f"pending correction {pending}")
    form = forms.find_form(ctx, doc["form_id"])
    values = json.loads(doc["fields"])
    for f in form.fields:  # the dates of the new version run from the day it is issued
        if forms.filled_at_issue(f):
            values[f["name"]] = ""
    officer = require_officer(ctx)
    return _insert_draft(
        ctx,
        form,
        doc["case_id"],
        doc["patrol_id"],
        values,
        bool(doc["training"]),
        officer.id,
        version=doc["version"] + 1,
        supersedes=doc["id"],
    )


# Rendering and issuing ----------------------------------------------------------------------------
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


def _picture_path(blobs: BlobStore, item: Mapping[str, Any]) -> str | None:
    """The file a letter prints as a picture: photos only (a recording is listed, not drawn)."""
    if item.get("kind", "photo") != "photo":
        return None
    return str(blobs.path_for(item["sha256"]))


def _values_for(
    form: forms.Form, stored: Mapping[str, str], context: Mapping[str, Any]
) -> dict[str, str]:
    """The stored values; blank fields fall back to their source (e.g. the issue date)."""
    values = dict(stored)
    for f in form.fields:
        if not str(values.get(f["name"], "")).strip() and f.get("source"):
            raw = lookup(context, f["source"])
            values[f["name"]] = "" if raw is None else str(raw)
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
) -> tuple[bytes, RenderResult]:
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
    context = _context_for(
        ctx, form, doc["case_id"], doc["patrol_id"] if form.subject == "patrol" else None, issued_on
    )
    values = _values_for(form, json.loads(doc["fields"]), context)
    missing = forms.missing_fields(form, values)
    if missing:
        raise DocumentIncompleteError(missing)
    catalogue.require_verified(form.fields, values)  # no unconfirmed law printed as settled
    evidence = _evidence_items(ctx, form, context, doc["case_id"])
    attach = form.evidence == "attach"
    key = (agency.code, form.doc_type, issued_on.year)
    prefix = agency.short_name + form.doc_type

    def render(serial: int) -> tuple[str, bytes, RenderResult]:
        number = format_doc_number(prefix, issued_on.year, serial)
        data, result = _render_bytes(
            form.definition,
            values,
            number=number,
            evidence=evidence,
            attach=attach,
            watermark=None,
            progress=progress,
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
        }
        db["documents"].update(
            doc["id"],
            {
                "status": "issued",
                "number": number,
                "agency_code": agency.code,
                "doc_type": form.doc_type,
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
        if form.id == "case_transfer" and doc["case_id"]:
            transfers.on_case_transfer_issued(
                ctx,
                doc_id=doc["id"],
                case_id=doc["case_id"],
                number=number,
                values=values,
                evidence=evidence,
                pdf_sha256=result.sha256,
                agency_code=agency.code,
                training=bool(doc["training"]),
                now=now,
            )
            status = ctx.store.scalar("SELECT status FROM cases WHERE id = ?", [doc["case_id"]])
            if status == "recorded":
                cases.set_status(ctx, doc["case_id"], "transferred", officer_id=officer.id)
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
        context = _context_for(
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

    try:  # the very file it was issued with (bundled, retired or the deployment's)
        face = load_faces_by_sha({"body": snap["font_sha256"]})["body"]
    except FontNotFoundError as exc:
        raise PrintError(
            "已签发文书的存档PDF缺失，且本机没有签发时使用的字体，无法重现原件。请从备份恢复或安装签发时的字体。",
            f"no font with sha256 {snap['font_sha256']}: {exc}",
        ) from exc
    blobs = BlobStore(ctx.data.evidence_dir)
    evidence = [{**e, "path": _picture_path(blobs, e)} for e in snap["evidence"]]
    data, result = _render_bytes(
        snap["form"],
        snap["values"],
        number=snap["number"],
        evidence=evidence,
        attach=snap["attach_photos"],
        watermark=None,
        progress=progress,
        font_path=face.path,
    )
    if result.sha256 != doc["pdf_sha256"]:
        raise PrintError(
            "重新生成的PDF与签发时记录的SHA-256不一致，不能作为原件打印。",
            f"re-render {result.sha256} != {doc['pdf_sha256']}",
        )
    write_bytes_atomic(path, data, claim=True)
    return data
