"""Who handles a case: the rules the app applies before it proposes a transfer, and the record of
a jurisdiction dispute.

In order (行政处罚法 2021 unless named):

1. a dispute already settled (协商一致 or 指定管辖) decides; one still open proposes nothing;
2. §22: the agency of the place where the violation happened handles it;
3. 共同管辖区域 (areas held jointly by agreement; 上海城管执法条例 §14 uses the same rule): inside
   one, the member agency that first discovered the violation handles it, so a case we found in a
   shared area we belong to is ours;
4. §25: where several agencies are competent (the photos of one violation lie in more than one
   district, e.g. loaded here and dumped there), the one that filed first (最先立案) handles it;
5. otherwise the app proposes a transfer to the agency of the place (§22).

A dispute is negotiated (协商; 住建部令第55号 §6: within 7 days), else referred to the common
superior (报请共同的上一级行政机关指定管辖), and settled by agreement or designation. Each step is
one transaction with its ledger and outbox entries.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from officer_app.errors import NotFoundError, StateError, ValidationError
from officer_app.services import cases
from officer_app.services.context import AppContext
from officer_app.services.doc_context import division_agency, today
from officer_app.services.officers import require_officer
from officer_app.store import ledger
from officer_app.store.outbox import enqueue

STEPS = ("negotiate", "refer", "agreed", "designated")
STEP_ZH = {
    "negotiate": "协商",
    "refer": "报请共同的上一级行政机关指定管辖",
    "agreed": "协商一致",
    "designated": "指定管辖",
}
STEP_BY_ZH = {"协商": "negotiate", "报请指定管辖": "refer", **{v: k for k, v in STEP_ZH.items()}}
STATUS_ZH = {"negotiating": "协商中", "referred": "已报请指定管辖", "settled": "已确定管辖"}
#: status → steps allowed from it, and the status each step leads to
_NEXT = {
    None: {"negotiate": "negotiating"},
    "negotiating": {"negotiate": "negotiating", "agreed": "settled", "refer": "referred"},
    "referred": {"designated": "settled"},
}


def _district(ctx: AppContext, code: str | None) -> str | None:
    if not code:
        return None
    agency = division_agency(ctx, code)
    return agency.division_code if agency else code.split("-")[0]


def _agency_ref(ctx: AppContext, code: str | None) -> dict[str, str] | None:
    if not code:
        return None
    agency = division_agency(ctx, code)
    return {"code": agency.code, "name": agency.name} if agency else {"code": code, "name": code}


def _own(ctx: AppContext) -> str | None:
    officer = ctx.current_officer()
    return _district(ctx, officer.agency_code) if officer else None


# Disputes -----------------------------------------------------------------------------------------
def list_disputes(ctx: AppContext, case_id: str) -> list[dict[str, Any]]:
    disputes = ctx.store.query(
        "SELECT * FROM jurisdiction_disputes WHERE case_id = ? ORDER BY created_at", [case_id]
    )
    for d in disputes:
        d["status_zh"] = STATUS_ZH[d["status"]]
        d["other"] = _agency_ref(ctx, d["other_agency"])
        d["handler"] = _agency_ref(ctx, d["handler_agency"])
        d["training"] = bool(d["training"])
        d["steps"] = ctx.store.query(
            "SELECT s.step, s.on_date, s.note, s.authority, s.handler_agency, s.at,"
            " o.name AS officer_name FROM jurisdiction_dispute_steps s"
            " LEFT JOIN officers o ON o.id = s.officer_id WHERE s.dispute_id = ?"
            " ORDER BY s.at, s.rowid",
            [d["id"]],
        )
        for s in d["steps"]:
            s["step_zh"] = STEP_ZH[s["step"]]
    return disputes


def record_dispute_step(
    ctx: AppContext,
    case_id: str,
    *,
    other: str,
    step: str,
    on: str | None = None,
    note: str = "",
    authority: str = "",
    handler: str | None = None,
) -> dict[str, Any]:
    """Add one step to the dispute with ``other`` over a case (the first 协商 opens it)."""
    step = STEP_BY_ZH.get(step.strip(), step.strip())
    if step not in STEPS:
        raise ValidationError(
            f"争议步骤应为：{'、'.join(['协商', '报请指定管辖', '协商一致', '指定管辖'])}",
            f"step {step!r}",
        )
    row = cases.require_case(ctx, case_id)
    own, theirs = _own(ctx), _district(ctx, other.strip())
    if division_agency(ctx, other.strip()) is None:
        raise NotFoundError(f"未知的执法机关代码：{other}", f"agency {other!r}")
    if theirs == own:
        raise ValidationError("争议的对方不能是本机关。", "dispute with self")
    try:
        day = dt.date.fromisoformat(on.strip()) if on else today(ctx)
    except ValueError:
        raise ValidationError(f"日期格式应为 2026-03-05：{on}", f"date {on!r}") from None
    if step in ("refer", "designated") and not authority.strip():
        raise ValidationError(
            "请写明共同的上一级行政机关（如 长三角生态绿色一体化发展示范区执委会）。",
            "no authority",
        )
    handler_code = _district(ctx, handler) if handler else None
    if step in ("agreed", "designated"):
        if handler_code not in (own, theirs):
            raise ValidationError("请写明由哪一方管辖（本机关或争议对方的代码）。", "no handler")
    elif handler:
        raise ValidationError("只有协商一致或指定管辖时才写明管辖机关。", "handler too early")
    open_ = ctx.store.query(
        "SELECT * FROM jurisdiction_disputes WHERE case_id = ? AND other_agency = ?"
        " ORDER BY created_at DESC LIMIT 1",
        [row["id"], theirs],
    )
    current = open_[0] if open_ else None
    allowed = _NEXT.get(current["status"] if current else None, {})
    if step not in allowed:
        where = STATUS_ZH[current["status"]] if current else "尚未协商"
        raise StateError(
            f"管辖争议当前为“{where}”，不能办理“{STEP_ZH[step]}”。",
            f"{step} from {current['status'] if current else None}",
        )
    officer, now = require_officer(ctx), ctx.now_iso()
    dispute_id = current["id"] if current else str(uuid.uuid4())
    status = allowed[step]
    body = {
        "dispute_id": dispute_id,
        "case_id": row["id"],
        "other_agency": theirs,
        "step": step,
        "on_date": day.isoformat(),
        "note": note.strip(),
        "authority": authority.strip(),
        "handler_agency": handler_code,
        "status": status,
    }
    with ctx.store.transaction() as db:
        if current is None:
            db.table("jurisdiction_disputes").insert(
                {
                    "id": dispute_id,
                    "case_id": row["id"],
                    "other_agency": theirs,
                    "status": status,
                    "training": row["training"],
                    "created_at": now,
                    "updated_at": now,
                }
            )
        else:
            ctx.store.execute(
                "UPDATE jurisdiction_disputes SET status = ?, handler_agency = ?, updated_at = ?"
                " WHERE id = ?",
                [status, handler_code, now, dispute_id],
            )
        db.table("jurisdiction_dispute_steps").insert(
            {
                "id": str(uuid.uuid4()),
                "dispute_id": dispute_id,
                "step": step,
                "on_date": day.isoformat(),
                "note": note.strip(),
                "authority": authority.strip(),
                "handler_agency": handler_code,
                "officer_id": officer.id,
                "at": now,
            }
        )
        ledger.append(ctx.store, "jurisdiction_dispute", row["id"], body, officer_id=officer.id)
        enqueue(
            ctx.store,
            "jurisdiction_dispute",
            dispute_id,
            step,
            body,
            training=bool(row["training"]),
        )
    return next(d for d in list_disputes(ctx, row["id"]) if d["id"] == dispute_id)


# The proposal -------------------------------------------------------------------------------------
def shared_area_of(ctx: AppContext, case: dict[str, Any]) -> dict[str, Any] | None:
    """The 共同管辖区域 the case's position lies in, if any (shipped or deployment boundaries)."""
    position = case.get("position")
    if not position:
        return None
    from officer_app.services import jurisdiction

    return jurisdiction.shared_area_at(
        ctx, position["lat"], position["lon"], position.get("datum") or "wgs84"
    )


def _found_by(ctx: AppContext, case_id: str) -> str | None:
    """The district of the agency that discovered the case (``None``: it came by transfer)."""
    received = ctx.store.scalar(
        "SELECT 1 FROM transfers WHERE direction = 'in' AND case_id = ?", [case_id]
    )
    if received:
        return None
    code = ctx.store.scalar(
        "SELECT o.agency_code FROM cases c JOIN officers o ON o.id = c.created_by WHERE c.id = ?",
        [case_id],
    )
    return _district(ctx, code)


def transfer_proposal(ctx: AppContext, case: dict[str, Any]) -> dict[str, Any]:
    """Whether the app proposes transferring ``case`` (a ``cases.get_case`` dict), and why."""
    own = _own(ctx)
    jur = case.get("jurisdiction") or {}
    place = jur.get("code")

    def answer(
        handler: str, propose: bool, rule: str, reason: str, to: str | None = None
    ) -> dict[str, Any]:
        return {
            "handler": handler,  # ours / other / disputed / unknown
            "propose_transfer": propose,
            "to": _agency_ref(ctx, to),
            "rule": rule,
            "reason_zh": reason,
            "shared_area": shared,
        }

    shared = None
    if own is None or not place:
        return answer("unknown", False, "", "管辖未定：案件没有位置或本机未设置执法人员。")
    if case.get("status") == "transferred":
        to = ctx.store.scalar(
            "SELECT other_agency FROM transfers WHERE case_id = ? AND direction = 'out'"
            " ORDER BY created_at DESC LIMIT 1",
            [case["id"]],
        )
        return answer("other", False, "transferred", "案件已移送。", to or place)
    disputes = list_disputes(ctx, case["id"])
    settled = [d for d in disputes if d["status"] == "settled"]
    if settled:
        d = settled[-1]
        how = "协商一致" if d["steps"][-1]["step"] == "agreed" else "指定管辖"
        if d["handler_agency"] == own:
            return answer("ours", False, "dispute", f"管辖争议已{how}：由本机关管辖。")
        return answer(
            "other",
            True,
            "dispute",
            f"管辖争议已{how}：由{d['handler']['name']}管辖，应移送。",
            d["handler_agency"],
        )
    if any(d["status"] != "settled" for d in disputes):
        return answer("disputed", False, "dispute", "管辖争议处理中，确定管辖前不移送。")
    if place == own:
        return answer(
            "ours", False, "art22", "违法行为发生地在本机关辖区（行政处罚法第二十二条）。"
        )
    shared = shared_area_of(ctx, case)
    members = {_district(ctx, m) for m in (shared or {}).get("members", [])}
    finder = _found_by(ctx, case["id"])
    if shared and own in members and finder == own:
        return answer(
            "ours",
            False,
            "shared_area",
            f"违法行为发生在共同管辖区域（{shared['name']}），由最先发现的本机关管辖。",
        )
    places = {e.get("jurisdiction_code") for e in case.get("evidence", [])} | {place}
    competent = own in places or (shared is not None and own in members)
    if competent and case.get("filed_on"):
        return answer(
            "ours",
            False,
            "art25",
            f"本机关对该案亦有管辖权，并已于{case['filed_on']}立案；依照行政处罚法第二十五条，"
            "由最先立案的行政机关管辖。",
        )
    reason = f"违法行为发生地位于{jur.get('name') or place}，依照行政处罚法第二十二条应移送。"
    if competent:
        reason += "本机关对该案亦有管辖权：如先行立案，依照第二十五条由本机关管辖。"
    return answer("other", True, "art22", reason, place)
