"""Reading cases back for the 案件 list: ids in display order, rows fetched a page at a time.

The GUI's table model holds only the ids a filter selects and asks for the rows it shows, so the
list stays quick however many cases an agency keeps; filtering happens here, in SQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from officer_app.services import cases
from officer_app.services.context import AppContext
from officer_app.store.where import Where


@dataclass(frozen=True)
class CaseFilter:
    status: str | None = None
    violation_code: str | None = None
    jurisdiction_code: str | None = None
    text: str | None = None  # place, description, violation name, party names, numbers, plates


def case_ids(ctx: AppContext, flt: CaseFilter) -> list[str]:
    """Ids only, newest first (the order of ``cases.list_cases``)."""
    where = (
        Where()
        .equals("c.status", flt.status)
        .equals("c.violation_code", flt.violation_code)
        .equals("c.jurisdiction_code", flt.jurisdiction_code)
    )
    if flt.text and flt.text.strip():
        like = f"%{flt.text.strip()}%"
        where.add(
            "(c.place LIKE ? OR c.description LIKE ? OR v.name LIKE ? OR EXISTS ("
            "SELECT 1 FROM parties p WHERE p.case_id = c.id AND"
            " (p.name LIKE ? OR p.id_number LIKE ? OR p.plate LIKE ?)) OR EXISTS ("
            "SELECT 1 FROM case_vehicles cv WHERE cv.case_id = c.id AND cv.plate LIKE ?))",
            *[like] * 7,
        )
    rows = ctx.store.execute(
        "SELECT c.id FROM cases c LEFT JOIN violation_types v ON v.code = c.violation_code"
        f" {where.sql()} ORDER BY c.created_at DESC, c.id",
        where.params,
    ).fetchall()
    return [row[0] for row in rows]


def rows_by_ids(ctx: AppContext, ids: list[str]) -> dict[str, dict[str, Any]]:
    """The list's columns for some cases: type, status, time, place, jurisdiction, counts."""
    if not ids:
        return {}
    rows = ctx.store.query(
        "SELECT c.id, c.violation_code, v.name AS violation_name, c.status, c.taken_at, c.place,"
        " c.jurisdiction_code, c.training,"
        " (SELECT count(*) FROM case_evidence ce WHERE ce.case_id = c.id) AS evidence_count,"
        " (SELECT group_concat(coalesce(nullif(p.name, ''), p.plate), '、') FROM parties p"
        "  WHERE p.case_id = c.id) AS parties,"
        " (SELECT group_concat(cv.plate, '、') FROM case_vehicles cv"
        "  WHERE cv.case_id = c.id) AS plates"
        f" FROM cases c LEFT JOIN violation_types v ON v.code = c.violation_code"
        f" WHERE c.id IN ({','.join('?' * len(ids))})",
        ids,
    )
    out = {}
    for r in rows:
        r["jurisdiction"] = cases.jurisdiction_ref(ctx, r["jurisdiction_code"])
        r["training"] = bool(r["training"])
        out[r["id"]] = r
    return out


def jurisdictions_in_use(ctx: AppContext) -> list[dict[str, str]]:
    """The divisions cases are filed under, for the list's jurisdiction filter."""
    codes = [
        row[0]
        for row in ctx.store.execute(
            "SELECT DISTINCT jurisdiction_code FROM cases WHERE jurisdiction_code IS NOT NULL"
            " ORDER BY jurisdiction_code"
        ).fetchall()
    ]
    return [ref for ref in (cases.jurisdiction_ref(ctx, c) for c in codes) if ref is not None]


def divisions(ctx: AppContext) -> list[dict[str, str]]:
    """Every division the code table knows (``{"code", "name"}``), for a jurisdiction change."""
    rows = ctx.store.query(
        "SELECT division_code AS code, min(division_name) AS name FROM agencies"
        " WHERE division_code IS NOT NULL GROUP BY division_code ORDER BY division_code"
    )
    return [{"code": r["code"], "name": r["name"] or ""} for r in rows]


def own_division(ctx: AppContext) -> dict[str, str] | None:
    """The division of the current officer's agency (a squad counts as its district)."""
    from officer_app.services.doc_context import division_agency

    officer = ctx.current_officer()
    if officer is None:
        return None
    agency = division_agency(ctx, officer.agency_code)
    if agency is None:
        return None
    return cases.jurisdiction_ref(ctx, agency.division_code)
