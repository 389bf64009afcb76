"""What the offline map draws, in Web Mercator "world units", without Qt.

Why a separate module: the map widget must hold no SQL and no geometry code, and the benchmark
must be able to time the expensive part (simplifying and projecting 305 district outlines) on its
own. The outlines come from the very index that decides jurisdiction, so what the officer sees on
the map is what the lookup uses.

Units: the Web Mercator world is a square of ``WORLD`` = 256 units (the size of the zoom-0 tile),
x growing east from 180°W, y growing south from 85.05°N. At zoom level z one unit is 2**z
screen pixels, and tile (z, x, y) in XYZ numbering covers [x, x+1] * 256 / 2**z.
"""

from __future__ import annotations

import json
import math
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from officer_app.services import jurisdiction

if TYPE_CHECKING:
    import numpy as np

    from officer_app.services.context import AppContext

WORLD = 256.0
MAX_LAT = 85.05112878
#: Outline simplification for the zoomed-out view, in degrees (~200 m): 249k -> 43k vertices.
COARSE_TOLERANCE_DEG = 0.002


def project(lat: float, lon: float) -> tuple[float, float]:
    """WGS-84 (lat, lon) -> world (x, y)."""
    lat = max(-MAX_LAT, min(MAX_LAT, lat))
    x = (lon + 180.0) / 360.0 * WORLD
    s = math.sin(math.radians(lat))
    y = (0.5 - math.log((1.0 + s) / (1.0 - s)) / (4.0 * math.pi)) * WORLD
    return x, y


def unproject(x: float, y: float) -> tuple[float, float]:
    """World (x, y) -> WGS-84 (lat, lon)."""
    lon = x / WORLD * 360.0 - 180.0
    n = math.pi * (1.0 - 2.0 * y / WORLD)
    lat = math.degrees(math.atan(math.sinh(n)))
    return lat, lon


def project_lonlat(coords: np.ndarray) -> np.ndarray:
    """An (n, 2) array of (lon, lat) -> (n, 2) world (x, y), vectorised."""
    import numpy as np

    lon = coords[:, 0]
    lat = np.clip(coords[:, 1], -MAX_LAT, MAX_LAT)
    s = np.sin(np.radians(lat))
    x = (lon + 180.0) / 360.0 * WORLD
    y = (0.5 - np.log((1.0 + s) / (1.0 - s)) / (4.0 * math.pi)) * WORLD
    return np.column_stack([x, y])


@dataclass(frozen=True)
class DistrictOutline:
    """One district, projected: full-detail rings, simplified rings, a label point, bounds."""

    code: str
    name: str
    province: str
    label_x: float
    label_y: float
    bounds: tuple[float, float, float, float]  # x0, y0, x1, y1 in world units
    rings: list[np.ndarray] = field(repr=False)
    coarse_rings: list[np.ndarray] = field(repr=False)


def _rings(geom: Any) -> list[np.ndarray]:
    import shapely

    out = []
    for ring in shapely.get_rings(shapely.get_parts(geom)):
        coords = shapely.get_coordinates(ring)
        if len(coords) >= 3:
            out.append(project_lonlat(coords))
    return out


def build_outlines(coarse_tolerance_deg: float = COARSE_TOLERANCE_DEG) -> list[DistrictOutline]:
    """Project every district of the jurisdiction index (slow: about a second, run off-thread)."""
    import shapely

    outlines = []
    for district in jurisdiction.index().districts:
        geom = district.geometry
        label = shapely.point_on_surface(geom)
        lx, ly = project(label.y, label.x)
        x0, y0, x1, y1 = geom.bounds  # lon/lat
        px0, py1 = project(y0, x0)
        px1, py0 = project(y1, x1)
        coarse = shapely.simplify(geom, coarse_tolerance_deg, preserve_topology=True)
        outlines.append(
            DistrictOutline(
                code=district.code,
                name=district.name,
                province=district.province,
                label_x=lx,
                label_y=ly,
                bounds=(px0, py0, px1, py1),
                rings=_rings(geom),
                coarse_rings=_rings(coarse),
            )
        )
    return outlines


_lock = threading.Lock()
_outlines: list[DistrictOutline] | None = None


def district_outlines() -> list[DistrictOutline]:
    """The projected outlines, computed once per process (the map pages share them)."""
    global _outlines
    with _lock:
        if _outlines is None:
            _outlines = build_outlines()
        return _outlines


# -- Points -------------------------------------------------------------------------------------


def evidence_markers(ctx: AppContext, ids: list[str]) -> list[dict[str, Any]]:
    """The positioned photos among ``ids``, in the given order."""
    found: dict[str, dict[str, Any]] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        rows = ctx.store.query(
            "SELECT id, original_name, taken_at, lat, lon, position_source, jurisdiction_code"
            f" FROM evidence WHERE lat IS NOT NULL AND id IN ({','.join('?' * len(chunk))})",
            chunk,
        )
        found.update((row["id"], row) for row in rows)
    return [found[i] for i in ids if i in found]


def case_markers(
    ctx: AppContext, *, patrol_id: str | None = None, evidence_ids: list[str] | None = None
) -> list[dict[str, Any]]:
    """Positioned cases of a patrol, or the cases that use any of the given photos."""
    base = (
        "SELECT DISTINCT c.id, c.status, c.place, c.lat, c.lon, c.jurisdiction_code,"
        " COALESCE(v.name, c.violation_code, '') AS violation_name FROM cases c"
        " LEFT JOIN violation_types v ON v.code = c.violation_code"
    )
    if patrol_id is not None:
        return ctx.store.query(
            base + " WHERE c.lat IS NOT NULL AND c.patrol_id = ? ORDER BY c.taken_at, c.id",
            [patrol_id],
        )
    if evidence_ids is None:
        return ctx.store.query(base + " WHERE c.lat IS NOT NULL ORDER BY c.taken_at, c.id")
    out: dict[str, dict[str, Any]] = {}
    for start in range(0, len(evidence_ids), 500):
        chunk = evidence_ids[start : start + 500]
        rows = ctx.store.query(
            base + " JOIN case_evidence ce ON ce.case_id = c.id"
            f" WHERE c.lat IS NOT NULL AND ce.evidence_id IN ({','.join('?' * len(chunk))})",
            chunk,
        )
        out.update((row["id"], row) for row in rows)
    return list(out.values())


def patrol_track(ctx: AppContext, patrol_id: str) -> list[list[tuple[float, float]]]:
    """The GPX segments of a patrol as lists of WGS-84 (lat, lon)."""
    segments: list[list[tuple[float, float]]] = []
    for (points,) in ctx.store.execute(
        "SELECT points FROM tracks WHERE patrol_id = ? ORDER BY start_utc", [patrol_id]
    ):
        for segment in json.loads(points):
            line = [(float(p[1]), float(p[2])) for p in segment if p[1] is not None]
            if len(line) >= 2:
                segments.append(line)
    return segments


def district_name(code: str | None) -> str:
    """The district's name from the boundaries, or ``""``."""
    if not code:
        return ""
    district = jurisdiction.index().district(code)
    return district.name if district else ""
