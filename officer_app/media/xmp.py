"""Capture time from an XMP packet, for photos whose EXIF block has none.

Editors and some phones (and every photo re-saved by a desktop tool that drops EXIF) keep the
capture time only in XMP, as ``exif:DateTimeOriginal`` or ``xmp:CreateDate``.  XMP is plain XML
stored uncompressed inside JPEG APP1, PNG iTXt, TIFF tag 700 and HEIF/AVIF ``mime`` items, so the
packet is found by its ``<x:xmpmeta`` wrapper in the bytes we already hold instead of by a parser
per container.  Values are read with a regular expression: a photo's XMP is hostile input and an
XML parser's entity handling buys nothing for two date properties.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

_PACKET_RE = re.compile(rb"<x:xmpmeta\b.*?</x:xmpmeta>", re.DOTALL)
_MAX_SCAN = 4 << 20  # XMP sits in the header; never scan a whole multi-MB pixel payload twice
# ISO 8601 as XMP writes it: date, optional time with optional fraction and offset.
_ISO_RE = re.compile(
    r"^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?\s*$"
)

# In the order they are tried: the first present and parseable one is the capture time.
XMP_TIME_PROPERTIES = ("exif:DateTimeOriginal", "xmp:CreateDate", "photoshop:DateCreated")


@dataclass(frozen=True, slots=True)
class XmpTime:
    """A capture time from XMP: naive wall-clock time, its offset when written, its property."""

    naive: datetime
    offset: timezone | None
    subsec: str | None
    source: str


def find_packet(data: bytes) -> str | None:
    """The first XMP packet in ``data`` as text, or ``None``."""
    m = _PACKET_RE.search(data, 0, min(len(data), _MAX_SCAN))
    if m is None:
        return None
    return m.group(0).decode("utf-8", "replace")


def _property(packet: str, name: str) -> str | None:
    """A simple property written either as an attribute or as an element."""
    esc = re.escape(name)
    m = re.search(rf'\b{esc}\s*=\s*"([^"]*)"', packet) or re.search(
        rf"<{esc}\b[^>]*>([^<]*)</{esc}>", packet
    )
    return m.group(1).strip() if m else None


def _parse(text: str) -> tuple[datetime, timezone | None, str | None] | None:
    m = _ISO_RE.match(text)
    if m is None or m.group(4) is None:
        return None  # a date without a time is not a capture instant
    y, mo, d, h, mi, s, frac, off = m.groups()
    try:
        naive = datetime(int(y), int(mo), int(d), int(h), int(mi), int(s or 0))
    except ValueError:
        return None
    offset: timezone | None = None
    if off == "Z":
        offset = UTC
    elif off:
        sign = 1 if off[0] == "+" else -1
        hh, mm = int(off[1:3]), int(off[-2:])
        if mm >= 60 or hh * 60 + mm > 14 * 60:
            return None
        offset = timezone(sign * timedelta(hours=hh, minutes=mm))
    return naive, offset, frac


def capture_time(data: bytes) -> XmpTime | None:
    """The capture time XMP records, trying :data:`XMP_TIME_PROPERTIES` in order."""
    packet = find_packet(data)
    if packet is None:
        return None
    for name in XMP_TIME_PROPERTIES:
        raw = _property(packet, name)
        parsed = _parse(raw) if raw else None
        if parsed is not None:
            naive, offset, frac = parsed
            return XmpTime(naive, offset, frac, f"XMP:{name.split(':', 1)[1]}")
    return None


__all__ = ["XMP_TIME_PROPERTIES", "XmpTime", "capture_time", "find_packet"]
