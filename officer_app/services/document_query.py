"""Reading documents back for the 文书 list: ids in display order, rows fetched a page at a time."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from officer_app.services.context import AppContext
from officer_app.services.documents import STATUS_ZH
from officer_app.store.where import Where


@dataclass(frozen=True)
class DocumentFilter:
    status: str | None = None
    case_id: str | None = None
    text: str | None = None  # number, title


def document_ids(ctx: AppContext, flt: DocumentFilter) -> list[str]:
    """Ids only, newest first."""
    where = Where().equals("status", flt.status).equals("case_id", flt.case_id)
    if flt.text and flt.text.strip():
        like = f"%{flt.text.strip()}%"
        where.add("(number LIKE ? OR title LIKE ?)", like, like)
    rows = ctx.store.execute(
        f"SELECT id FROM documents {where.sql()} ORDER BY created_at DESC, id DESC", where.params
    ).fetchall()
    return [row[0] for row in rows]


def rows_by_ids(ctx: AppContext, ids: list[str]) -> dict[str, dict[str, Any]]:
    """The list's columns: number, form title, case (its violation and place), status, date."""
    if not ids:
        return {}
    rows = ctx.store.query(
        "SELECT d.id, d.form_id, d.title, d.case_id, d.patrol_id, d.status, d.number, d.version,"
        " d.issued_at, d.created_at, d.pages, d.pdf_sha256, d.training,"
        " v.name AS case_violation, c.place AS case_place, c.taken_at AS case_taken_at"
        " FROM documents d LEFT JOIN cases c ON c.id = d.case_id"
        " LEFT JOIN violation_types v ON v.code = c.violation_code"
        f" WHERE d.id IN ({','.join('?' * len(ids))})",
        ids,
    )
    out = {}
    for r in rows:
        r["status_zh"] = STATUS_ZH.get(r["status"], r["status"])
        r["training"] = bool(r["training"])
        out[r["id"]] = r
    return out
