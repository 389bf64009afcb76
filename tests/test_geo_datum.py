"""WGS-84 / GCJ-02 / BD-09 conversions against published reference vectors."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from officer_app.geo import datum


def _metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Haversine distance between two (lat, lon) points, independent of the module under test."""
    r = 6371008.8
    p1, p2 = math.radians(a[0]), math.radians(b[0])
    dp = p2 - p1
    dl = math.radians(b[1] - a[1])
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(h))


# DOMAIN.md §6 reference vectors, given there as (lng, lat); here as (lat, lon).
@pytest.mark.parametrize(
    ("wgs", "gcj"),
    [
        ((39.915, 116.404), (39.91640428150164, 116.41024449916938)),
        ((31.1508, 121.1244), (31.148906853, 121.128997822)),
    ],
)
def test_wgs84_to_gcj02_reference_vectors(
    wgs: tuple[float, float], gcj: tuple[float, float]
) -> None:
    got = datum.wgs84_to_gcj02(*wgs)
    assert got[0] == pytest.approx(gcj[0], abs=1e-9)
    assert got[1] == pytest.approx(gcj[1], abs=1e-9)


def test_wgs84_to_bd09_reference_vector() -> None:
    # gcoord's README: WGS-84 [116.403988, 39.914266] -> BD-09 [116.41661560068297, 39.92196580126834]
    lat, lon = datum.wgs84_to_bd09(39.914266, 116.403988)
    assert lat == pytest.approx(39.92196580126834, abs=1e-9)
    assert lon == pytest.approx(116.41661560068297, abs=1e-9)


def test_inverse_against_published_service_example() -> None:
    # Alibaba Cloud address API example: GCJ02 120.026268,30.279164 -> WGS84 120.021519,30.281543,
    # BD09 120.032768,30.285238. The service's own inverse is the common one-step approximation,
    # good to a few metres only, so its WGS-84 value is matched within 3 m (our inverse is exact
    # to 1 cm, see the round-trip tests); BD-09 is a closed form and matches within 1 m.
    w_lat, w_lon = datum.gcj02_to_wgs84(30.279164, 120.026268)
    assert _metres((w_lat, w_lon), (30.281543, 120.021519)) < 3.0
    b_lat, b_lon = datum.gcj02_to_bd09(30.279164, 120.026268)
    assert _metres((b_lat, b_lon), (30.285238, 120.032768)) < 1.0


def test_shift_near_shanghai_is_about_half_a_kilometre() -> None:
    shift = _metres((31.1508, 121.1244), datum.wgs84_to_gcj02(31.1508, 121.1244))
    assert 400 < shift < 600


@pytest.mark.parametrize(
    ("lat", "lon"),
    [(51.5074, -0.1278), (35.6762, 139.6503), (-33.87, 151.21), (-6.2, 106.8), (60.0, 100.0)],
)
def test_outside_china_is_unchanged(lat: float, lon: float) -> None:
    assert datum.wgs84_to_gcj02(lat, lon) == (lat, lon)
    assert datum.gcj02_to_wgs84(lat, lon) == (lat, lon)


china_lat = st.floats(min_value=18.0, max_value=53.5, allow_nan=False)
china_lon = st.floats(min_value=73.7, max_value=135.0, allow_nan=False)


@settings(max_examples=300, deadline=None)
@given(china_lat, china_lon)
def test_gcj02_round_trip_better_than_a_centimetre(lat: float, lon: float) -> None:
    back = datum.gcj02_to_wgs84(*datum.wgs84_to_gcj02(lat, lon))
    assert _metres((lat, lon), back) < 0.01


@settings(max_examples=300, deadline=None)
@given(china_lat, china_lon)
def test_bd09_round_trip_better_than_a_centimetre(lat: float, lon: float) -> None:
    back = datum.bd09_to_wgs84(*datum.wgs84_to_bd09(lat, lon))
    assert _metres((lat, lon), back) < 0.01


@settings(max_examples=200, deadline=None)
@given(china_lat, china_lon)
def test_inverse_is_a_true_inverse_of_the_forward_shift(lat: float, lon: float) -> None:
    # Treat (lat, lon) as GCJ-02: the recovered WGS-84 point must map forward onto it.
    w = datum.gcj02_to_wgs84(lat, lon)
    assert _metres(datum.wgs84_to_gcj02(*w), (lat, lon)) < 0.01
    assert _metres(w, (lat, lon)) > 1.0  # and it really moved: the shift is never ~0 in China


def test_generic_dispatch_and_unknown_datum() -> None:
    p = (31.1508, 121.1244)
    assert datum.to_wgs84(*datum.from_wgs84(*p, "gcj02"), "gcj02") == pytest.approx(p, abs=1e-7)
    assert datum.to_wgs84(*datum.from_wgs84(*p, "bd09"), "bd09") == pytest.approx(p, abs=1e-7)
    assert datum.to_wgs84(*p, "wgs84") == p
    with pytest.raises(ValueError, match="unknown datum"):
        datum.to_wgs84(*p, "utm")
    with pytest.raises(ValueError, match="unknown datum"):
        datum.from_wgs84(*p, "beijing54")
