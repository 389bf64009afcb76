"""The legal basis a case prints: national law plus the regulations of the province where it happened.

行政处罚法 §22 puts a case where the violation happened, and local regulations bind only there: a
吴江 case is decided under national law and Jiangsu's (and Suzhou's) regulations, never Shanghai's.
So the basis follows the case's jurisdiction code, and only when the place has no jurisdiction does
it fall back to the province of the agency that recorded the case, saying so.

Citations whose article text nobody has read against a published edition are unconfirmed. They are
never printed as settled law: the letter draft carries :data:`UNCONFIRMED_MARK` after each, and a
document holding the mark is not issued until the officer has checked the text and confirmed it
(:func:`confirm_draft_basis`, recorded in the ledger) or replaced the citation.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from officer_app.domain.legal_catalogue import (
    NATIONAL,
    PROVINCES,
    UNCONFIRMED_MARK,
    citation_text,
    fine_phrase,
    join_citations,
    province_of,
    scope_applies,
)
from officer_app.errors import NotFoundError, StateError, UsageError, ValidationError
from officer_app.services.context import AppContext
from officer_app.store import ledger


class UnverifiedBasisError(ValidationError):
    """A document still carries 【待核实】: issuing it would print unchecked law as settled."""

    code = "unverified_basis"

    def __init__(self, fields: list[dict[str, str]]) -> None:
        labels = "、".join(f["label"] for f in fields)
        super().__init__(
            f"不能签发：{labels}中有未经核实的法律依据（标有{UNCONFIRMED_MARK}）。"
            "请对照公布的条文核实后确认（删去标记），或改为已核实的依据，再签发。",
            f"unverified basis in {[f['name'] for f in fields]}",
            params={"count": len(fields)},
        )
        self.fields = fields


@dataclass
class LegalBasis:
    """The basis of one violation type at one place, with where each citation stands."""

    violation_code: str
    violation_name: str
    province: str | None  # GB/T 2260 province code the local regulations are taken from
    place_code: str | None
    place_source: str  # "place" | "agency" | "none"
    citations: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    cooperation_basis: str = ""  # the 示范区 decision of the case's province, if any
    catalogue_edition: str = ""

    @property
    def province_name(self) -> str:
        return PROVINCES.get(self.province or "", "")

    def _role(self, role: str) -> list[dict[str, Any]]:
        return [c for c in self.citations if c["role"] == role]

    def obligation_basis(self, *, mark: bool = False) -> str:
        return join_citations(self._role("obligation"), mark=mark)

    def penalty_basis(self, *, mark: bool = False) -> str:
        return join_citations(self._role("penalty"), mark=mark)

    def fine_text(self, *, mark: bool = False) -> str:
        """Each penalty citation's fines, followed by the citation when there are several."""
        with_fines = [c for c in self._role("penalty") if fine_phrase(c.get("fine"))]
        if len(with_fines) == 1:
            text = fine_phrase(with_fines[0]["fine"])
            if mark and not with_fines[0]["confirmed"]:
                text += UNCONFIRMED_MARK
            return text
        return "；".join(
            f"{fine_phrase(c['fine'])}（{citation_text(c, mark=mark)}）" for c in with_fines
        )

    def legal_text(self, *, mark: bool = False) -> str:
        """The 法律依据 paragraph of a letter."""
        text = f"违反{self.obligation_basis(mark=mark) or '（未列）'}的规定；"
        text += f"处罚依据：{self.penalty_basis(mark=mark) or '（未列）'}"
        fine = self.fine_text(mark=mark)
        return text + (f"（{fine}）" if fine else "")

    @property
    def confirmed(self) -> bool:
        return bool(self.citations) and all(c["confirmed"] for c in self.citations)

    @property
    def unconfirmed(self) -> list[str]:
        seen: list[str] = []
        for c in self.citations:
            text = citation_text(c)
            if not c["confirmed"] and text not in seen:
                seen.append(text)
        return seen

    @property
    def editions(self) -> list[dict[str, str]]:
        seen: dict[str, str] = {}
        for c in self.citations:
            seen.setdefault(c["title"], c["edition"])
        return [{"title": t, "edition": e} for t, e in seen.items()]

    def to_json(self) -> dict[str, Any]:
        return {
            "violation": {"code": self.violation_code, "name": self.violation_name},
            "province": {"code": self.province, "name": self.province_name},
            "place_code": self.place_code,
            "place_source": self.place_source,
            "obligation_basis": self.obligation_basis(),
            "penalty_basis": self.penalty_basis(),
            "fine": self.fine_text(),
            "confirmed": self.confirmed,
            "unconfirmed": self.unconfirmed,
            "editions": self.editions,
            "citations": self.citations,
            "cooperation_basis": self.cooperation_basis,
            "notes": self.notes,
            "catalogue_edition": self.catalogue_edition,
        }


def _citations(
    ctx: AppContext, code: str, province: str | None, place: str | None
) -> list[dict[str, Any]]:
    rows = ctx.store.query(
        "SELECT * FROM legal_bases WHERE violation_code = ? AND province IN (?, ?)"
        " ORDER BY province != ?, province, role != 'obligation', seq",
        [code, NATIONAL, province or NATIONAL, NATIONAL],
    )
    out = []
    for r in rows:
        if r["province"] != NATIONAL and not scope_applies(r["scope"], place, r["province"]):
            continue
        out.append(
            {
                "role": r["role"],
                "level": "national" if r["province"] == NATIONAL else "local",
                "title": r["title"],
                "article": r["article"],
                "item": r["item"],
                "scope": r["scope"],
                "edition": r["edition"],
                "effective": r["effective"],
                "fine": json.loads(r["fine"] or "{}"),
                "confirmed": bool(r["confirmed"]),
                "read_in": r["read_in"],
                "note": r["note"],
                "text": citation_text({**r, "confirmed": bool(r["confirmed"])}),
            }
        )
    return out


def _legacy(vt: Mapping[str, Any]) -> list[dict[str, Any]]:
    """A format-1 catalogue's one basis per type: shown, but never as confirmed."""
    base = {"level": "legacy", "article": "", "item": "", "scope": NATIONAL, "confirmed": False}
    base |= {"edition": vt["edition"], "effective": "", "read_in": "", "note": "旧格式目录，未分省"}
    return [
        {**base, "role": "obligation", "title": vt["obligation_basis"], "fine": {}},
        {
            **base,
            "role": "penalty",
            "title": vt["penalty_basis"],
            "fine": {"text": vt["fine_note"]}
            if vt["fine_note"]
            else {"any": [vt["fine_min"], vt["fine_max"]]}
            if vt["fine_max"] is not None
            else {},
        },
    ]


def basis_for(
    ctx: AppContext,
    violation_code: str,
    place_code: str | None,
    *,
    agency_code: str | None = None,
) -> LegalBasis:
    """The basis of ``violation_code`` for a case at ``place_code`` (its jurisdiction code).

    ``agency_code`` (the recording agency) is used only when the place has no jurisdiction.
    """
    rows = ctx.store.query("SELECT * FROM violation_types WHERE code = ?", [violation_code])
    if not rows:
        raise NotFoundError(f"未知的违法行为类型：{violation_code}", f"type {violation_code!r}")
    vt = rows[0]
    province = province_of(place_code)
    source = "place" if province else "none"
    notes = []
    if province is None and province_of(agency_code):
        province, source = province_of(agency_code), "agency"
        notes.append(
            f"违法行为发生地未确定管辖，地方性法规按登记机关所在地"
            f"（{PROVINCES.get(province or '', province)}）引用，请核对。"
        )
    elif province is None:
        notes.append("违法行为发生地和登记机关所在地均未确定，仅列全国性依据。")
    if province and province not in PROVINCES:
        notes.append(f"目录不含行政区划代码{province}所在省（市）的地方性法规，仅列全国性依据。")
    place = place_code if source == "place" else None
    cites = _citations(ctx, violation_code, province, place)
    if not cites:
        cites = _legacy(vt)
    coop = ctx.store.query(
        "SELECT title FROM legal_cooperation WHERE place_code = ? AND province = ?",
        [place or "", province or ""],
    )
    return LegalBasis(
        violation_code=violation_code,
        violation_name=vt["name"],
        province=province,
        place_code=place_code,
        place_source=source,
        citations=cites,
        notes=notes,
        cooperation_basis=coop[0]["title"] if coop else "",
        catalogue_edition=vt["edition"],
    )


def list_catalogue(ctx: AppContext, province: str | None = None) -> dict[str, Any]:
    """Every type with its basis in ``province`` (or in each of the four); ``catalogue list``."""
    if province is not None and province not in PROVINCES:
        raise UsageError(
            f"省级代码应为 {'、'.join(PROVINCES)} 之一：{province}", f"province {province!r}"
        )
    provinces = [province] if province else list(PROVINCES)
    types = ctx.store.query(
        "SELECT code, name, category, edition FROM violation_types ORDER BY code"
    )
    items = []
    for vt in types:
        bases = {p: basis_for(ctx, vt["code"], p).to_json() for p in provinces}
        items.append({**vt, "bases": bases})
    edition = ctx.store.scalar("SELECT edition FROM code_tables WHERE name = 'violation_types'")
    return {
        "edition": edition,
        "provinces": {p: PROVINCES[p] for p in provinces},
        "types": items,
        "problems": list(ctx.code_table_problems),
    }


def count_confirmed(listing: Mapping[str, Any]) -> dict[str, dict[str, int]]:
    """Per province: how many citations are confirmed and how many are not (for the report)."""
    out: dict[str, dict[str, int]] = {}
    for vt in listing["types"]:
        for prov, basis in vt["bases"].items():
            bucket = out.setdefault(prov, {"confirmed": 0, "unconfirmed": 0})
            for c in basis["citations"]:
                bucket["confirmed" if c["confirmed"] else "unconfirmed"] += 1
    return out


# Documents ------------------------------------------------------------------------------------
def unverified_fields(
    form_fields: Iterable[Mapping[str, Any]], values: Mapping[str, str]
) -> list[dict[str, str]]:
    """The fields of a document whose value still carries the unconfirmed mark."""
    return [
        {"name": f["name"], "label": f.get("label", f["name"])}
        for f in form_fields
        if UNCONFIRMED_MARK in str(values.get(f["name"], ""))
    ]


def require_verified(form_fields: Iterable[Mapping[str, Any]], values: Mapping[str, str]) -> None:
    """Refuse to issue a document that would print unconfirmed law as settled."""
    fields = unverified_fields(form_fields, values)
    if fields:
        raise UnverifiedBasisError(fields)


def confirm_draft_basis(ctx: AppContext, doc_id: str) -> dict[str, Any]:
    """The officer attests the draft's marked citations were checked against the published text.

    The marks go from the draft's fields in one transaction with a ledger entry naming the
    officer and what was confirmed, so the attestation is on the record (§47).
    """
    from officer_app.services.officers import require_officer

    officer = require_officer(ctx)
    rows = ctx.store.query("SELECT id, status, fields FROM documents WHERE id = ?", [doc_id])
    if not rows and len(doc_id) >= 6:
        rows = ctx.store.query(
            "SELECT id, status, fields FROM documents WHERE id LIKE ? || '%'", [doc_id]
        )
    if len(rows) != 1:
        raise NotFoundError(f"未找到文书：{doc_id}", f"document {doc_id!r} not found")
    doc = rows[0]
    if doc["status"] != "draft":
        raise StateError("只能确认草稿中的法律依据。", f"document {doc['id']} is {doc['status']}")
    fields = json.loads(doc["fields"] or "{}")
    marked = {k: v for k, v in fields.items() if UNCONFIRMED_MARK in str(v)}
    if not marked:
        return {"id": doc["id"], "confirmed_fields": [], "changed": False}
    cleaned = {k: str(v).replace(UNCONFIRMED_MARK, "") for k, v in marked.items()}
    with ctx.store.transaction() as db:
        db.table("documents").update(
            doc["id"],
            {
                "fields": json.dumps({**fields, **cleaned}, ensure_ascii=False, sort_keys=True),
                "updated_at": ctx.now_iso(),
            },
        )
        ledger.append(
            ctx.store,
            "legal_basis_confirmed",
            doc["id"],
            {"fields": sorted(marked), "texts": marked},
            officer_id=officer.id,
        )
    return {"id": doc["id"], "confirmed_fields": sorted(marked), "changed": True}
