"""Jurisdiction of a position, with the boundary index loaded once per process."""

from __future__ import annotations

import math
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from officer_app.errors import ValidationError
from officer_app.paths import resources_dir

if TYPE_CHECKING:
    from officer_app.geo.jurisdiction import JurisdictionIndex, JurisdictionResult
    from officer_app.services.context import AppContext

_lock = threading.Lock()
_index: JurisdictionIndex | None = None


def index() -> JurisdictionIndex:
    """The boundary index; loading costs a fraction of a second, so it happens on first use."""
    global _index
    with _lock:
        if _index is None:
            from officer_app.geo.jurisdiction import JurisdictionIndex

            _index = JurisdictionIndex.load(resources_dir() / "boundaries")
        return _index


def lookup(
    lat: float, lon: float, *, datum: str = "wgs84", near_border_m: float = 200.0
) -> JurisdictionResult:
    return index().lookup(lat, lon, datum=datum, near_border_m=near_border_m)


def code_for(lat: float | None, lon: float | None) -> str | None:
    """The division code a WGS-84 position falls in, or ``None`` when unknown."""
    if lat is None or lon is None:
        return None
    result = lookup(lat, lon)
    return result.code if result.status in ("inside", "shared") else None


def district_agency(ctx: AppContext, code: str | None) -> dict[str, str] | None:
    """The district-level agency responsible for a division code, as ``{"code", "name"}``."""
    if code is None:
        return None
    rows = ctx.store.query(
        "SELECT code, name FROM agencies WHERE division_code = ? AND parent_code IS NULL"
        " ORDER BY code LIMIT 1",
        [code],
    )
    return rows[0] if rows else None


def describe(
    ctx: AppContext, lat: float, lon: float, *, datum: str = "wgs84", near_border_m: float = 200.0
) -> dict[str, Any]:
    """The JSON answer of ``officer-app jurisdiction``, with the responsible agency filled in."""
    if not (math.isfinite(lat) and math.isfinite(lon) and math.isfinite(near_border_m)):
        raise ValidationError(
            "纬度、经度和边界提醒距离必须是有效数字。", f"non-finite {lat!r}, {lon!r}"
        )
    result = lookup(lat, lon, datum=datum, near_border_m=near_border_m)
    data = result.to_json()
    data["agency"] = district_agency(ctx, result.code)
    return data


_shared: dict[Path, tuple[tuple[tuple[str, int], ...], JurisdictionIndex | None]] = {}


def deployment_boundaries_dir(ctx: AppContext) -> Path:
    """Where a deployment puts the shared areas of its agreements (``*.geojson``, README format)."""
    return ctx.data.root / "boundaries"


def _shared_index(folder: Path) -> JurisdictionIndex | None:
    """The shared areas (共同管辖区域) of one folder, without the districts (cheap: the GUI asks
    for every case it shows), reloaded when a file changes; ``*.example.*`` files never count."""
    import json

    from officer_app.geo.jurisdiction import JurisdictionIndex

    files = sorted(folder.glob("*.geojson")) if folder.is_dir() else []
    files = [f for f in files if ".example." not in f.name]
    key = tuple((str(f), f.stat().st_mtime_ns) for f in files)
    with _lock:
        cached = _shared.get(folder)
        if cached is not None and cached[0] == key:
            return cached[1]
    areas: dict[str, Any] = {}
    for path in files:
        with path.open(encoding="utf-8") as fh:
            kind = json.load(fh).get("kind")
        if kind == "shared_areas":
            JurisdictionIndex._load_file(path, {}, areas)
    idx = JurisdictionIndex([], list(areas.values())) if areas else None
    with _lock:
        _shared[folder] = (key, idx)
    return idx


def shared_area_at(
    ctx: AppContext, lat: float, lon: float, datum: str = "wgs84"
) -> dict[str, Any] | None:
    """The 共同管辖区域 at a position (``{"id", "name", "members"}``): the shipped boundaries'
    areas, then those the deployment put in ``<data_dir>/boundaries``."""
    for folder in (resources_dir() / "boundaries", deployment_boundaries_dir(ctx)):
        idx = _shared_index(folder)
        if idx is None:
            continue
        result = idx.lookup(lat, lon, datum=datum)
        if result.status == "shared":
            return {
                "id": result.shared_area_id,
                "name": result.shared_area_name,
                "members": list(result.shared_members),
            }
    return None
