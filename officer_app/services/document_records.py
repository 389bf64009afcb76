"""Documents as stored: the row, its public shape, the errors every document action raises.

Shared by drafting (:mod:`documents`) and issuing/rendering (:mod:`document_issue`); holds nothing
that renders, so reading a document never loads the PDF stack.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from officer_app.domain.people import Agency
from officer_app.errors import NotFoundError, UserFacingError, ValidationError
from officer_app.services import forms, record_fields
from officer_app.services.context import AppContext
from officer_app.services.doc_context import (
    CST,
    build_context,
    deadline_warnings,
    division_agency,
    today,
)
from officer_app.services.officers import require_officer

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
            f"不能签发，缺少必填项：{labels}",
            f"missing {[m['name'] for m in missing]}",
            params={"count": len(missing)},
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
    doc["deadline_warnings"], doc["notices"] = [], []
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
        doc["notices"] = record_fields.notices(form.definition, doc["fields"])
    except NotFoundError:
        doc["missing"] = []
    doc["superseded_by"] = ctx.store.scalar(
        "SELECT id FROM documents WHERE supersedes_id = ? ORDER BY version DESC LIMIT 1",
        [doc["id"]],
    )
    return doc


def context_for(
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
