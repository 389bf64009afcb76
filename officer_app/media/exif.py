"""Read what a photo says about itself: when, where, with what, and how trustworthy that is.

This is the project's one EXIF reader.  exifread is the primary parser (it copes with more broken
files than Pillow and never decodes pixels); Pillow is used only to confirm that the bytes are a
real image of the type the magic bytes claim, and for pixel sizes where the container keeps them
(TIFF, HEIF).  Nothing here fully decodes a photo: the importer's throughput target is close to
raw read+hash+copy speed, so structural checks are done on the bytes we already hold.

Officer-facing problems become typed :mod:`officer_app.media.errors`; doubts about *values*
(a camera clock never set, a GPS block full of zeros) never refuse a file, they become ``flags``
so the officer can see and correct them while the original stays untouched.
"""

from __future__ import annotations

import io
import logging
import math
import os
import re
import struct
import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any, BinaryIO

import exifread
from PIL import Image, UnidentifiedImageError

from officer_app.media.errors import (
    CorruptImage,
    DecompressionBomb,
    NotAnImage,
    UnreadableFile,
)

log = logging.getLogger(__name__)

PhotoSource = str | os.PathLike[str] | bytes | bytearray | memoryview | BinaryIO

# Flag names are part of the contract with the store and the UI: never rename them.
FLAG_DATETIME_FALLBACK = "datetime_fallback"
FLAG_ASSUMED_TIMEZONE = "assumed_timezone"
FLAG_CAMERA_DEFAULT_DATE = "camera_default_date"
FLAG_FUTURE_TIME = "future_time"
FLAG_GPS_CLOCK_MISMATCH = "gps_clock_mismatch"
FLAG_NO_CAMERA_EXIF = "no_camera_exif"
FLAG_NO_TIME = "no_time"
FLAG_NO_POSITION = "no_position"
FLAG_ODD_GPS = "odd_gps"
# Extra flag: exifread itself failed on the metadata block; pixels were fine, EXIF is ignored.
FLAG_EXIF_UNREADABLE = "exif_unreadable"

# Dates a camera shows after a battery change or first power-on.  A photo stamped with one of
# these (within the first hour of the day) almost certainly has an unset clock.  The list is
# short on purpose: each entry is a date seen on real devices (vendor factory defaults), and a
# false positive only adds a flag, it never changes the stored value.
CAMERA_DEFAULT_DATES: frozenset[date] = frozenset(
    date(y, 1, 1)
    for y in (1970, 1980, 1990, 1998, 2000, 2001, 2002, 2003, 2004, 2005, 2006, 2007, 2008, 2010)
)
# Before this year no EXIF camera existed (EXIF 1.0 is from 1995), so any earlier stamp is an
# unset clock whatever the time of day.
FIRST_PLAUSIBLE_YEAR = 1995

FORMAT_JPEG = "JPEG"
FORMAT_TIFF = "TIFF"
FORMAT_PNG = "PNG"
FORMAT_HEIF = "HEIF"

_HEIF_BRANDS = frozenset(
    {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs", b"mif1", b"msf1"}
)
_JPEG_SOF = frozenset(
    {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
)
_MAX_RAW_TAG_CHARS = 1000
_DROP_TAG_PREFIXES = ("JPEGThumbnail", "TIFFThumbnail", "EXIF MakerNote", "MakerNote")
_DT_RE = re.compile(r"^\s*(\d{4})[:\-/](\d{2})[:\-/](\d{2})[ T](\d{2}):(\d{2}):(\d{2})")
_OFFSET_RE = re.compile(r"^\s*([+-])(\d{2}):?(\d{2})\s*$")


@dataclass(frozen=True, slots=True)
class PhotoMetadata:
    """What one photo file says about itself, normalised and JSON-friendly.

    ``width``/``height`` are the stored pixel dimensions (before applying ``orientation``).
    ``taken_at`` is ISO 8601 with the UTC offset it was interpreted in; ``gps_datetime`` is UTC.
    """

    format: str
    taken_at: str | None
    taken_at_source: str | None
    subsec: str | None
    lat: float | None
    lon: float | None
    alt: float | None
    direction: float | None
    gps_datetime: str | None
    make: str | None
    model: str | None
    orientation: int | None
    width: int | None
    height: int | None
    raw_tags: dict[str, str]
    thumbnail_bytes: bytes | None
    flags: tuple[str, ...]

    @property
    def taken_at_datetime(self) -> datetime | None:
        """``taken_at`` as an aware datetime, including ``subsec`` when present."""
        if self.taken_at is None:
            return None
        dt = datetime.fromisoformat(self.taken_at)
        if self.subsec:
            dt = dt.replace(microsecond=int((self.subsec + "000000")[:6]))
        return dt

    @property
    def has_position(self) -> bool:
        return self.lat is not None and self.lon is not None


# --------------------------------------------------------------------------------------------
# Reading the bytes and deciding what they are
# --------------------------------------------------------------------------------------------


def _load_bytes(source: PhotoSource) -> tuple[bytes, str]:
    """Return the whole content and a label for log messages.

    Photos are small enough (a 12-MP JPEG is ~5 MB) that holding them is cheaper than seeking
    around a file several times; the importer can pass the bytes it already read for hashing.
    """
    if isinstance(source, bytes):
        return source, "<bytes>"
    if isinstance(source, bytearray | memoryview):
        return bytes(source), "<bytes>"
    if isinstance(source, str | os.PathLike):
        label = os.fspath(source)
        try:
            with open(source, "rb") as f:
                return f.read(), label
        except OSError as exc:
            raise UnreadableFile(f"cannot read {label!r}: {exc}") from exc
    try:
        source.seek(0)
        return source.read(), getattr(source, "name", "<stream>")
    except OSError as exc:
        raise UnreadableFile(f"cannot read stream: {exc}") from exc


def sniff_format(head: bytes) -> str | None:
    """Image type from the first bytes (at least 12), or ``None``.  Extensions are never trusted."""
    if head[:3] == b"\xff\xd8\xff":
        return FORMAT_JPEG
    if head[:8] == b"\x89PNG\r\n\x1a\n":
        return FORMAT_PNG
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return FORMAT_TIFF
    if head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        return FORMAT_HEIF
    return None


def check_pixel_count(width: int, height: int, label: str = "") -> None:
    """Refuse images that declare more pixels than Pillow's ``MAX_IMAGE_PIXELS`` allows.

    Checked on the declared header size *before* Pillow opens the file, so Pillow's own
    ``DecompressionBombWarning`` is never emitted (the test suite turns warnings into errors).
    """
    if width <= 0 or height <= 0:
        raise CorruptImage(f"{label}: declared size {width}x{height}")
    limit = Image.MAX_IMAGE_PIXELS
    if limit is not None and width * height > limit:
        raise DecompressionBomb(f"{label}: {width}x{height} = {width * height} pixels > {limit}")


@contextmanager
def open_image_guarded(data: bytes, label: str = "") -> Iterator[Image.Image]:
    """``Image.open`` on in-memory bytes with every Pillow failure mapped to a MediaError.

    Pillow's decompression-bomb warning is turned into an error inside this block and reported as
    :class:`DecompressionBomb`; callers should have called :func:`check_pixel_count` first, so the
    warning path is only a backstop.
    """
    fmt = sniff_format(data[:16])
    if fmt == FORMAT_HEIF:
        _register_heif()
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            im = Image.open(io.BytesIO(data))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise DecompressionBomb(f"{label}: {exc}") from exc
        except UnidentifiedImageError as exc:
            if fmt is None:
                raise NotAnImage(f"{label}: {exc}") from exc
            raise CorruptImage(f"{label}: {fmt} not identified by Pillow: {exc}") from exc
        except (OSError, SyntaxError, ValueError, EOFError, struct.error, IndexError) as exc:
            raise CorruptImage(f"{label}: {type(exc).__name__}: {exc}") from exc
        try:
            yield im
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise DecompressionBomb(f"{label}: {exc}") from exc
        except (OSError, SyntaxError, ValueError, EOFError, struct.error, IndexError) as exc:
            raise CorruptImage(f"{label}: {type(exc).__name__}: {exc}") from exc
        finally:
            im.close()


_heif_registered = False


def _register_heif() -> bool:
    """Register the HEIF opener the first time a HEIF file is met.

    pi-heif is pillow-heif's decode-only build: its wheels bundle libheif and libde265 (LGPLv3)
    and no x265 encoder (GPLv2), so the app can ship it.  Lazy because most deployments never
    meet a HEIF photo.  Returns False when pi-heif is not installed.
    """
    global _heif_registered
    if _heif_registered:
        return True
    try:
        import pi_heif
    except ImportError:
        return False
    pi_heif.register_heif_opener()
    _heif_registered = True
    return True


# --------------------------------------------------------------------------------------------
# Per-format structural checks (cheap: no pixel decoding)
# --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Container:
    width: int | None = None
    height: int | None = None
    exif_tiff: bytes | None = None  # the TIFF block of the EXIF APP1 (JPEG) or container EXIF


def _scan_jpeg(data: bytes, label: str) -> _Container:
    """Walk the JPEG marker segments up to the first scan and look for EOI after it.

    Finds the EXIF APP1 wherever it is (some editors put XMP first, which makes exifread give
    up), the frame size from SOF, and refuses files that end before the scan data is closed by
    EOI (a cut transfer from the camera).  Data after EOI (phone "motion photo" trailers) is fine.
    """
    out = _Container()
    n = len(data)
    pos = 2
    while True:
        if pos >= n:
            raise CorruptImage(f"{label}: JPEG ends before image data (offset {pos})")
        if data[pos] != 0xFF:
            raise CorruptImage(f"{label}: JPEG marker expected at offset {pos}")
        while pos < n and data[pos] == 0xFF:
            pos += 1
        if pos >= n:
            raise CorruptImage(f"{label}: JPEG ends inside a marker")
        marker = data[pos]
        pos += 1
        if marker == 0xD8 or marker == 0x01 or 0xD0 <= marker <= 0xD7:
            continue  # stand-alone markers without a length
        if marker == 0xD9:
            raise CorruptImage(f"{label}: JPEG EOI before any image data")
        if pos + 2 > n:
            raise CorruptImage(f"{label}: JPEG ends inside segment header")
        seglen = (data[pos] << 8) | data[pos + 1]
        if seglen < 2 or pos + seglen > n:
            raise CorruptImage(f"{label}: JPEG segment 0xFF{marker:02X} runs past end of file")
        body = pos + 2
        if (
            marker == 0xE1
            and out.exif_tiff is None
            and data[body : body + 4] == b"Exif"
            and seglen >= 8 + 8
        ):
            out.exif_tiff = data[body + 6 : pos + seglen]
        elif marker in _JPEG_SOF and out.width is None:
            if seglen < 8:
                raise CorruptImage(f"{label}: JPEG SOF segment too short")
            out.height = (data[body + 1] << 8) | data[body + 2]
            out.width = (data[body + 3] << 8) | data[body + 4]
        elif marker == 0xDA:
            if out.width is None or out.height is None:
                raise CorruptImage(f"{label}: JPEG scan without a frame header")
            if data.rfind(b"\xff\xd9", pos + seglen) < 0:  # rfind: EOI is near the end
                raise CorruptImage(f"{label}: JPEG has no EOI marker (truncated)")
            return out
        pos += seglen


def _scan_png(data: bytes, label: str) -> _Container:
    if len(data) < 33 or data[12:16] != b"IHDR":
        raise CorruptImage(f"{label}: PNG without IHDR")
    w, h = struct.unpack(">II", data[16:24])
    return _Container(width=w, height=h)


def _verify_with_pillow(data: bytes, label: str, fmt: str) -> tuple[int, int]:
    """Pillow ``open`` + ``verify``: header parsing for JPEG/TIFF, full chunk CRCs for PNG."""
    with open_image_guarded(data, label) as im:
        if im.format not in (fmt, "MPO" if fmt == FORMAT_JPEG else fmt):
            raise CorruptImage(f"{label}: magic says {fmt}, Pillow says {im.format}")
        size = im.size
        im.verify()
    return size


def _heif_info(data: bytes, label: str) -> _Container:
    """Size (and EXIF block) of a HEIF image from its container, without decoding pixels."""
    out = _Container()
    if not _register_heif():
        return out
    import pi_heif

    try:
        heif = pi_heif.open_heif(io.BytesIO(data), convert_hdr_to_8bit=True)
        primary = heif[heif.primary_index] if len(heif) else None
    except (RuntimeError, ValueError, OSError, EOFError, IndexError) as exc:
        raise CorruptImage(f"{label}: libheif cannot read container: {exc}") from exc
    if primary is None:
        raise CorruptImage(f"{label}: HEIF without images")
    out.width, out.height = primary.size
    exif = primary.info.get("exif")
    if isinstance(exif, bytes | bytearray):
        exif = bytes(exif)
        out.exif_tiff = exif[6:] if exif.startswith(b"Exif\x00\x00") else exif
    return out


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
# Time
# --------------------------------------------------------------------------------------------


def _parse_exif_datetime(text: str | None) -> datetime | None:
    """Naive datetime from ``YYYY:MM:DD HH:MM:SS`` (tolerating ``-``/``/`` and trailing junk)."""
    if not text:
        return None
    m = _DT_RE.match(text)
    if not m:
        return None
    try:
        return datetime(*(int(g) for g in m.groups()))
    except ValueError:
        return None  # 0000:00:00 00:00:00, month 13, ...


def _parse_offset(text: str | None) -> timezone | None:
    """``+08:00`` / ``-0500`` → tzinfo; ``None`` for missing or impossible offsets."""
    if not text:
        return None
    m = _OFFSET_RE.match(text)
    if not m:
        return None
    sign, hh, mm = m.groups()
    minutes = int(hh) * 60 + int(mm)
    if int(mm) >= 60 or minutes > 14 * 60:
        return None
    delta = timedelta(minutes=minutes if sign == "+" else -minutes)
    return timezone(delta)


def _subsec(text: str | None) -> str | None:
    if not text:
        return None
    digits = text.strip()
    return digits if digits.isdigit() else None


def is_camera_default_date(dt: datetime) -> bool:
    """True for stamps that betray an unset camera clock (see ``CAMERA_DEFAULT_DATES``)."""
    if dt.year < FIRST_PLAUSIBLE_YEAR:
        return True
    return dt.date() in CAMERA_DEFAULT_DATES and dt.hour == 0


def _iso_utc(dt: datetime) -> str:
    return dt.astimezone(UTC).isoformat()


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
    """Degrees from 1-3 rationals (d, m, s); ``None`` when any part is unusable."""
    if not vals or len(vals) > 3:
        return None
    parts = [_rational(v) for v in vals]
    if any(p is None or p < 0 for p in parts):
        return None
    d = parts[0]
    m = parts[1] if len(parts) > 1 else 0.0
    s = parts[2] if len(parts) > 2 else 0.0
    assert d is not None and m is not None and s is not None
    if m >= 60 or s >= 60:
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


# --------------------------------------------------------------------------------------------
# Public entry point
# --------------------------------------------------------------------------------------------


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


def read_photo_metadata(
    source: PhotoSource,
    *,
    default_tz: str = "+08:00",
    now: datetime,
    gps_clock_tolerance_min: float = 10,
) -> PhotoMetadata:
    """Identify, sanity-check and read the metadata of one photo.

    ``source`` is a path, the file's bytes (the importer passes the bytes it hashed, so the file
    is read once) or a binary stream.  ``now`` (aware) is injected so "taken in the future" is
    testable.  ``default_tz`` is the offset assumed when the camera did not record one (China
    Standard Time by default).  Raises a :class:`~officer_app.media.errors.MediaError` subclass
    for files that must not be accepted; everything else becomes ``flags``.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    assumed_tz = _parse_offset(default_tz)
    if assumed_tz is None:
        raise ValueError(f"default_tz {default_tz!r} is not an offset like +08:00")

    data, label = _load_bytes(source)
    if not data:
        raise NotAnImage(f"{label}: empty file", "文件是空的，不是图片")
    fmt = sniff_format(data[:16])
    if fmt is None:
        raise NotAnImage(f"{label}: unknown magic bytes {data[:8].hex()}")

    flags: list[str] = []
    container: _Container
    if fmt == FORMAT_JPEG:
        container = _scan_jpeg(data, label)
        assert container.width is not None and container.height is not None
        check_pixel_count(container.width, container.height, label)
        _verify_with_pillow(data, label, fmt)
        exif_source = container.exif_tiff
    elif fmt == FORMAT_PNG:
        container = _scan_png(data, label)
        assert container.width is not None and container.height is not None
        check_pixel_count(container.width, container.height, label)
        _verify_with_pillow(data, label, fmt)
        exif_source = data  # exifread finds the eXIf chunk itself
    elif fmt == FORMAT_TIFF:
        container = _Container()
        exif_source = data
    else:
        container = _heif_info(data, label)
        if container.width is not None and container.height is not None:
            check_pixel_count(container.width, container.height, label)
        exif_source = data

    tags: dict[str, Any] = {}
    if exif_source:
        parsed = _run_exifread(exif_source, label)
        if parsed is None:
            flags.append(FLAG_EXIF_UNREADABLE)
        else:
            tags = parsed
    if fmt == FORMAT_HEIF and not tags and container.exif_tiff:
        # exifread only knows some HEIF brands; libheif hands us the EXIF block for the rest.
        tags = _run_exifread(container.exif_tiff, label) or {}

    if fmt == FORMAT_TIFF:
        w = _first_int(tags, "Image ImageWidth")
        h = _first_int(tags, "Image ImageLength")
        if w is not None and h is not None:
            check_pixel_count(w, h, label)
        if not _strip_offsets_ok(tags, len(data)):
            raise CorruptImage(f"{label}: TIFF strips extend past end of file (truncated)")
        container.width, container.height = _verify_with_pillow(data, label, fmt)

    # --- camera identity --------------------------------------------------------------------
    make = _tag_str(tags, "Image Make")
    model = _tag_str(tags, "Image Model")
    orientation = _first_int(tags, "Image Orientation")
    if orientation is not None and not 1 <= orientation <= 8:
        orientation = None

    # --- time --------------------------------------------------------------------------------
    dto_raw = _tag_str(tags, "EXIF DateTimeOriginal")
    dt_raw = _tag_str(tags, "Image DateTime")
    naive = _parse_exif_datetime(dto_raw)
    source_name: str | None = None
    if naive is not None:
        source_name = "DateTimeOriginal"
        offset = _parse_offset(_tag_str(tags, "EXIF OffsetTimeOriginal"))
        subsec = _subsec(_tag_str(tags, "EXIF SubSecTimeOriginal"))
    else:
        naive = _parse_exif_datetime(dt_raw)
        if naive is not None:
            source_name = "DateTime"
            flags.append(FLAG_DATETIME_FALLBACK)
        offset = _parse_offset(_tag_str(tags, "EXIF OffsetTime"))
        subsec = _subsec(_tag_str(tags, "EXIF SubSecTime"))

    taken: datetime | None = None
    if naive is not None:
        if offset is None:
            offset = assumed_tz
            flags.append(FLAG_ASSUMED_TIMEZONE)
        taken = naive.replace(tzinfo=offset)
        if is_camera_default_date(naive):
            flags.append(FLAG_CAMERA_DEFAULT_DATE)
        if taken > now:
            flags.append(FLAG_FUTURE_TIME)
    else:
        subsec = None
        flags.append(FLAG_NO_TIME)

    if not (make or model or dto_raw or dt_raw):
        flags.append(FLAG_NO_CAMERA_EXIF)

    # --- position ----------------------------------------------------------------------------
    gps, _gps_present = _read_gps(tags)
    if gps.odd:
        flags.append(FLAG_ODD_GPS)
        log.info("odd GPS in %s: %s", label, "; ".join(gps.odd))
    if gps.lat is None or gps.lon is None:
        flags.append(FLAG_NO_POSITION)
    if taken is not None and gps.when is not None:
        diff_min = abs((taken - gps.when).total_seconds()) / 60.0
        if diff_min > gps_clock_tolerance_min:
            flags.append(FLAG_GPS_CLOCK_MISMATCH)

    thumb = tags.get("JPEGThumbnail")
    thumbnail = bytes(thumb) if isinstance(thumb, bytes | bytearray) else None
    if thumbnail is not None and not thumbnail.startswith(b"\xff\xd8"):
        thumbnail = None

    width, height = container.width, container.height
    if width is None or height is None:
        width = _first_int(tags, "EXIF ExifImageWidth")
        height = _first_int(tags, "EXIF ExifImageLength")

    return PhotoMetadata(
        format=fmt,
        taken_at=taken.isoformat() if taken is not None else None,
        taken_at_source=source_name,
        subsec=subsec,
        lat=gps.lat,
        lon=gps.lon,
        alt=gps.alt,
        direction=gps.direction,
        gps_datetime=_iso_utc(gps.when) if gps.when is not None else None,
        make=make,
        model=model,
        orientation=orientation,
        width=width,
        height=height,
        raw_tags=_raw_tags(tags),
        thumbnail_bytes=thumbnail,
        flags=tuple(dict.fromkeys(flags)),
    )


__all__ = [
    "CAMERA_DEFAULT_DATES",
    "PhotoMetadata",
    "PhotoSource",
    "check_pixel_count",
    "is_camera_default_date",
    "open_image_guarded",
    "read_photo_metadata",
    "sniff_format",
]
