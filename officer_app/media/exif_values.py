"""EXIF tag values as plain Python, and the GPS block as a position we can defend.

Split from :mod:`officer_app.media.exif`.  exifread hands back ``IfdTag`` objects whose values
are rationals, lists or padded strings; these helpers turn them into floats and text, and
:func:`read_gps` applies the rules a court would ask about (references present, ranges valid,
0,0 is a receiver without a fix).
"""

from __future__ import annotations

import io
import logging
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import exifread

log = logging.getLogger(__name__)

_MAX_RAW_TAG_CHARS = 1000
_DROP_TAG_PREFIXES = ("JPEGThumbnail", "TIFFThumbnail", "EXIF MakerNote", "MakerNote")

# --------------------------------------------------------------------------------------------
# exifread value helpers
# --------------------------------------------------------------------------------------------


def _run_exifread(data: bytes, label: str) -> dict[str, Any] | None:
    """exifread over a buffer; ``None`` when exifread itself crashes on the metadata.

    exifread is a parser of hostile input.  With ``details=False`` it parses the whole reference
    corpus, but a crash on some future file must not refuse a photo whose pixels are fine, so
    any exception is logged and reported as the ``exif_unreadable`` flag.
    """
    try:
        return dict(exifread.process_file(io.BytesIO(data), details=False))
    except Exception as exc:
        log.warning("exifread failed on %s: %s: %s", label, type(exc).__name__, exc)
        return None


def _clean_str(value: Any) -> str | None:
    """A tag value as text: cut at the first NUL, strip padding, ``None`` when empty."""
    if isinstance(value, bytes):
        value = value.split(b"\x00", 1)[0].decode("utf-8", "replace")
    elif isinstance(value, list | tuple):
        return None
    value = str(value).split("\x00", 1)[0].strip()
    return value or None


def _tag_str(tags: Mapping[str, Any], key: str) -> str | None:
    tag = tags.get(key)
    if tag is None:
        return None
    return _clean_str(getattr(tag, "values", tag))


def _values(tags: Mapping[str, Any], key: str) -> list[Any] | None:
    tag = tags.get(key)
    if tag is None:
        return None
    vals = getattr(tag, "values", None)
    if isinstance(vals, list | tuple):
        return list(vals)
    if vals is None:
        return None
    return [vals]


def _rational(value: Any) -> float | None:
    """Float of an EXIF (S)RATIONAL or integer; ``None`` for zero denominators and junk."""
    num = getattr(value, "numerator", None)
    den = getattr(value, "denominator", None)
    if isinstance(value, int):
        return float(value)
    if num is None or den is None:
        return None
    if den == 0:
        return None
    result = num / den
    return result if math.isfinite(result) else None


def _first_int(tags: Mapping[str, Any], key: str) -> int | None:
    vals = _values(tags, key)
    if not vals:
        return None
    v = vals[0]
    if isinstance(v, int):
        return v
    f = _rational(v)
    return int(f) if f is not None and f.is_integer() else None


# --------------------------------------------------------------------------------------------
# GPS
# --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Gps:
    lat: float | None = None
    lon: float | None = None
    alt: float | None = None
    direction: float | None = None
    when: datetime | None = None
    odd: list[str] | None = None


def _dms(vals: list[Any] | None) -> float | None:
    """Degrees from 1-3 rationals (d, m, s); ``None`` when any part is unusable.

    Some cameras round 59.996 seconds up to 60.00 without carrying into the minute (or 59.9996
    minutes to 60).  Exactly 60 is that rounding, not junk: it is read as the next minute, as
    exiftool reads it.  Anything above 60 is still refused.
    """
    if not vals or len(vals) > 3:
        return None
    parts = [_rational(v) for v in vals]
    if any(p is None or p < 0 for p in parts):
        return None
    d = parts[0]
    m = parts[1] if len(parts) > 1 else 0.0
    s = parts[2] if len(parts) > 2 else 0.0
    assert d is not None and m is not None and s is not None
    if m > 60 or s > 60:
        return None
    return d + m / 60.0 + s / 3600.0


def _read_gps(tags: Mapping[str, Any]) -> tuple[_Gps, bool]:
    """Position, altitude, direction and GPS clock; returns (gps, gps_ifd_present)."""
    gps = _Gps(odd=[])
    assert gps.odd is not None
    gps_keys = [k for k in tags if k.startswith("GPS ")]
    present = bool(gps_keys) or "Image GPSInfo" in tags
    if not present:
        return gps, False
    if not gps_keys:
        gps.odd.append("GPS IFD pointer present but IFD empty or unreadable")
        return gps, True

    lat_vals = _values(tags, "GPS GPSLatitude")
    lon_vals = _values(tags, "GPS GPSLongitude")
    lat_ref = (_tag_str(tags, "GPS GPSLatitudeRef") or "").upper()[:1]
    lon_ref = (_tag_str(tags, "GPS GPSLongitudeRef") or "").upper()[:1]
    if lat_vals is None and lon_vals is None:
        pass  # a GPS IFD without a position (time or altitude only): not odd by itself
    else:
        lat = _dms(lat_vals)
        lon = _dms(lon_vals)
        if lat is None or lon is None:
            gps.odd.append(f"unusable latitude/longitude {lat_vals!r} {lon_vals!r}")
        elif lat_ref not in ("N", "S") or lon_ref not in ("E", "W"):
            gps.odd.append(f"missing or invalid refs lat={lat_ref!r} lon={lon_ref!r}")
        elif lat > 90 or lon > 180:
            gps.odd.append(f"out of range lat={lat} lon={lon}")
        elif lat == 0 and lon == 0:
            gps.odd.append("position 0,0 (receiver without a fix)")
        else:
            gps.lat = -lat if lat_ref == "S" else lat
            gps.lon = -lon if lon_ref == "W" else lon

    alt_vals = _values(tags, "GPS GPSAltitude")
    if alt_vals:
        alt = _rational(alt_vals[0])
        if alt is None or abs(alt) > 100_000:
            gps.odd.append(f"unusable altitude {alt_vals!r}")
        else:
            # GPSAltitudeRef missing means above sea level (EXIF 2.3 default 0).
            ref = _first_int(tags, "GPS GPSAltitudeRef")
            gps.alt = -abs(alt) if ref == 1 else alt

    dir_vals = _values(tags, "GPS GPSImgDirection")
    if dir_vals:
        d = _rational(dir_vals[0])
        if d is None or not 0 <= d <= 360:
            gps.odd.append(f"unusable direction {dir_vals!r}")
        else:
            gps.direction = d % 360.0

    date_s = _tag_str(tags, "GPS GPSDate") or _tag_str(tags, "GPS GPSDateStamp")
    time_vals = _values(tags, "GPS GPSTimeStamp")
    if date_s and time_vals:
        gps.when = _gps_datetime(date_s, time_vals)
        if gps.when is None:
            gps.odd.append(f"unusable GPS time {date_s!r} {time_vals!r}")
    return gps, True


def _gps_datetime(date_s: str, time_vals: list[Any]) -> datetime | None:
    m = re.match(r"^\s*(\d{4})[:\-/](\d{2})[:\-/](\d{2})", date_s)
    if not m or len(time_vals) != 3:
        return None
    parts = [_rational(v) for v in time_vals]
    if any(p is None or p < 0 for p in parts):
        return None
    h, mi, s = parts
    assert h is not None and mi is not None and s is not None
    if h >= 24 or mi >= 60 or s >= 61:
        return None
    try:
        day = datetime(int(m[1]), int(m[2]), int(m[3]), tzinfo=UTC)
    except ValueError:
        return None
    return day + timedelta(hours=h, minutes=mi, seconds=s)


def _raw_tags(tags: Mapping[str, Any]) -> dict[str, str]:
    """JSON-safe copy of the tags: printable text, no thumbnails or MakerNote blobs, no NULs."""
    out: dict[str, str] = {}
    for key, tag in tags.items():
        if key.startswith(_DROP_TAG_PREFIXES) or "MakerNote" in key:
            continue
        if isinstance(tag, bytes | bytearray):
            continue
        text = str(getattr(tag, "printable", tag)).replace("\x00", "")
        text = "".join(ch if ch.isprintable() or ch in "\t\n" else "\ufffd" for ch in text)
        out[str(key)] = text[:_MAX_RAW_TAG_CHARS]
    return out


def _strip_offsets_ok(tags: Mapping[str, Any], size: int) -> bool:
    """For TIFF: every strip/tile must lie inside the file (catches truncated transfers)."""
    for off_key, cnt_key in (
        ("Image StripOffsets", "Image StripByteCounts"),
        ("Image TileOffsets", "Image TileByteCounts"),
    ):
        offs = _values(tags, off_key)
        cnts = _values(tags, cnt_key)
        if offs and cnts and len(offs) == len(cnts):
            try:
                if max(int(o) + int(c) for o, c in zip(offs, cnts, strict=True)) > size:
                    return False
            except (TypeError, ValueError):
                return True
    return True
