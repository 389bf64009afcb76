"""Documents: draft (editable) → issued (immutable, numbered, hashed) → superseded by a correction.

This module drafts and lists; issuing and rendering live in :mod:`document_issue`, the stored row
and the shared errors in :mod:`document_records`. All three are re-exported here, so callers keep
one entry point. All functions take an :class:`AppContext` and return plain dicts, for the GUI and
the CLI alike; slow ones accept ``progress(done, total)``.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from typing import Any

from officer_app.errors import NotFoundError, ValidationError
from officer_app.services import cases, forms, record_fields
from officer_app.services.context import AppContext
from officer_app.services.doc_context import build_context, field_text, lookup
from officer_app.services.document_issue import issue_document, render_to
from officer_app.services.document_records import (
    _PUBLIC,
    DRAFT_MARK,
    FAULT_ENV,
    STATUS_ZH,
    DocumentIncompleteError,
    DocumentStateError,
    PrintError,
    _public,
    _require_doc,
    context_for,
    documents_dir,
    get_document,
    issued_pdf_path,
    issuing_agency,
)
from officer_app.services.officers import require_officer
from officer_app.store import ledger

__all__ = [
    "DRAFT_MARK",
    "FAULT_ENV",
    "STATUS_ZH",
    "DocumentIncompleteError",
    "DocumentStateError",
    "PrintError",
    "correct_document",
    "document_fields",
    "documents_dir",
    "get_document",
    "issue_document",
    "issued_pdf_path",
    "issuing_agency",
    "list_documents",
    "new_document",
    "render_to",
    "set_fields",
]


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
            "hint": f.get("hint", ""),
        }
        for f in form.fields
    ]


# Drafting -----------------------------------------------------------------------------------------
def _prefill(form: forms.Form, context: Mapping[str, Any]) -> dict[str, str]:
    values: dict[str, str] = {}
    for f in form.fields:
        issue_time = forms.filled_at_issue(f)  # left blank: filled when issued
        raw = lookup(context, f["source"]) if f.get("source") and not issue_time else None
        text = field_text(raw)
        if text == "":
            text = field_text(f.get("default"))
        values[f["name"]] = record_fields.normalize_value(f, text)
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
    context = context_for(ctx, form, case_id, patrol_id if form.subject == "patrol" else None)
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
        db.table("documents").insert(
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
        renamed[field["name"]] = record_fields.normalize_value(field, value)
    _check_glyphs("".join(renamed.values()))
    fields = {**json.loads(doc["fields"]), **renamed}
    with ctx.store.transaction() as db:
        db.table("documents").update(
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
