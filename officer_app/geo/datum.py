"""Conversions between WGS-84, GCJ-02 and BD-09 geographic coordinates.

Why this exists: cameras, phones and GPX tracks record WGS-84, but Chinese web maps (Gaode/Amap,
Tencent) draw in GCJ-02, an obfuscated datum shifted by roughly 500 m around Shanghai, and Baidu
adds BD-09 on top. Boundary data scraped from those services, and positions an officer copies
from such a map, are in the shifted datum; mixing them with WGS-84 photo positions moves a
violation across a district border. The app stores WGS-84 and converts only at the edges.

The forward formulas are the widely published approximation of GCJ-02 (Krasovsky-like ellipsoid
constants a = 6378245.0, ee = 0.00669342162296594323, offsets evaluated at (lng - 105, lat - 35)).
Outside China's bounding box no shift is applied, as the public algorithm does.
The inverse has no closed form; it is solved by fixed-point iteration to better than 0.01 m.

Argument order: every public function takes ``(lat, lon)`` and returns ``(lat, lon)``, in
decimal degrees, matching how officers and EXIF speak of positions ("north, east"). GeoJSON and
shapely use (lon, lat): convert at that boundary, not here.
"""

from __future__ import annotations

import math
from typing import Final, Literal

Datum = Literal["wgs84", "gcj02", "bd09"]
DATUMS: Final[tuple[Datum, ...]] = ("wgs84", "gcj02", "bd09")

_A: Final = 6378245.0
_EE: Final = 0.00669342162296594323
_X_PI: Final = math.pi * 3000.0 / 180.0

# Bounding box used by the public algorithm to decide "inside China" (no shift outside it).
CHINA_BBOX: Final = (0.8293, 55.8271, 72.004, 137.8347)  # min lat, max lat, min lon, max lon

# One degree of latitude is ~111 km, so 1e-7 degrees is ~1 cm. Iterate below that.
_INVERSE_TOLERANCE_DEG: Final = 1e-8
_INVERSE_MAX_ITERATIONS: Final = 30


def out_of_china(lat: float, lon: float) -> bool:
    """True when the public GCJ-02 algorithm leaves the point unshifted."""
    min_lat, max_lat, min_lon, max_lon = CHINA_BBOX
    return not (min_lon <= lon <= max_lon and min_lat <= lat <= max_lat)


def _transform_lat(x: float, y: float) -> float:
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (160.0 * math.sin(y / 12.0 * math.pi) + 320.0 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return ret


def _transform_lon(x: float, y: float) -> float:
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return ret


def _gcj_delta(lat: float, lon: float) -> tuple[float, float]:
    """The GCJ-02 shift (dlat, dlon) in degrees at a WGS-84 point."""
    dlat = _transform_lat(lon - 105.0, lat - 35.0)
    dlon = _transform_lon(lon - 105.0, lat - 35.0)
    radlat = lat / 180.0 * math.pi
    magic = math.sin(radlat)
    magic = 1 - _EE * magic * magic
    sqrtmagic = math.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrtmagic) * math.pi)
    dlon = (dlon * 180.0) / (_A / sqrtmagic * math.cos(radlat) * math.pi)
    return dlat, dlon


def wgs84_to_gcj02(lat: float, lon: float) -> tuple[float, float]:
    """WGS-84 (lat, lon) -> GCJ-02 (lat, lon). Unchanged outside China's bounding box."""
    if out_of_china(lat, lon):
        return lat, lon
    dlat, dlon = _gcj_delta(lat, lon)
    return lat + dlat, lon + dlon


def gcj02_to_wgs84(lat: float, lon: float) -> tuple[float, float]:
    """GCJ-02 (lat, lon) -> WGS-84 (lat, lon), iterated until the forward image is within ~1 mm.

    The naive inverse (subtract the shift evaluated at the GCJ point) is off by up to a few
    metres; a few fixed-point steps on w = g - delta(w) converge quickly because the shift varies
    slowly in space.
    """
    if out_of_china(lat, lon):
        return lat, lon
    w_lat, w_lon = lat, lon
    for _ in range(_INVERSE_MAX_ITERATIONS):
        g_lat, g_lon = wgs84_to_gcj02(w_lat, w_lon)
        err_lat, err_lon = g_lat - lat, g_lon - lon
        if abs(err_lat) < _INVERSE_TOLERANCE_DEG and abs(err_lon) < _INVERSE_TOLERANCE_DEG:
            break
        w_lat -= err_lat
        w_lon -= err_lon
    return w_lat, w_lon


def gcj02_to_bd09(lat: float, lon: float) -> tuple[float, float]:
    """GCJ-02 (lat, lon) -> BD-09 (lat, lon), Baidu's published formula."""
    z = math.sqrt(lon * lon + lat * lat) + 0.00002 * math.sin(lat * _X_PI)
    theta = math.atan2(lat, lon) + 0.000003 * math.cos(lon * _X_PI)
    return z * math.sin(theta) + 0.006, z * math.cos(theta) + 0.0065


def _bd09_to_gcj02_approx(lat: float, lon: float) -> tuple[float, float]:
    x = lon - 0.0065
    y = lat - 0.006
    z = math.sqrt(x * x + y * y) - 0.00002 * math.sin(y * _X_PI)
    theta = math.atan2(y, x) - 0.000003 * math.cos(x * _X_PI)
    return z * math.sin(theta), z * math.cos(theta)


def bd09_to_gcj02(lat: float, lon: float) -> tuple[float, float]:
    """BD-09 (lat, lon) -> GCJ-02 (lat, lon), refined by iteration to better than 1 mm.

    The usual closed-form inverse is good to a few decimetres only; one or two correction steps
    against the forward formula remove that error.
    """
    g_lat, g_lon = _bd09_to_gcj02_approx(lat, lon)
    for _ in range(_INVERSE_MAX_ITERATIONS):
        b_lat, b_lon = gcj02_to_bd09(g_lat, g_lon)
        err_lat, err_lon = b_lat - lat, b_lon - lon
        if abs(err_lat) < _INVERSE_TOLERANCE_DEG and abs(err_lon) < _INVERSE_TOLERANCE_DEG:
            break
        g_lat -= err_lat
        g_lon -= err_lon
    return g_lat, g_lon


def wgs84_to_bd09(lat: float, lon: float) -> tuple[float, float]:
    """WGS-84 (lat, lon) -> BD-09 (lat, lon)."""
    return gcj02_to_bd09(*wgs84_to_gcj02(lat, lon))


def bd09_to_wgs84(lat: float, lon: float) -> tuple[float, float]:
    """BD-09 (lat, lon) -> WGS-84 (lat, lon)."""
    return gcj02_to_wgs84(*bd09_to_gcj02(lat, lon))


def to_wgs84(lat: float, lon: float, datum: str) -> tuple[float, float]:
    """Convert (lat, lon) given in ``datum`` ('wgs84', 'gcj02' or 'bd09') to WGS-84."""
    if datum == "wgs84":
        return lat, lon
    if datum == "gcj02":
        return gcj02_to_wgs84(lat, lon)
    if datum == "bd09":
        return bd09_to_wgs84(lat, lon)
    raise ValueError(f"unknown datum {datum!r}; expected one of {', '.join(DATUMS)}")


def from_wgs84(lat: float, lon: float, datum: str) -> tuple[float, float]:
    """Convert WGS-84 (lat, lon) to ``datum`` ('wgs84', 'gcj02' or 'bd09')."""
    if datum == "wgs84":
        return lat, lon
    if datum == "gcj02":
        return wgs84_to_gcj02(lat, lon)
    if datum == "bd09":
        return wgs84_to_bd09(lat, lon)
    raise ValueError(f"unknown datum {datum!r}; expected one of {', '.join(DATUMS)}")
