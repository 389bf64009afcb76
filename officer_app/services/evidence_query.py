"""Reading evidence back for lists, the browser and JSON output."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from officer_app.services.context import AppContext
from officer_app.services.recording_path import public_path
from officer_app.store.where import Where

_COLUMNS = (
    "id, sha256, original_name, size, format, taken_at, taken_at_source, lat, lon, alt,"
    " direction, datum, position_source, make, model, orientation, width, height, flags,"
    " jurisdiction_code, patrol_id, imported_at, training, kind, duration_s, codec, path_points,"
    " path_source"
)


def _public(row: dict[str, Any]) -> dict[str, Any]:
    row = dict(row)
    row["flags"] = json.loads(row["flags"])
    row["training"] = bool(row["training"])
    # A moving recording's path as [{t, lat, lon}] and its length; None for a single position.
    row["path"], row["path_length_m"] = public_path(row.pop("path_points", None))
    return row


def list_evidence(ctx: AppContext, *, patrol_id: str | None = None) -> list[dict[str, Any]]:
    where, params = ("WHERE patrol_id = ?", [patrol_id]) if patrol_id else ("", [])
    rows = ctx.store.query(
        f"SELECT {_COLUMNS} FROM evidence {where} ORDER BY taken_at_utc, original_name", params
    )
    return [_public(row) for row in rows]


def get_evidence(ctx: AppContext, evidence_id: str) -> dict[str, Any] | None:
    rows = ctx.store.query(f"SELECT {_COLUMNS}, raw_tags FROM evidence WHERE id = ?", [evidence_id])
    if not rows:
        return None
    item = _public(rows[0])
    item["raw_tags"] = json.loads(item["raw_tags"])
    return item


@dataclass(frozen=True)
class EvidenceFilter:
    patrol_id: str | None = None
    date_from: str | None = None  # UTC ISO, inclusive
    date_to: str | None = None  # UTC ISO, exclusive
    has_position: bool | None = None
    flag: str | None = None


def evidence_ids(ctx: AppContext, flt: EvidenceFilter) -> list[str]:
    """Ids only, in display order: the browser's model fetches rows lazily by id."""
    where = Where().equals("patrol_id", flt.patrol_id)
    if flt.date_from:
        where.add("taken_at_utc >= ?", flt.date_from)
    if flt.date_to:
        where.add("taken_at_utc < ?", flt.date_to)
    if flt.has_position is not None:
        where.add("lat IS NOT NULL" if flt.has_position else "lat IS NULL")
    if flt.flag:
        where.add("EXISTS (SELECT 1 FROM json_each(evidence.flags) WHERE value = ?)", flt.flag)
    rows = ctx.store.execute(
        f"SELECT id FROM evidence {where.sql()} ORDER BY taken_at_utc, original_name",
        where.params,
    ).fetchall()
    return [row[0] for row in rows]


def rows_by_ids(ctx: AppContext, ids: list[str]) -> dict[str, dict[str, Any]]:
    if not ids:
        return {}
    rows = ctx.store.query(
        f"SELECT {_COLUMNS} FROM evidence WHERE id IN ({','.join('?' * len(ids))})", ids
    )
    return {row["id"]: _public(row) for row in rows}
