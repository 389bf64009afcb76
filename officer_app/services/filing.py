"""立案 (filing a case, 行政处罚法 §54) and the §60 decision limit that runs from it.

The filing date matters twice: §25 gives a case several agencies could handle to the one that
filed first, and §60 asks for a decision within 90 days of filing. Filing is one transaction with
its ledger entry and its outbox entry, like every other change to a case. A case need not be filed
to be transferred: a case found outside our area is usually transferred before anyone files it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from officer_app.domain.deadlines import DECISION
from officer_app.errors import StateError, ValidationError
from officer_app.services import cases
from officer_app.services.calendars import deadline
from officer_app.services.context import AppContext
from officer_app.services.doc_context import today
from officer_app.services.officers import require_officer
from officer_app.store import ledger
from officer_app.store.outbox import enqueue


def _parse_day(value: str | dt.date | None, ctx: AppContext) -> dt.date:
    if value is None or value == "":
        return today(ctx)
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationError(
            f"立案日期格式应为 2026-03-05：{value}", f"filing date {value!r}"
        ) from None


def file_case(ctx: AppContext, case_id: str, *, on: str | dt.date | None = None) -> dict[str, Any]:
    """Record the 立案 of a case on ``on`` (default: today, China Standard Time)."""
    row = cases.require_case(ctx, case_id)
    day = _parse_day(on, ctx)
    if day > today(ctx):
        raise ValidationError("立案日期不能晚于今天。", f"filing date {day} in the future")
    found = (row["taken_at"] or "")[:10]
    if found and day.isoformat() < found:
        raise ValidationError(
            f"立案日期不能早于发现违法行为的日期（{found}）。", f"filing {day} before {found}"
        )
    if row["filed_on"]:
        raise StateError(
            f"该案件已于{row['filed_on']}立案，不能重复立案。", f"case filed {row['filed_on']}"
        )
    if row["status"] in ("transferred", "closed") or row["status"] == "draft":
        raise StateError(
            f"案件{cases.CASE_STATUS_ZH.get(row['status'], row['status'])}，不能立案。",
            f"file a {row['status']} case",
        )
    officer = require_officer(ctx)
    now = ctx.now_iso()
    body = {"id": row["id"], "filed_on": day.isoformat(), "filed_by": officer.id, "filed_at": now}
    with ctx.store.transaction():
        ctx.store.execute(
            "UPDATE cases SET filed_on = ?, filed_by = ?, filed_at = ?, updated_at = ?"
            " WHERE id = ? AND filed_on IS NULL",
            [day.isoformat(), officer.id, now, now, row["id"]],
        )
        ledger.append(ctx.store, "case_filed", row["id"], body, officer_id=officer.id)
        enqueue(ctx.store, "case", row["id"], "file", body, training=bool(row["training"]))
    return cases.get_case(ctx, row["id"])


def filing_info(ctx: AppContext, row: dict[str, Any]) -> dict[str, Any] | None:
    """The 立案 of a case row and its §60 limit (``None`` when not filed)."""
    if not row.get("filed_on"):
        return None
    filed = dt.date.fromisoformat(row["filed_on"])
    limit = deadline(filed, DECISION)
    officer = ctx.store.query(
        "SELECT name, badge, agency_code FROM officers WHERE id = ?", [row["filed_by"]]
    )
    days_left = (limit.due - today(ctx)).days
    return {
        "filed_on": row["filed_on"],
        "filed_at": row["filed_at"],
        "officer": officer[0] if officer else None,
        "decision_due": limit.due.isoformat(),
        "days_left": days_left,
        "overdue": days_left < 0 and row["status"] not in ("closed", "transferred"),
        "basis": DECISION.basis,
        "warning": limit.warning,
    }


def filing_text(info: dict[str, Any] | None) -> str:
    """One line for the officer: 已于…立案，应于…前作出处理决定（还剩 n 日）."""
    if info is None:
        return "尚未立案"
    text = f"已于{info['filed_on']}立案；{DECISION.label}：{info['decision_due']}前作出决定"
    if info["overdue"]:
        text += f"（已逾期{-info['days_left']}日）"
    elif info["days_left"] >= 0:
        text += f"（还剩{info['days_left']}日）"
    return text + (f"。{info['warning']}" if info["warning"] else "")
