"""The context dict that form fields' ``source`` paths point into (documented in forms/README.md).

Every value is a display string (or an ISO date for ``date`` fields), already worded the way a
document says it, so a region's form file can reuse them without code. Top-level keys: ``case``,
``violation``, ``parties``, ``party``, ``evidence``, ``sender``, ``receiver``, ``officer``,
``patrol``, ``document``, ``original``.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from officer_app.documents.evidence import evidence_item
from officer_app.documents.geometry import format_cn_date
from officer_app.documents.resolve import field_text, lookup
from officer_app.domain.deadlines import ASSISTANCE_REPLY, RECEIPT
from officer_app.domain.officers_present import OfficerPresent, format_officers
from officer_app.domain.people import Agency, Officer
from officer_app.domain.record_time import format_clock, format_moment
from officer_app.media.recording_path import path_summary
from officer_app.services import cases, catalogue
from officer_app.services.calendars import deadline
from officer_app.services.context import AppContext

CST = dt.timezone(dt.timedelta(hours=8))
#: Context paths of the deadlines a form may print, and their rule (recomputed at issue).
DEADLINE_SOURCES = {"document.reply_due": ASSISTANCE_REPLY, "document.receipt_due": RECEIPT}


def deadline_warnings(fields: list[dict[str, Any]], base: dt.date) -> list[str]:
    """What a form's printed deadlines must warn about (a year whose 调休 is unknown)."""
    out = []
    for f in fields:
        rule = DEADLINE_SOURCES.get(f.get("source", ""))
        warning = deadline(base, rule).warning if rule else ""
        if warning and warning not in out:
            out.append(warning)
    return out


_DATUM_ZH = {"wgs84": "WGS-84", "cgcs2000": "CGCS2000", "gcj02": "GCJ-02"}
_SOURCE_ZH = {"exif": "照片EXIF", "gpx": "GPX轨迹匹配", "manual": "手工标定"}


def today(ctx: AppContext) -> dt.date:
    """Document dates are China Standard Time dates, whatever the laptop's zone."""
    return ctx.clock().astimezone(CST).date()


def agency_dict(agency: Agency | None) -> dict[str, str]:
    if agency is None:
        return {"code": "", "name": "", "short_name": ""}
    return {
        "code": agency.code,
        "name": agency.name,
        "short_name": agency.short_name,
        "division_code": agency.division_code,
        "province": agency.province,
    }


def _agency(ctx: AppContext, code: str) -> Agency | None:
    rows = ctx.store.query(
        "SELECT code, name, short_name, division_code, province FROM agencies WHERE code = ?",
        [code],
    )
    return Agency(**rows[0]) if rows else None


def division_agency(ctx: AppContext, code: str | None) -> Agency | None:
    """The district-level agency responsible for a division (or for a squad's division).

    A squad (中队) is not an administrative subject of its own: documents go out, and are
    numbered, in the name of its district agency.
    """
    if not code:
        return None
    own = _agency(ctx, code)
    division = own.division_code if own else code
    rows = ctx.store.query(
        "SELECT code, name, short_name, division_code, province FROM agencies"
        " WHERE division_code = ? ORDER BY length(code), code LIMIT 1",
        [division],
    )
    if not rows:
        rows = ctx.store.query(
            "SELECT a.code, a.name, a.short_name, a.division_code, a.province FROM agencies a,"
            " json_each(a.former_codes) f WHERE f.value = ? ORDER BY length(a.code) LIMIT 1",
            [division],
        )
    return Agency(**rows[0]) if rows else own


def evidence_meta(ctx: AppContext, row: dict[str, Any]) -> dict[str, Any]:
    """One evidence row as the renderer's evidence item (without the file path)."""
    ref = cases.jurisdiction_ref(ctx, row.get("jurisdiction_code"))
    where = (
        f"{ref['name']}（{ref['code']}）" if ref and ref["name"] else (ref or {}).get("code", "")
    )
    return evidence_item(
        label=row["original_name"],
        sha256=row["sha256"],
        taken_at=row["taken_at"],
        lat=row["lat"],
        lon=row["lon"],
        datum=_DATUM_ZH.get((row.get("datum") or "wgs84").lower(), row.get("datum") or ""),
        position_source=_SOURCE_ZH.get(row.get("position_source") or "", ""),
        jurisdiction=where,
        kind=row.get("kind"),
        duration_s=row.get("duration_s"),
        route=path_summary(json.loads(row["path_points"])) if row.get("path_points") else None,
    )


def _when(value: str | None) -> str:
    """``2026年11月20日9时48分`` (CST): how documents state a time (photos keep their seconds)."""
    if not value:
        return ""
    try:
        return format_moment(value)
    except ValueError:
        return value


def _party_display(p: dict[str, Any]) -> str:
    if p["kind"] == "person":
        return f"{p['name']}（居民身份证号{p['id_number']}）"
    return f"{p['name']}（统一社会信用代码{p['id_number']}）"


def _position_text(lat: float | None, lon: float | None, datum: str | None) -> str:
    if lat is None or lon is None:
        return ""
    d = _DATUM_ZH.get((datum or "wgs84").lower(), datum or "")
    return f"北纬{lat:.6f}°、东经{lon:.6f}°，{d}"


def _officers_text(rows: list[dict[str, Any]]) -> str:
    return "\n".join(f"{r['name']}（执法证号{r['badge']}）" for r in rows)


def patrol_context(ctx: AppContext, patrol_id: str | None) -> dict[str, Any]:
    if not patrol_id:
        return {}
    rows = ctx.store.query("SELECT * FROM patrols WHERE id = ?", [patrol_id])
    if not rows:
        return {}
    p = rows[0]
    agencies = ctx.store.query(
        "SELECT pa.agency_code, a.name FROM patrol_agencies pa JOIN agencies a"
        " ON a.code = pa.agency_code WHERE pa.patrol_id = ? ORDER BY pa.lead DESC, pa.agency_code",
        [patrol_id],
    )
    officers = ctx.store.query(
        "SELECT agency_code, name, badge FROM patrol_officers WHERE patrol_id = ?"
        " ORDER BY agency_code, badge",
        [patrol_id],
    )
    participants = []
    for a in agencies:
        mine = [o for o in officers if o["agency_code"] == a["agency_code"]]
        names = "、".join(f"{o['name']}（{o['badge']}）" for o in mine)
        participants.append(f"{a['name']}：{names or '（未登记人员）'}")
    present = [  # every officer of every agency, for a 笔录's 检查人员
        OfficerPresent(o["name"], o["badge"], a["name"])
        for a in agencies
        for o in officers
        if o["agency_code"] == a["agency_code"]
    ]
    start, end = p["actual_start"] or p["planned_start"], p["actual_end"] or p["planned_end"]
    time_text = _when(start)
    if end:
        same_day = start and end[:10] == start[:10]
        time_text += "至" + (format_clock(end) if same_day else _when(end))
    return {
        "id": p["id"],
        "type": p["type"],
        "title": p["title"],
        "area": p["area"],
        "route": p["route"],
        "findings": p["findings"],
        "handling": p["notes"],
        "time_text": time_text,
        "start": start,
        "end": end,
        "participants": "\n".join(participants),
        "officers_present": format_officers(present),
        "officers": officers,
        "agencies": agencies,
    }


def _latest_issued(ctx: AppContext, case_id: str | None, form_id: str | None) -> dict[str, Any]:
    if not case_id or not form_id:
        return {}
    rows = ctx.store.query(
        "SELECT number, title, issued_at FROM documents WHERE case_id = ? AND form_id = ?"
        " AND status = 'issued' ORDER BY issued_at DESC LIMIT 1",
        [case_id, form_id],
    )
    if not rows:
        return {}
    r = rows[0]
    return {"number": r["number"], "title": r["title"], "issued_on": (r["issued_at"] or "")[:10]}


def build_context(
    ctx: AppContext,
    *,
    officer: Officer,
    case_id: str | None = None,
    patrol_id: str | None = None,
    refers_to: str | None = None,
    issued_on: dt.date | None = None,
) -> dict[str, Any]:
    """Everything a form may pull from, for one case (or one patrol)."""
    sender = division_agency(ctx, officer.agency_code)
    # Periods run from the issue date (a draft previews them from today): domain/deadlines.py
    base = issued_on or today(ctx)
    reply, receipt = deadline(base, ASSISTANCE_REPLY), deadline(base, RECEIPT)
    out: dict[str, Any] = {
        "sender": agency_dict(sender),
        "officer": {
            "name": officer.name,
            "badge": officer.badge,
            "agency": officer.agency_code,
            "phone": officer.phone,
            # 联系人及电话: with a phone the letter's 附注 reads （联系人：张伟，联系电话：…）;
            # without one, name and badge as before (a missing phone never blocks issuing).
            "contact": (
                f"{officer.name}，联系电话：{officer.phone}"
                if officer.phone
                else f"{officer.name}（执法证号{officer.badge}）"
            ),
        },
        "document": {
            "issued_on": issued_on.isoformat() if issued_on else None,
            "today": today(ctx).isoformat(),
            "reply_due": reply.due.isoformat(),
            "receipt_due": receipt.due.isoformat(),
            "deadline_warnings": {"reply_due": reply.warning, "receipt_due": receipt.warning},
        },
        "original": _latest_issued(ctx, case_id, refers_to),
        "receiver": agency_dict(None),
        "case": {},
        "violation": {},
        "parties": [],
        "party": {"display": ""},
        "evidence": [],
        "patrol": {},
    }
    if case_id:
        case = cases.get_case(ctx, case_id)
        vt = case["violation"] or {}
        parties = [
            {
                **p,
                "display": _party_display(p),
                "kind_label": cases.PARTY_KIND_ZH.get(p["kind"], p["kind"]),
            }
            for p in case["parties"]
        ]
        party_text = "、".join(p["display"] for p in parties) or cases.UNKNOWN_PARTY
        plates = cases.vehicles_text(case["vehicles"])
        jur = case["jurisdiction"] or {"code": "", "name": ""}
        when = _when(case["taken_at"])
        position = case["position"] or {}
        pos_text = _position_text(position.get("lat"), position.get("lon"), position.get("datum"))
        place = case["place"] or jur["name"]
        facts = f"{when}，执法人员在{place}"
        facts += f"（{pos_text}）" if pos_text else ""
        if parties:
            facts += f"发现{party_text}涉嫌{vt.get('name', '')}。"
        else:
            facts += f"发现一起涉嫌{vt.get('name', '')}的违法行为，当事人待查。"
        facts += f"现场车辆号牌：{plates}。" if plates else ""
        facts += case["description"]
        evidence = [evidence_meta(ctx, e) for e in case["evidence"]]
        jurisdiction_agency = division_agency(ctx, jur["code"]) if jur["code"] else None
        creator = ctx.store.scalar(
            "SELECT o.agency_code FROM cases c JOIN officers o ON o.id = c.created_by"
            " WHERE c.id = ?",
            [case["id"]],
        )
        finder = division_agency(ctx, creator)
        # The place's province decides the local law (§22); unconfirmed citations carry the mark.
        basis = catalogue.basis_for(ctx, case["type"]["code"], jur["code"], agency_code=creator)
        receiver = None
        for candidate in (jurisdiction_agency, finder):
            if candidate is not None and (sender is None or candidate.code != sender.code):
                receiver = candidate
                break
        patrol = patrol_context(ctx, case["patrol_id"])
        mine = [
            o
            for o in patrol.get("officers", [])
            if sender and o["agency_code"].split("-")[0] == sender.division_code
        ]
        out.update(
            receiver=agency_dict(receiver),
            violation={k: ("" if v is None else str(v)) for k, v in vt.items()},
            parties=parties,
            party={"display": party_text},
            evidence=evidence,
            patrol=patrol,
            case={
                "id": case["id"],
                "short_id": case["id"][:8],
                "cause": vt.get("name", ""),
                "facts": facts,
                "description": case["description"],
                "place": place,
                "plates": plates,
                "filing_text": (
                    f"已于{format_cn_date(case['filed_on'])}立案。" if case["filed_on"] else ""
                ),
                "position": pos_text,
                "taken_at": case["taken_at"],
                "taken_at_text": when,
                "jurisdiction": jur,
                "jurisdiction_text": f"{jur['name']}（{jur['code']}）" if jur["code"] else "",
                "legal_basis": basis.legal_text(mark=True),
                "obligation_basis": basis.obligation_basis(mark=True),
                "penalty_basis": basis.penalty_basis(mark=True),
                "fine_range": basis.fine_text(mark=True),
                "cooperation_basis": basis.cooperation_basis,
                "transfer_reason": (
                    f"经核查，违法行为发生地位于{jur['name']}（行政区划代码{jur['code']}），"
                    "属你单位管辖区域。依照《中华人民共和国行政处罚法》第二十二条"
                    "“行政处罚由违法行为发生地的行政机关管辖”的规定，该案应由你单位管辖。"
                )
                if jur["code"]
                else "",
                "materials": f"现场照片{len(evidence)}张（电子数据，原始文件及SHA-256校验值随案移送），"
                "详见附件。",
                "inspectors": _officers_text(mine) or out["officer"]["contact"],
                # Every officer of every agency on the patrol (a 笔录 names all who were there).
                "officers_present": patrol.get("officers_present")
                or f"{out['sender']['name']}：{out['officer']['contact']}",
                "status": case["status"],
            },
        )
    elif patrol_id:
        out["patrol"] = patrol_context(ctx, patrol_id)
        rows = ctx.store.query(
            "SELECT * FROM evidence WHERE patrol_id = ? ORDER BY taken_at_utc, original_name",
            [patrol_id],
        )
        out["evidence"] = [evidence_meta(ctx, r) for r in rows]
    return out


__all__ = [
    "build_context",
    "division_agency",
    "evidence_meta",
    "field_text",
    "format_cn_date",
    "lookup",
    "today",
]
