"""What issuing a draft will do, told before it is done: the 文号 it will take and what has to be
confirmed first.  签发 takes a number for good, so the confirmation shows it (issue 17).

The number is the one :func:`documents.issue_document` will take unless another issue on this
laptop takes it first (then it takes the next and says so in its result); nothing is reserved.
"""

from __future__ import annotations

from typing import Any

from officer_app.domain.numbering import format_doc_number
from officer_app.services import catalogue, documents, forms, numbering, record_fields
from officer_app.services.context import AppContext
from officer_app.services.doc_context import today


def next_number(ctx: AppContext, doc_id: str) -> str:
    """The 文号 the draft would take if issued now (``青城管移〔2026〕3号``; training: ``青城管移〔培训2026〕1号``)."""
    doc = documents.get_document(ctx, doc_id)
    form = forms.find_form(ctx, doc["form_id"])
    agency = documents.issuing_agency(ctx)
    year = today(ctx).year
    training = bool(doc["training"])  # a training document counts in its own series
    series = numbering.series(form.doc_type, training=training)
    serial = numbering.peek_serial(ctx.store, agency.code, series, year)
    return format_doc_number(agency.short_name + form.doc_type, year, serial, training=training)


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
        "number": next_number(ctx, doc_id),
        "missing": doc.get("missing") or [],
        "unverified": [{**f, "text": values[f["name"]]} for f in unverified],
    }
