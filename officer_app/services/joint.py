"""联合查处: one agency asks another to investigate and handle one case with it (the plan's
案件移送、联合查处、联合保障). It runs over the transfer machinery (kind ``joint``): the request is a
numbered 联合查处函 with the case's snapshot and files; the partner answers with a numbered
联合查处复函 (同意, which registers the case there too, or 不同意 with its reasons) and later reports
its result with a 处理结果反馈函. Each letter travels with the next sync, like a transfer's.
"""

from __future__ import annotations

from typing import Any

from officer_app.domain.deadlines import ASSISTANCE_REPLY
from officer_app.errors import NotFoundError, ValidationError
from officer_app.services import cases, catalogue, documents, letter_step, transfers
from officer_app.services.calendars import deadline
from officer_app.services.context import AppContext
from officer_app.services.doc_context import division_agency, today


def request(
    ctx: AppContext, case_id: str, *, partner: str, matters: str = "", basis_checked: bool = False
) -> dict[str, Any]:
    """Issue the 联合查处函 for ``case_id`` to ``partner`` (an agency code) and send it.

    The letter cites the case's legal basis; citations still marked 【待核实】 refuse the issue
    unless the officer attests (``basis_checked``) that they checked them, as in the editor.
    """
    row = cases.require_case(ctx, case_id)
    agency = division_agency(ctx, partner.strip())
    own = documents.issuing_agency(ctx)
    if agency is None:
        raise NotFoundError(f"未知的执法机关代码：{partner}", f"agency {partner!r}")
    if agency.code == own.code:
        raise ValidationError("不能商请本机关联合查处。", "joint with self")
    draft = documents.new_document(ctx, "joint_request", case_id=row["id"])
    fields = {"partner_agency": agency.name}
    if matters.strip():
        fields["matters"] = matters.strip()
    documents.set_fields(ctx, draft["id"], fields)
    if basis_checked:
        catalogue.confirm_draft_basis(ctx, draft["id"])
    sent: dict[str, str] = {}

    def send(letter: dict[str, Any]) -> None:
        due = letter["fields"].get("reply_due") or deadline(today(ctx), ASSISTANCE_REPLY).due
        shas = list(letter.get("evidence_sha256", []))
        sent["id"] = transfers.send_transfer(
            ctx, "joint", agency.code, row["id"], letter, shas, str(due), bool(row["training"])
        )

    issued = documents.issue_document(ctx, draft["id"], on_issued=send)
    result = transfers._public(ctx, transfers._require(ctx, sent["id"]))
    result["document"] = {"id": issued["id"], "number": issued["number"], "title": issued["title"]}
    result["number"] = issued["number"]
    return result


def agree(ctx: AppContext, tid: str) -> dict[str, Any]:
    """同意: the case is registered here too and the 联合查处复函 goes back."""
    row = transfers._require(ctx, tid)
    transfers._check(ctx, row, "accept")
    case_id = transfers._register_case(ctx, row)
    row = transfers._require(ctx, row["id"])
    return letter_step.issue_step(
        ctx,
        row,
        "accept",
        "joint_reply",
        _reply_fields(ctx, row, "同意"),
        case_id=case_id,
        extra={},
        columns={"receipt_number": letter_step.NUMBER},
    )


def decline(ctx: AppContext, tid: str, *, reason: str) -> dict[str, Any]:
    """不同意, with the reasons, in a numbered 联合查处复函."""
    if not reason.strip():
        raise ValidationError("不同意联合查处须写明理由。", "empty reason")
    row = transfers._require(ctx, tid)
    transfers._check(ctx, row, "decline")
    fields = {**_reply_fields(ctx, row, "不同意"), "decline_reason": reason.strip()}
    return letter_step.issue_step(
        ctx,
        row,
        "decline",
        "joint_reply",
        fields,
        case_id=None,
        extra={"reason": reason.strip()},
        columns={"return_reason": reason.strip()},
    )


def _reply_fields(ctx: AppContext, row: dict[str, Any], decision: str) -> dict[str, str]:
    import json

    sent = json.loads(row["payload"]).get("fields", {})
    return {
        "requesting_agency": transfers._agency_ref(ctx, row["other_agency"])["name"],
        "original_number": row["document_number"],
        "cause": str(sent.get("cause", "")),
        "decision": decision,
    }
