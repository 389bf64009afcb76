"""Issuing the numbered letter of a transfer step and taking the step in one transaction.

Shared by the answers to a transfer (:mod:`transfer_letters`) and to a 联合查处 (:mod:`joint`):
apart from both so neither imports the other (``transfer_letters`` hands a joint transfer's
acceptance to :mod:`joint`).
"""

from __future__ import annotations

from typing import Any

from officer_app.services import documents, transfers
from officer_app.services.context import AppContext

#: Stands for the letter's number in ``columns`` (known once issued).
NUMBER = object()


def issue_step(
    ctx: AppContext,
    row: dict[str, Any],
    op: str,
    form_id: str,
    fields: dict[str, str],
    *,
    case_id: str | None,
    extra: dict[str, Any],
    columns: dict[str, Any],
) -> dict[str, Any]:
    """Draft ``form_id`` with ``fields``, issue it, and take step ``op`` in the same transaction."""
    draft = documents.new_document(ctx, form_id, case_id=case_id)
    documents.set_fields(ctx, draft["id"], fields)
    taken: dict[str, Any] = {}

    def step(letter: dict[str, Any]) -> None:
        ref = transfers.document_ref(letter)
        body = {**extra, "document": ref, "blobs": [letter["pdf_sha256"]]}
        cols = {k: (letter["number"] if v is NUMBER else v) for k, v in columns.items()}
        if "receipt_number" in cols:
            body["receipt_number"] = cols["receipt_number"]
        taken.update(transfers._step(ctx, row, op, body, cols))
        transfers.record_document(ctx, row["id"], op, ref, "ours")

    issued = documents.issue_document(ctx, draft["id"], on_issued=step)
    result = transfers._public(ctx, transfers._require(ctx, row["id"]))
    result["document"] = {"id": issued["id"], "number": issued["number"], "title": issued["title"]}
    result["number"] = issued["number"]
    return result
