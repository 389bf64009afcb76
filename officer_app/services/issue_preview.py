"""What issuing a draft will do, told before it is done: the 文号 it will take and what has to be
confirmed first.  签发 takes a number for good, so the confirmation shows it (issue 17).

The number is the one :func:`documents.issue_document` will take unless another issue on this
laptop takes it first (then it takes the next and says so in its result); nothing is reserved.
"""

from __future__ import annotations

from typing import Any

from officer_app.services import catalogue, documents, forms, numbering, record_fields
from officer_app.services.context import AppContext
from officer_app.services.doc_context import today
from officer_app.services.document_issue import serial_series


def next_number(ctx: AppContext, doc: dict[str, Any]) -> str:
    """The 文号 the draft would take if issued now (``青城管移〔2026〕3号``; a training document:
    ``青城管移〔培训2026〕1号``), by the rule issuing follows."""
    form = forms.find_form(ctx, doc["form_id"])
    key, number_of = serial_series(
        documents.issuing_agency(ctx), form, today(ctx).year, bool(doc["training"])
    )
    return number_of(numbering.peek_serial(ctx.store, *key))


def issue_plan(ctx: AppContext, doc_id: str) -> dict[str, Any]:
    """Number, blank required fields and fields citing unconfirmed law, for the 签发 dialog."""
    doc = documents.get_document(ctx, doc_id)
    fields = documents.document_fields(ctx, doc_id)
    values = {f["name"]: str(f["value"] or "") for f in fields}
    # A record that would not hold up (§42: fewer than two officers on a 笔录) is refused before
    # the officer is asked to confirm anything: the same rule issue_document applies.
    record_fields.require_issuable(forms.find_form(ctx, doc["form_id"]).definition, values)
    unverified = catalogue.unverified_fields(fields, values)
    return {
        "id": doc["id"],
        "title": doc["title"],
        "number": next_number(ctx, doc),
        "missing": doc.get("missing") or [],
        "unverified": [{**f, "text": values[f["name"]]} for f in unverified],
    }
