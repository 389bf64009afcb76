"""Point-in-polygon jurisdiction lookup over district and shared-area boundary files.

Why: 行政处罚法 §22 gives jurisdiction to the place of the violation, so the position of a photo
decides which agency handles a case, and whether the app proposes a transfer. Positions near a
border are where mistakes happen (GPS error is 5-30 m, the shipped polygons are unofficial), so the
result carries the distance to the boundary and a near-border flag for the officer to confirm.

Files (GeoJSON FeatureCollections, WGS-84 unless their ``datum`` says otherwise):

- district files: top-level ``"kind": "districts"``; each feature has ``adcode``, ``name`` and
  ``province``. Loaded in order; a later feature with the same ``adcode`` replaces an earlier one,
  so a deployment drops official polygons into an extra directory to override the shipped ones.
- shared-area files: top-level ``"kind": "shared_areas"``; each feature has ``id``, ``name``,
  ``members`` (agency codes) and ``datum`` (``wgs84``, ``cgcs2000``, ``gcj02`` or ``bd09``).

Files named ``*.example.geojson`` are skipped unless ``include_examples=True``: the shipped example
shared area is fictional and must never decide a real case.

Distances are computed in a local equirectangular frame centred on the query point with the
WGS-84 ellipsoid's radii of curvature there; within tens of kilometres the error is below 0.5 %.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Point, Polygon, shape

from officer_app.geo.datum import to_wgs84

Status = Literal["inside", "shared", "unknown"]

# CGCS2000 differs from WGS-84 by centimetres: far below field accuracy, treated as identical.
_FILE_DATUMS = {"wgs84": "wgs84", "cgcs2000": "wgs84", "gcj02": "gcj02", "bd09": "bd09"}

_WGS84_A = 6378137.0
_WGS84_E2 = 6.69437999014e-3

DEFAULT_NEAR_BORDER_M = 200.0
DEFAULT_NEAREST_MAX_M = 50_000.0
HINT_SWAPPED = "lat_lon_swapped"


class BoundaryDataError(ValueError):
    """A boundary file is malformed or uses an unknown datum."""


def metres_per_degree(lat: float) -> tuple[float, float]:
    """Metres per degree of (longitude, latitude) at ``lat`` on the WGS-84 ellipsoid."""
    phi = math.radians(lat)
    s2 = math.sin(phi) ** 2
    w = math.sqrt(1.0 - _WGS84_E2 * s2)
    meridional = _WGS84_A * (1.0 - _WGS84_E2) / (w**3)
    prime_vertical = _WGS84_A / w
    return math.radians(1.0) * prime_vertical * math.cos(phi), math.radians(1.0) * meridional


@dataclass(frozen=True)
class District:
    """One district / county polygon with its GB/T 2260 code."""

    code: str
    name: str
    province: str
    geometry: MultiPolygon | Polygon
    boundary_xy: np.ndarray = field(
        repr=False, compare=False
    )  # (n, 4) segments lon0 lat0 lon1 lat1


@dataclass(frozen=True)
class SharedArea:
    """A jointly held area (共同管辖区域) from an agreement, with its member agency codes."""

    id: str
    name: str
    members: tuple[str, ...]
    geometry: MultiPolygon | Polygon


@dataclass(frozen=True)
class JurisdictionResult:
    """Where a point falls. ``code``/``name``/``province`` name the district (also for 'shared')."""

    status: Status
    code: str | None = None
    name: str | None = None
    province: str | None = None
    boundary_distance_m: float | None = None
    near_border: bool = False
    shared_members: tuple[str, ...] = ()
    shared_area_id: str | None = None
    shared_area_name: str | None = None
    swapped_hint: bool = False
    nearest_code: str | None = None
    nearest_name: str | None = None
    nearest_distance_m: float | None = None
    lat: float | None = None
    lon: float | None = None

    @property
    def hint(self) -> str | None:
        """A machine-readable hint for the officer: lat/lon probably entered swapped."""
        return HINT_SWAPPED if self.swapped_hint else None

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict. ``agency`` is left None: the caller maps code -> agency."""
        return {
            "status": self.status,
            "code": self.code,
            "name": self.name,
            "agency": None,
            "boundary_distance_m": (
                None if self.boundary_distance_m is None else round(self.boundary_distance_m, 1)
            ),
            "near_border": self.near_border,
            "shared_members": list(self.shared_members),
            "hint": self.hint,
            # extras beyond the agreed keys, harmless to ignore
            "province": self.province,
            "shared_area_id": self.shared_area_id,
            "shared_area_name": self.shared_area_name,
            "nearest_code": self.nearest_code,
            "nearest_distance_m": (
                None if self.nearest_distance_m is None else round(self.nearest_distance_m, 1)
            ),
        }


def _segments(geom: Polygon | MultiPolygon) -> np.ndarray:
    """All boundary edges of a polygon as an (n, 4) array (lon0, lat0, lon1, lat1)."""
    parts: list[np.ndarray] = []
    for ring in shapely.get_rings(shapely.get_parts(geom)):
        c = shapely.get_coordinates(ring)
        if len(c) >= 2:
            parts.append(np.hstack([c[:-1], c[1:]]))
    return np.vstack(parts) if parts else np.empty((0, 4))


def _distance_to_segments_m(lat: float, lon: float, seg: np.ndarray) -> float:
    """Metres from (lat, lon) to the nearest of the segments, in a local metric frame."""
    if len(seg) == 0:
        return math.inf
    mx, my = metres_per_degree(lat)
    ax = (seg[:, 0] - lon) * mx
    ay = (seg[:, 1] - lat) * my
    bx = (seg[:, 2] - lon) * mx
    by = (seg[:, 3] - lat) * my
    dx, dy = bx - ax, by - ay
    len2 = dx * dx + dy * dy
    with np.errstate(invalid="ignore", divide="ignore"):
        t = np.where(len2 > 0, -(ax * dx + ay * dy) / len2, 0.0)
    t = np.clip(t, 0.0, 1.0)
    px, py = ax + t * dx, ay + t * dy
    return float(np.sqrt(np.min(px * px + py * py)))


def _convert_geometry(geom: Any, datum: str) -> Any:
    """Bring a geometry from a file's datum to WGS-84 (vertex by vertex)."""
    norm = _FILE_DATUMS.get(str(datum).lower())
    if norm is None:
        raise BoundaryDataError(f"unknown datum {datum!r}")
    if norm == "wgs84":
        return geom

    def convert(coords: np.ndarray) -> np.ndarray:
        out = np.empty_like(coords)
        for i, (lon, lat) in enumerate(coords):
            w_lat, w_lon = to_wgs84(float(lat), float(lon), norm)
            out[i] = (w_lon, w_lat)
        return out

    return shapely.transform(geom, convert)


def _polygonal(geom: Any, where: str) -> Polygon | MultiPolygon:
    if not isinstance(geom, Polygon | MultiPolygon):
        raise BoundaryDataError(f"{where}: geometry must be Polygon or MultiPolygon")
    if geom.is_valid:
        return geom
    parts = [g for g in shapely.get_parts(shapely.make_valid(geom)) if isinstance(g, Polygon)]
    return MultiPolygon(parts)


def _boundary_files(directory: Path, include_examples: bool) -> list[Path]:
    files = sorted(directory.glob("*.geojson"))
    if not include_examples:
        files = [f for f in files if ".example." not in f.name]
    return files


class JurisdictionIndex:
    """District and shared-area polygons with an STRtree for fast lookups."""

    def __init__(self, districts: Sequence[District], shared_areas: Sequence[SharedArea]) -> None:
        self.districts: tuple[District, ...] = tuple(districts)
        self.shared_areas: tuple[SharedArea, ...] = tuple(shared_areas)
        self._tree = shapely.STRtree([d.geometry for d in self.districts])
        self._shared_tree = shapely.STRtree([a.geometry for a in self.shared_areas])
        for d in self.districts:
            shapely.prepare(d.geometry)
        for a in self.shared_areas:
            shapely.prepare(a.geometry)
        self._by_code = {d.code: d for d in self.districts}

    # -- loading -------------------------------------------------------------------------------

    @classmethod
    def load(
        cls,
        boundaries_dir: Path,
        extra_dirs: Iterable[Path] = (),
        *,
        include_examples: bool = False,
    ) -> JurisdictionIndex:
        """Load every ``*.geojson`` of ``boundaries_dir`` then of each extra directory.

        Later directories override earlier ones district by district (same ``adcode``), and add
        shared areas (same ``id`` replaces). Missing extra directories are ignored, so a
        configured-but-empty deployment directory is not an error.
        """
        districts: dict[str, District] = {}
        shared: dict[str, SharedArea] = {}
        dirs = [Path(boundaries_dir), *(Path(d) for d in extra_dirs)]
        if not dirs[0].is_dir():
            raise FileNotFoundError(f"boundaries directory not found: {dirs[0]}")
        for directory in dirs:
            if not directory.is_dir():
                continue
            for path in _boundary_files(directory, include_examples):
                cls._load_file(path, districts, shared)
        return cls(list(districts.values()), list(shared.values()))

    @staticmethod
    def _load_file(
        path: Path, districts: dict[str, District], shared: dict[str, SharedArea]
    ) -> None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise BoundaryDataError(f"{path}: cannot read GeoJSON: {exc}") from exc
        if data.get("type") != "FeatureCollection":
            raise BoundaryDataError(f"{path}: not a FeatureCollection")
        kind = data.get("kind")
        file_datum = data.get("datum", "wgs84")
        for i, feat in enumerate(data.get("features", [])):
            props = feat.get("properties") or {}
            where = f"{path.name} feature {i}"
            geom = _polygonal(
                _convert_geometry(shape(feat["geometry"]), props.get("datum", file_datum)), where
            )
            if kind == "districts":
                code = str(props.get("adcode") or "")
                if not code:
                    raise BoundaryDataError(f"{where}: missing adcode")
                districts[code] = District(
                    code=code,
                    name=str(props.get("name", "")),
                    province=str(props.get("province", "")),
                    geometry=geom,
                    boundary_xy=_segments(geom),
                )
            elif kind == "shared_areas":
                area_id = str(props.get("id") or "")
                members = props.get("members")
                if not area_id or not isinstance(members, list) or len(members) < 2:
                    raise BoundaryDataError(f"{where}: needs id and at least two members")
                if "datum" not in props:
                    raise BoundaryDataError(f"{where}: a shared area must state its datum")
                shared[area_id] = SharedArea(
                    id=area_id,
                    name=str(props.get("name", "")),
                    members=tuple(str(m) for m in members),
                    geometry=geom,
                )
            else:
                raise BoundaryDataError(
                    f"{path}: top-level 'kind' must be 'districts' or 'shared_areas'"
                )

    # -- queries -------------------------------------------------------------------------------

    def district(self, code: str) -> District | None:
        """The loaded district with this code, if any."""
        return self._by_code.get(code)

    def _containing(self, lat: float, lon: float) -> list[District]:
        if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
            return []
        idx = self._tree.query(Point(lon, lat), predicate="intersects")
        return [self.districts[int(i)] for i in idx]

    def _nearest(self, lat: float, lon: float, max_m: float) -> tuple[District, float] | None:
        if not self.districts or not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
            return None
        mx, my = metres_per_degree(lat)
        if mx <= 0:
            return None
        half_lon, half_lat = max_m / mx, max_m / my
        window = shapely.box(lon - half_lon, lat - half_lat, lon + half_lon, lat + half_lat)
        best: tuple[District, float] | None = None
        for i in self._tree.query(window):
            d = self.districts[int(i)]
            dist = _distance_to_segments_m(lat, lon, d.boundary_xy)
            if dist <= max_m and (best is None or dist < best[1]):
                best = (d, dist)
        return best

    def lookup(
        self,
        lat: float,
        lon: float,
        datum: str = "wgs84",
        near_border_m: float = DEFAULT_NEAR_BORDER_M,
        *,
        nearest_max_m: float = DEFAULT_NEAREST_MAX_M,
    ) -> JurisdictionResult:
        """Which district (and shared area) contains (lat, lon) given in ``datum``.

        Raises ValueError for non-finite input or an unknown datum. Out-of-range latitude is
        not an error: it comes back 'unknown', with ``swapped_hint`` if (lon, lat) would fit.
        """
        if not (math.isfinite(lat) and math.isfinite(lon)):
            raise ValueError("latitude and longitude must be finite numbers")
        w_lat, w_lon = _to_wgs84_checked(lat, lon, datum)
        hits = self._containing(w_lat, w_lon)
        shared_hit = self._shared_at(w_lat, w_lon)
        if not hits and shared_hit is None:
            return self._unknown(lat, lon, w_lat, w_lon, datum, nearest_max_m)
        district: District | None = None
        dist: float | None = None
        if hits:
            # Unofficial polygons can overlap by a few metres: take the one the point is deepest in.
            scored = [(_distance_to_segments_m(w_lat, w_lon, d.boundary_xy), d) for d in hits]
            dist, district = max(scored, key=lambda t: t[0])
        near = dist is not None and dist <= near_border_m
        common: dict[str, Any] = {
            "code": district.code if district else None,
            "name": district.name if district else None,
            "province": district.province if district else None,
            "boundary_distance_m": dist,
            "near_border": near,
            "lat": w_lat,
            "lon": w_lon,
        }
        if shared_hit is not None:
            return JurisdictionResult(
                status="shared",
                shared_members=shared_hit.members,
                shared_area_id=shared_hit.id,
                shared_area_name=shared_hit.name,
                **common,
            )
        return JurisdictionResult(status="inside", **common)

    def _shared_at(self, lat: float, lon: float) -> SharedArea | None:
        if not self.shared_areas or not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
            return None
        idx = self._shared_tree.query(Point(lon, lat), predicate="intersects")
        return self.shared_areas[int(idx[0])] if len(idx) else None

    def _unknown(
        self, lat: float, lon: float, w_lat: float, w_lon: float, datum: str, nearest_max_m: float
    ) -> JurisdictionResult:
        swapped = False
        if lat != lon:
            try:
                s_lat, s_lon = _to_wgs84_checked(lon, lat, datum)
            except ValueError:
                s_lat, s_lon = math.nan, math.nan
            swapped = math.isfinite(s_lat) and bool(self._containing(s_lat, s_lon))
        nearest = self._nearest(w_lat, w_lon, nearest_max_m)
        return JurisdictionResult(
            status="unknown",
            swapped_hint=swapped,
            nearest_code=nearest[0].code if nearest else None,
            nearest_name=nearest[0].name if nearest else None,
            nearest_distance_m=nearest[1] if nearest else None,
            lat=w_lat,
            lon=w_lon,
        )


def _to_wgs84_checked(lat: float, lon: float, datum: str) -> tuple[float, float]:
    norm = _FILE_DATUMS.get(datum.lower())
    if norm is None:
        raise ValueError(f"unknown datum {datum!r}")
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
        return lat, lon  # leave impossible positions alone; they come back 'unknown'
    return to_wgs84(lat, lon, norm)
