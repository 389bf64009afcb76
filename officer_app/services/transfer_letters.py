"""Answering a transfer: every step is a numbered letter (DOMAIN §9), issued in the same
transaction as the step, and it travels with the next sync so both ends hold the same letters.

- 接收 (accept): registers the case here and issues the 案件移送回执;
- 退回 (return): issues the 案件退回函 with the reasons and the legal basis;
- 反馈 (feedback): issues the 处理结果反馈函 whose text follows the outcome (处罚决定 with its
  决定书文号, date, penalty and execution; 不予处罚 with its basis; 移送司法 citing 行政处罚法 §27 and
  国务院令第310号), worded in ``forms/result_feedback.json``.

The step's outbox entry carries the letter (number, title, values, PDF hash) and the PDF as a blob;
the platform lets the sender fetch it.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from officer_app.domain import transfer as machine
from officer_app.errors import StateError, ValidationError
from officer_app.services import joint, transfers
from officer_app.services.context import AppContext
from officer_app.services.doc_context import CST, today
from officer_app.services.letter_step import NUMBER, issue_step

EXECUTED_ZH = {"yes": "已执行完毕", "no": "尚未执行", "partly": "部分执行"}


def _received_on(row: dict[str, Any]) -> str:
    return dt.datetime.fromisoformat(row["created_at"]).astimezone(CST).date().isoformat()


def accept(ctx: AppContext, tid: str, *, materials_check: str = "材料齐全") -> dict[str, Any]:
    """Accept an incoming transfer: the case becomes ours and the 回执 goes back (a 联合查处:
    同意, with its 联合查处复函)."""
    row = transfers._require(ctx, tid)
    if row["kind"] == "joint":
        return joint.agree(ctx, tid)
    transfers._check(ctx, row, "accept")
    case_id = transfers._register_case(ctx, row)
    row = transfers._require(ctx, row["id"])
    fields = {
        "transferring_agency": transfers._agency_ref(ctx, row["other_agency"])["name"],
        "original_number": row["document_number"],
        "materials_check": materials_check,
        "decision": "受理",
        "received_on": _received_on(row),
    }
    return issue_step(
        ctx,
        row,
        "accept",
        "transfer_receipt",
        fields,
        case_id=case_id,
        extra={},
        columns={"receipt_number": NUMBER},
    )


def return_transfer(
    ctx: AppContext, tid: str, *, reason: str, basis: str | None = None
) -> dict[str, Any]:
    """Return an incoming transfer with a numbered 退回函 (reasons and legal basis)."""
    if not reason.strip():
        raise ValidationError("退回须写明理由。", "empty reason")
    if basis is not None and not basis.strip():
        raise ValidationError("法律依据不能为空；不写则按行政处罚法第二十二条。", "empty basis")
    row = transfers._require(ctx, tid)
    transfers._check(ctx, row, "return")
    sent = json.loads(row["payload"]).get("fields", {})
    fields = {
        "transferring_agency": transfers._agency_ref(ctx, row["other_agency"])["name"],
        "original_number": row["document_number"],
        "cause": str(sent.get("cause", "")),
        "party": str(sent.get("party", "")),
        "received_on": _received_on(row),
        "reason": reason.strip(),
    }
    if basis:
        fields["basis"] = basis.strip()
    extra = {"reason": reason.strip(), "basis": basis.strip() if basis else ""}
    return issue_step(
        ctx,
        row,
        "return",
        "transfer_return",
        fields,
        case_id=None,
        extra=extra,
        columns={"return_reason": reason.strip()},
    )


def _day(value: str | None, label: str) -> str | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise ValidationError(f"{label}格式应为 2026-03-05：{value}", f"date {value!r}") from None


def _amount(fine: float | None) -> str:
    if fine is None:
        return ""
    if fine < 0:
        raise ValidationError("罚款金额不能为负数。", f"fine {fine}")
    return f"{fine:.2f}".rstrip("0").rstrip(".")


def feedback(
    ctx: AppContext,
    tid: str,
    *,
    result: str,
    fine: float | None = None,
    note: str = "",
    decision_number: str = "",
    decision_date: str | None = None,
    executed: str | None = None,
    basis: str | None = None,
) -> dict[str, Any]:
    """Report the handling result back with a numbered 处理结果反馈函."""
    if result not in machine.FEEDBACK_RESULTS:
        raise ValidationError(
            f"处理结果应为：{'、'.join(machine.FEEDBACK_RESULTS)}", f"result {result!r}"
        )
    if executed is not None and executed not in EXECUTED_ZH:
        raise ValidationError("执行情况应为 yes、no 或 partly。", f"executed {executed!r}")
    row = transfers._require(ctx, tid)
    transfers._check(ctx, row, "feedback")  # an illegal step is refused before anything else
    amount, day = _amount(fine), _day(decision_date, "决定日期")
    missing = []
    if result == "处罚决定":
        missing = [
            label
            for label, value in (
                ("决定书文号（--decision-number）", decision_number.strip()),
                ("决定日期（--decision-date）", day),
                ("执行情况（--executed）", executed),
            )
            if not value
        ]
    elif result == "其他" and not note.strip():
        missing = ["处理情况说明（--note）"]
    if missing:
        raise ValidationError(f"反馈“{result}”须写明：{'、'.join(missing)}", f"missing {missing}")
    if not row["case_id"]:
        raise StateError("该移送尚未接收，不能反馈处理结果。", "no case")
    fields = {
        "transferring_agency": transfers._agency_ref(ctx, row["other_agency"])["name"],
        "procedure": machine.KIND_ZH.get(row["kind"], "案件移送"),
        "original_number": row["document_number"],
        "outcome": result,
        "decision_number": decision_number.strip(),
        "decision_date": day if result == "处罚决定" else "",
        "referral_date": (day or today(ctx).isoformat()) if result == "移送司法" else "",
        "fine_amount": amount,
        "execution": EXECUTED_ZH.get(executed or "", ""),
        "note": note.strip(),
    }
    if basis and basis.strip():
        fields["no_penalty_basis"] = basis.strip()
    body = {
        "result": result,
        "fine": fine,
        "note": note.strip(),
        "decision_number": decision_number.strip(),
        "decision_date": day,
        "executed": executed,
        "basis": (basis or "").strip(),
    }
    stored = transfers.feedback_record(body)
    return issue_step(
        ctx,
        row,
        "feedback",
        "result_feedback",
        fields,
        case_id=row["case_id"],
        extra=body,
        columns={"feedback": json.dumps(stored, ensure_ascii=False)},
    )
