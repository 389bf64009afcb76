"""Violation cases: recording one from its evidence photos, reading them back, changing jurisdiction.

A case's time, position and jurisdiction come from its first photo, so what a document says about
the place is what the camera recorded; the place text may be typed. Parties are validated here
(居民身份证号 per GB 11643, 统一社会信用代码 per GB 32100) and what the validators derive (birth
date, region) is stored with the party. A party may be unknown (当事人待查): dumping cases usually
start that way. Vehicles and their plates (GA 36) are clues (线索), never the party: a plate names
a vehicle, not who is responsible for the violation.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from officer_app.domain.identifiers import validate_plate, validate_resident_id, validate_uscc
from officer_app.errors import NotFoundError, ValidationError
from officer_app.services.context import AppContext
from officer_app.services.officers import require_officer
from officer_app.store import ledger
from officer_app.store.outbox import enqueue

PARTY_KINDS = ("person", "organisation")
PARTY_KIND_ZH = {"person": "自然人", "organisation": "单位"}
UNKNOWN_PARTY = "待查"  # what the documents print when no party is known yet
CASE_STATUSES = ("draft", "recorded", "transferred", "closed")
CASE_STATUS_ZH = {
    "draft": "草稿",
    "recorded": "已登记",
    "transferred": "已移送",
    "closed": "已办结",
}


@dataclass(frozen=True)
class Party:
    kind: str  # person / organisation / vehicle
    name: str = ""
    id_number: str = ""
    plate: str = ""
    details: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)

    def row(self, case_id: str) -> dict[str, Any]:
        return {
            "id": str(uuid.uuid4()),
            "case_id": case_id,
            "kind": self.kind,
            "name": self.name,
            "id_number": self.id_number,
            "plate": self.plate,
            "details": json.dumps(self.details, ensure_ascii=False, sort_keys=True),
        }

    def public(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "name": self.name,
            "id_number": self.id_number,
            "plate": self.plate,
        }


@dataclass(frozen=True)
class CheckedParty:
    party: Party
    warning: str = ""


@dataclass(frozen=True)
class Vehicle:
    """A vehicle seen at the scene: a clue (车辆号牌), not a party."""

    plate: str
    description: str = ""  # e.g. 自卸货车
    details: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)

    def row(self, case_id: str) -> dict[str, Any]:
        return {
            "id": str(uuid.uuid4()),
            "case_id": case_id,
            "plate": self.plate,
            "description": self.description,
            "details": json.dumps(self.details, ensure_ascii=False, sort_keys=True),
        }

    def public(self) -> dict[str, Any]:
        return {"plate": self.plate, "description": self.description}


def person_party(name: str, id_number: str) -> CheckedParty:
    """A person: a failing 身份证号 is refused with the reason (name the digit that is wrong)."""
    name = name.strip()
    if not name:
        raise ValidationError(
            "当事人姓名不能为空。", "empty person name", code="person_name_missing"
        )
    result = validate_resident_id(id_number)
    if not result.valid:
        raise ValidationError(
            f"当事人“{name}”的居民身份证号 {id_number.strip()} 无效：{result.reason}。",
            f"resident id {id_number!r}: {result.reason}",
            code="invalid_resident_id",
            params={"name": name, "number": id_number.strip()},
        )
    details = {k: result.derived[k] for k in ("birth_date", "region_code", "sex")}
    return CheckedParty(Party("person", name, result.derived["normalized"], details=details))


def organisation_party(name: str, uscc: str) -> CheckedParty:
    """An organisation: a failing USCC check digit warns (early codes fail it), a bad format refuses."""
    name = name.strip()
    if not name:
        raise ValidationError(
            "当事单位名称不能为空。", "empty organisation name", code="organisation_name_missing"
        )
    result = validate_uscc(uscc)
    if not result.valid and not result.derived.get("warn_only"):
        raise ValidationError(
            f"当事单位“{name}”的统一社会信用代码 {uscc.strip()} 无效：{result.reason}。",
            f"uscc {uscc!r}: {result.reason}",
            code="invalid_uscc",
            params={"name": name, "number": uscc.strip()},
        )
    keep = ("region_code", "registration_authority_name", "org_type_name")
    details = {k: result.derived[k] for k in keep}
    warning = ""
    if not result.valid:
        warning = f"当事单位“{name}”的统一社会信用代码{result.reason}"
        details["check_digit_warning"] = result.reason
    return CheckedParty(
        Party("organisation", name, result.derived["normalized"], details=details), warning
    )


def vehicle_clue(plate: str, description: str = "") -> Vehicle:
    """A plate checked per GA 36 (a wrong one is refused with the reason)."""
    result = validate_plate(plate)
    if not result.valid:
        raise ValidationError(
            f"号牌 {plate.strip()} 无效：{result.reason}。",
            f"plate {plate!r}: {result.reason}",
            code="invalid_plate",
            params={"plate": plate.strip()},
        )
    details = {k: v for k, v in result.derived.items() if k != "normalized"}
    return Vehicle(result.derived["normalized"], description.strip(), details)


def _check_parties(
    parties: Sequence[Party], vehicles: Sequence[Vehicle]
) -> tuple[list[Party], list[Vehicle]]:
    """Re-validate what is given directly (the demo, the GUI) so nothing unchecked is stored. A
    ``Party(kind="vehicle")`` (what callers passed before vehicles became clues) is a clue."""
    checked, clues = (
        [],
        [v if v.details else vehicle_clue(v.plate, v.description) for v in vehicles],
    )
    for p in parties:
        if p.kind == "vehicle":
            clues.append(vehicle_clue(p.plate, p.name))
        elif p.kind not in PARTY_KINDS:
            raise ValidationError(f"未知的当事人类型：{p.kind}", f"party kind {p.kind!r}")
        elif p.details:
            checked.append(p)
        elif p.kind == "person":
            checked.append(person_party(p.name, p.id_number).party)
        else:
            checked.append(organisation_party(p.name, p.id_number).party)
    return checked, list({v.plate: v for v in clues}.values())


def record_case(
    ctx: AppContext,
    *,
    violation_code: str,
    evidence_ids: Sequence[str],
    parties: Sequence[Party] = (),
    place: str = "",
    description: str = "",
    training: bool = False,
    case_id: str | None = None,
    vehicles: Sequence[Vehicle] = (),
) -> str:
    """Create a case whose time, position and jurisdiction come from its first photo. No party
    means 当事人待查; ``vehicles`` are the plates seen (clues)."""
    if not violation_code:  # never a silent default: the type decides the case and its basis
        raise ValidationError("请选择违法类型。", "case without violation type")
    if ctx.store.scalar("SELECT 1 FROM violation_types WHERE code = ?", [violation_code]) is None:
        raise ValidationError(f"未知的违法类型：{violation_code}", f"violation {violation_code!r}")
    if not evidence_ids:
        raise ValidationError("案件至少需要一份证据。", "case without evidence")
    evidence_ids = list(dict.fromkeys(evidence_ids))
    rows = ctx.store.query(
        f"SELECT id, taken_at, lat, lon, datum, jurisdiction_code, patrol_id FROM evidence"
        f" WHERE id IN ({','.join('?' * len(evidence_ids))})",
        list(evidence_ids),
    )
    if len(rows) != len(evidence_ids):
        found = {r["id"] for r in rows}
        absent = "、".join(e for e in evidence_ids if e not in found)
        raise NotFoundError(f"所选证据不存在：{absent}", f"evidence missing among {evidence_ids}")
    checked, clues = _check_parties(parties, vehicles)
    first = next(r for r in rows if r["id"] == evidence_ids[0])
    officer = require_officer(ctx)
    case_id = case_id or str(uuid.uuid4())
    now = ctx.now_iso()
    row = {
        "id": case_id,
        "violation_code": violation_code,
        "status": "recorded",
        "taken_at": first["taken_at"],
        "place": place.strip(),
        "lat": first["lat"],
        "lon": first["lon"],
        "datum": first["datum"],
        "jurisdiction_code": first["jurisdiction_code"],
        "description": description.strip(),
        "patrol_id": first["patrol_id"],
        "training": int(training),
        "created_by": officer.id,
        "created_at": now,
        "updated_at": now,
    }
    with ctx.store.transaction() as db:
        db.table("cases").insert(row)
        db.table("case_evidence").insert_all(
            {"case_id": case_id, "evidence_id": e} for e in evidence_ids
        )
        db.table("parties").insert_all(p.row(case_id) for p in checked)
        db.table("case_vehicles").insert_all(v.row(case_id) for v in clues)
        ledger.append(
            ctx.store,
            "case_recorded",
            case_id,
            {
                "violation_code": violation_code,
                "evidence": list(evidence_ids),
                "jurisdiction_code": row["jurisdiction_code"],
            },
            officer_id=officer.id,
        )
        enqueue(
            ctx.store,
            "case",
            case_id,
            "create",
            {
                **row,
                "evidence": list(evidence_ids),
                "parties": [p.public() for p in checked],
                "vehicles": [v.public() for v in clues],
            },
            training=training,
        )
    return case_id


# Reading ------------------------------------------------------------------------------------------
def jurisdiction_ref(ctx: AppContext, code: str | None) -> dict[str, str] | None:
    """``{"code", "name"}`` of a division (the territory, e.g. 吴江区), also for historical codes."""
    if code is None:
        return None
    name = ctx.store.scalar(
        "SELECT division_name FROM agencies WHERE division_code = ? ORDER BY length(code) LIMIT 1",
        [code],
    )
    if name is None:
        name = ctx.store.scalar(
            "SELECT a.division_name FROM agencies a, json_each(a.former_codes) f"
            " WHERE f.value = ? ORDER BY length(a.code) LIMIT 1",
            [code],
        )
    return {"code": code, "name": name or ""}


def _require_case(ctx: AppContext, case_id: str) -> dict[str, Any]:
    rows = ctx.store.query("SELECT * FROM cases WHERE id = ?", [case_id])
    if not rows:
        rows = ctx.store.query("SELECT * FROM cases WHERE id LIKE ? || '%'", [case_id])
        if len(rows) != 1 or len(case_id) < 6:
            raise NotFoundError(f"未找到案件：{case_id}", f"case {case_id!r} not found")
    return rows[0]


require_case = _require_case


def resolve_case_id(ctx: AppContext, case_id: str) -> str:
    """The full id for an id or a unique prefix (at least 6 characters) typed at the CLI."""
    return str(_require_case(ctx, case_id)["id"])


def list_cases(ctx: AppContext) -> list[dict[str, Any]]:
    """One summary per case, newest first: ``id, type, status, taken_at, jurisdiction, evidence_count``."""
    rows = ctx.store.query(
        "SELECT c.id, c.violation_code, v.name AS violation_name, c.status, c.taken_at, c.place,"
        " c.jurisdiction_code, c.training,"
        " (SELECT count(*) FROM case_evidence ce WHERE ce.case_id = c.id) AS evidence_count"
        " FROM cases c LEFT JOIN violation_types v ON v.code = c.violation_code"
        " ORDER BY c.created_at DESC, c.id"
    )
    return [
        {
            "id": r["id"],
            "type": {"code": r["violation_code"], "name": r["violation_name"] or ""},
            "status": r["status"],
            "taken_at": r["taken_at"],
            "place": r["place"],
            "jurisdiction": jurisdiction_ref(ctx, r["jurisdiction_code"]),
            "evidence_count": r["evidence_count"],
            "training": bool(r["training"]),
        }
        for r in rows
    ]


def violation_type(ctx: AppContext, code: str | None) -> dict[str, Any] | None:
    if code is None:
        return None
    rows = ctx.store.query("SELECT * FROM violation_types WHERE code = ?", [code])
    return rows[0] if rows else None


def list_violation_types(ctx: AppContext, *, most_used_first: bool = False) -> list[dict[str, Any]]:
    """The catalogue's types; ``most_used_first`` puts the types of this laptop's real cases
    first, most cases first (demo cases do not count), then the rest in catalogue order."""
    if not most_used_first:
        return ctx.store.query("SELECT * FROM violation_types ORDER BY code")
    return ctx.store.query(
        "SELECT vt.*, (SELECT COUNT(*) FROM cases c WHERE c.violation_code = vt.code"
        " AND c.training = 0) AS used FROM violation_types vt ORDER BY used DESC, vt.code"
    )


def case_evidence(ctx: AppContext, case_id: str) -> list[dict[str, Any]]:
    """The case's evidence rows in time order (what the documents list and attach)."""
    return ctx.store.query(
        "SELECT e.id, e.sha256, e.original_name, e.size, e.format, e.evidence_type, e.taken_at,"
        " e.taken_at_source, e.lat, e.lon, e.alt, e.direction, e.datum, e.position_source,"
        " e.make, e.model, e.width, e.height, e.jurisdiction_code, e.imported_at, e.device,"
        " e.kind, e.duration_s, e.codec, e.path_points"
        " FROM case_evidence ce JOIN evidence e ON e.id = ce.evidence_id"
        " WHERE ce.case_id = ? ORDER BY e.taken_at_utc, e.original_name",
        [case_id],
    )


def case_parties(ctx: AppContext, case_id: str) -> list[dict[str, Any]]:
    rows = ctx.store.query(
        "SELECT id, kind, name, id_number, plate, address, phone, details FROM parties"
        " WHERE case_id = ? ORDER BY rowid",
        [case_id],
    )
    for r in rows:
        r["details"] = json.loads(r["details"] or "{}")
    return rows


def case_vehicles(ctx: AppContext, case_id: str) -> list[dict[str, Any]]:
    rows = ctx.store.query(
        "SELECT plate, description, details FROM case_vehicles WHERE case_id = ? ORDER BY rowid",
        [case_id],
    )
    for r in rows:
        r["details"] = json.loads(r["details"] or "{}")
    return rows


def vehicles_text(vehicles: Sequence[dict[str, Any]]) -> str:
    """车辆号牌 as a document prints it: 苏E5K218（自卸货车）、沪A12345."""
    return "、".join(
        v["plate"] + (f"（{v['description']}）" if v.get("description") else "") for v in vehicles
    )


def get_case(ctx: AppContext, case_id: str) -> dict[str, Any]:
    """Everything about one case the GUI and ``case show`` display."""
    row = _require_case(ctx, case_id)
    cid = row["id"]
    vt = violation_type(ctx, row["violation_code"])
    evidence = case_evidence(ctx, cid)
    basis = None
    if vt:
        from officer_app.services import catalogue

        creator = ctx.store.scalar(
            "SELECT agency_code FROM officers WHERE id = ?", [row["created_by"]]
        )
        basis = catalogue.basis_for(ctx, vt["code"], row["jurisdiction_code"], agency_code=creator)
    return {
        "id": cid,
        "type": {"code": row["violation_code"], "name": vt["name"] if vt else ""},
        "violation": vt,
        "legal_basis": {
            # The basis of the place's province (行政处罚法 §22), not the type's national default.
            "obligation": basis.obligation_basis(mark=True) if basis else "",
            "penalty": basis.penalty_basis(mark=True) if basis else "",
            "fine": basis.fine_text() if basis else "",
            "province": basis.province if basis else None,
            "confirmed": basis.confirmed if basis else False,
            "unconfirmed": basis.unconfirmed if basis else [],
            "notes": basis.notes if basis else [],
            "fine_min": vt["fine_min"] if vt else None,
            "fine_max": vt["fine_max"] if vt else None,
            "fine_note": vt["fine_note"] if vt else "",
            "edition": vt["edition"] if vt else "",
        },
        "legal_basis_place": basis.to_json() if basis else None,
        "status": row["status"],
        "taken_at": row["taken_at"],
        "place": row["place"],
        "position": None
        if row["lat"] is None
        else {"lat": row["lat"], "lon": row["lon"], "datum": row["datum"]},
        "jurisdiction": jurisdiction_ref(ctx, row["jurisdiction_code"]),
        "description": row["description"],
        "patrol_id": row["patrol_id"],
        "training": bool(row["training"]),
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
        "parties": case_parties(ctx, cid),
        "vehicles": case_vehicles(ctx, cid),
        "filed_on": row["filed_on"],
        "filed_by": row["filed_by"],
        "filed_at": row["filed_at"],
        "evidence": evidence,
        "evidence_count": len(evidence),
        "jurisdiction_changes": ctx.store.query(
            "SELECT old_code, new_code, reason, officer_id, at FROM case_jurisdiction_changes"
            " WHERE case_id = ? ORDER BY at",
            [cid],
        ),
        "documents": ctx.store.query(
            "SELECT id, form_id, title, status, number, version FROM documents WHERE case_id = ?"
            " ORDER BY created_at",
            [cid],
        ),
    }


# Changing -----------------------------------------------------------------------------------------
def change_jurisdiction(
    ctx: AppContext, case_id: str, new_code: str, reason: str
) -> dict[str, Any]:
    """Move a case to another jurisdiction: only with a reason, recorded in the ledger."""
    row = _require_case(ctx, case_id)
    if not reason.strip():
        raise ValidationError("变更管辖须填写理由。", "jurisdiction change without reason")
    if jurisdiction_ref(ctx, new_code) == {"code": new_code, "name": ""}:
        raise ValidationError(f"未知的行政区划代码：{new_code}", f"division {new_code!r}")
    if row["status"] in ("transferred", "closed"):
        raise ValidationError(
            f"案件已{CASE_STATUS_ZH[row['status']]}，不能再变更管辖。", f"case {row['status']}"
        )
    officer = require_officer(ctx)
    now = ctx.now_iso()
    change = {"old_code": row["jurisdiction_code"], "new_code": new_code, "reason": reason.strip()}
    with ctx.store.transaction() as db:
        db.table("cases").update(row["id"], {"jurisdiction_code": new_code, "updated_at": now})
        db.table("case_jurisdiction_changes").insert(
            {
                "id": str(uuid.uuid4()),
                "case_id": row["id"],
                **change,
                "officer_id": officer.id,
                "at": now,
            }
        )
        ledger.append(
            ctx.store, "case_jurisdiction_changed", row["id"], change, officer_id=officer.id
        )
        enqueue(
            ctx.store,
            "case",
            row["id"],
            "update",
            {"id": row["id"], **change},
            training=bool(row["training"]),
        )
    return get_case(ctx, row["id"])


def set_status(
    ctx: AppContext, case_id: str, status: str, *, officer_id: str | None = None
) -> None:
    """Change a case's status inside the caller's transaction (issuing a transfer letter does it)."""
    if status not in CASE_STATUSES:
        raise ValidationError(f"未知的案件状态：{status}", f"status {status!r}")
    ctx.store.execute(
        "UPDATE cases SET status = ?, updated_at = ? WHERE id = ?", [status, ctx.now_iso(), case_id]
    )
    ledger.append(ctx.store, "case_status", case_id, {"status": status}, officer_id=officer_id)
