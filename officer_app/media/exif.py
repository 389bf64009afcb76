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

import logging
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from officer_app.media.errors import CorruptImage, NotAnImage, UnsupportedFormat
from officer_app.media.exif_values import (
    _first_int,
    _raw_tags,
    _read_gps,
    _run_exifread,
    _strip_offsets_ok,
    _tag_str,
)
from officer_app.media.image_container import (
    FORMAT_AVIF,
    FORMAT_HEIF,
    FORMAT_JPEG,
    FORMAT_JXL,
    FORMAT_PNG,
    FORMAT_TIFF,
    PhotoSource,
    _avif_info,
    _Container,
    _heif_info,
    _load_bytes,
    _scan_jpeg,
    _scan_png,
    _verify_with_pillow,
    check_pixel_count,
    open_image_guarded,
    sniff_format,
)
from officer_app.media.xmp import capture_time as xmp_capture_time

log = logging.getLogger(__name__)

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
        year, month, day, hour, minute, second = (int(g) for g in m.groups())
        return datetime(year, month, day, hour, minute, second)
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


def _capture_time(
    tags: dict[str, Any], data: bytes, dto_raw: str | None, dt_raw: str | None
) -> tuple[datetime | None, timezone | None, str | None, str | None]:
    """Capture time as ``(naive, offset, subsec, source)``, trying sources in a stated order.

    1. EXIF ``DateTimeOriginal`` (with ``OffsetTimeOriginal``/``SubSecTimeOriginal``): what the
       camera wrote at the shutter.
    2. XMP ``exif:DateTimeOriginal``, then ``xmp:CreateDate``, then ``photoshop:DateCreated``:
       editors and some phones keep the capture time only there (``source`` = ``XMP:…``).
    3. EXIF ``DateTime`` (IFD0, the file's last change), flagged ``datetime_fallback`` because an
       editor rewrites it.
    4. None: the photo is flagged ``no_time`` and the officer sets it.

    Maker notes are not read: exifread parses them only with ``details=True``, which crashes on
    real cameras' notes (see the corpus), and no other well-kept reader is a dependency.
    """
    naive = _parse_exif_datetime(dto_raw)
    if naive is not None:
        offset = _parse_offset(_tag_str(tags, "EXIF OffsetTimeOriginal"))
        return naive, offset, _subsec(_tag_str(tags, "EXIF SubSecTimeOriginal")), "DateTimeOriginal"
    xmp = xmp_capture_time(data)
    if xmp is not None:
        return xmp.naive, xmp.offset, _subsec(xmp.subsec), xmp.source
    naive = _parse_exif_datetime(dt_raw)
    if naive is not None:
        offset = _parse_offset(_tag_str(tags, "EXIF OffsetTime"))
        return naive, offset, _subsec(_tag_str(tags, "EXIF SubSecTime")), "DateTime"
    return None, None, None, None


def _iso_utc(dt: datetime) -> str:
    return dt.astimezone(UTC).isoformat()


# --------------------------------------------------------------------------------------------
# Public entry point
# --------------------------------------------------------------------------------------------


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
    if fmt == FORMAT_JXL:
        # The only Pillow plugin for JPEG XL (pillow-jxl-plugin) is GPL-3.0-or-later, which the
        # app cannot ship; refuse by name so the officer converts it instead of doubting the file.
        raise UnsupportedFormat("JPEG XL", f"{label}: no shippable JPEG XL decoder")

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
    elif fmt == FORMAT_AVIF:
        container = _avif_info(data, label)
        exif_source = container.exif_tiff
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
    naive, offset, subsec, source_name = _capture_time(tags, data, dto_raw, dt_raw)
    if source_name == "DateTime":
        flags.append(FLAG_DATETIME_FALLBACK)

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

    if not (make or model or dto_raw or dt_raw or source_name):
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
