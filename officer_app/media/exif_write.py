"""Make real JPEGs with real EXIF: the demo dataset, test fixtures and the import benchmark.

Pillow can write IFD0/Exif/GPS through ``Image.Exif`` but not an IFD1 thumbnail, and it normalises
values we sometimes need to write *wrong* on purpose (zero denominators, missing refs, NUL-padded
strings, big-endian headers) to test the reader.  So this module has its own minimal TIFF writer
(:func:`build_exif_tiff`) and splices the APP1 segment into a JPEG that Pillow encoded
(:func:`insert_exif`).  Pixel data can be passed in pre-encoded so a benchmark making hundreds of
12-megapixel files encodes the pixels once.
"""

from __future__ import annotations

import io
import os
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from PIL import Image

ByteOrder = Literal["<", ">"]

# TIFF field types used here.
BYTE, ASCII, SHORT, LONG, RATIONAL, UNDEFINED, SLONG, SRATIONAL = 1, 2, 3, 4, 5, 7, 9, 10
_TYPE_SIZE = {
    BYTE: 1,
    ASCII: 1,
    SHORT: 2,
    LONG: 4,
    RATIONAL: 8,
    UNDEFINED: 1,
    SLONG: 4,
    SRATIONAL: 8,
}

TAG_EXIF_IFD = 0x8769
TAG_GPS_IFD = 0x8825
TAG_JPEG_IF_OFFSET = 0x0201
TAG_JPEG_IF_LENGTH = 0x0202

_MAX_APP1_PAYLOAD = 65533 - 2  # segment length field counts itself


@dataclass(frozen=True, slots=True)
class Entry:
    """One IFD entry.  ``value`` is str/bytes for ASCII/BYTE/UNDEFINED (bytes are written
    verbatim, which lets tests write NUL-padded or unterminated strings), an int or a sequence
    of ints for SHORT/LONG/SLONG, and a sequence of (num, den) pairs for (S)RATIONAL."""

    tag: int
    type: int
    value: object


def _encode(entry: Entry, bo: ByteOrder) -> tuple[bytes, int]:
    """Raw value bytes and the TIFF ``count`` of one entry."""
    t, v = entry.type, entry.value
    if t == ASCII:
        raw = v if isinstance(v, bytes) else str(v).encode("utf-8") + b"\x00"
        return raw, len(raw)
    if t in (BYTE, UNDEFINED):
        # Entry.value is typed object; a BYTE/UNDEFINED entry holds bytes or a sequence of ints.
        raw = v if isinstance(v, bytes) else bytes(v)  # type: ignore[call-overload]
        return raw, len(raw)
    if t in (SHORT, LONG, SLONG):
        # One int or a sequence of ints for these types (Entry.value is typed object).
        ints = [v] if isinstance(v, int) else list(v)  # type: ignore[call-overload]
        code = {SHORT: "H", LONG: "I", SLONG: "i"}[t]
        return struct.pack(f"{bo}{len(ints)}{code}", *ints), len(ints)
    if t in (RATIONAL, SRATIONAL):
        # (numerator, denominator) pairs for these types (Entry.value is typed object).
        pairs: Sequence[tuple[int, int]] = v  # type: ignore[assignment]
        code = "II" if t == RATIONAL else "ii"
        flat = [x for pair in pairs for x in pair]
        return struct.pack(f"{bo}{code[0] * len(flat)}", *flat), len(pairs)
    raise ValueError(f"unsupported TIFF type {t}")


def _pad2(n: int) -> int:
    return n + (n & 1)


def _ifd_bytes(entries: list[Entry], start: int, next_ifd: int, bo: ByteOrder) -> bytes:
    """Serialise an IFD at file offset ``start`` followed by its out-of-line values."""
    entries = sorted(entries, key=lambda e: e.tag)
    data_at = start + 2 + 12 * len(entries) + 4
    head = [struct.pack(f"{bo}H", len(entries))]
    data: list[bytes] = []
    for e in entries:
        raw, count = _encode(e, bo)
        if len(raw) <= 4:
            field = raw.ljust(4, b"\x00")
        else:
            field = struct.pack(f"{bo}I", data_at)
            padded = raw + b"\x00" * (len(raw) & 1)
            data.append(padded)
            data_at += len(padded)
        head.append(struct.pack(f"{bo}HHI", e.tag, e.type, count) + field)
    head.append(struct.pack(f"{bo}I", next_ifd))
    return b"".join(head) + b"".join(data)


def _ifd_size(entries: list[Entry], bo: ByteOrder) -> int:
    size = 2 + 12 * len(entries) + 4
    for e in entries:
        raw, _ = _encode(e, bo)
        if len(raw) > 4:
            size += _pad2(len(raw))
    return size


def build_exif_tiff(
    ifd0: list[Entry],
    exif: list[Entry] | None = None,
    gps: list[Entry] | None = None,
    ifd1: list[Entry] | None = None,
    thumbnail: bytes | None = None,
    *,
    byteorder: ByteOrder = "<",
) -> bytes:
    """A TIFF-structured EXIF block: IFD0 → Exif IFD, GPS IFD; IFD0 → IFD1 (+ JPEG thumbnail).

    The pointer tags (0x8769, 0x8825, 0x0201/0x0202) are added here; pass ``gps=[]`` to write an
    empty GPS IFD on purpose.
    """
    bo = byteorder
    ifd0 = [e for e in ifd0 if e.tag not in (TAG_EXIF_IFD, TAG_GPS_IFD)]
    if exif is not None:
        ifd0.append(Entry(TAG_EXIF_IFD, LONG, 0))
    if gps is not None:
        ifd0.append(Entry(TAG_GPS_IFD, LONG, 0))
    if thumbnail is not None:
        ifd1 = [e for e in (ifd1 or []) if e.tag not in (TAG_JPEG_IF_OFFSET, TAG_JPEG_IF_LENGTH)]
        ifd1 += [Entry(TAG_JPEG_IF_OFFSET, LONG, 0), Entry(TAG_JPEG_IF_LENGTH, LONG, 0)]

    # Pass 1: offsets (pointer values are 4-byte LONGs, so sizes do not depend on them).
    off0 = 8
    cursor = off0 + _ifd_size(ifd0, bo)
    off_exif = off_gps = off1 = off_thumb = 0
    if exif is not None:
        off_exif, cursor = cursor, cursor + _ifd_size(exif, bo)
    if gps is not None:
        off_gps, cursor = cursor, cursor + _ifd_size(gps, bo)
    if ifd1 is not None:
        off1, cursor = cursor, cursor + _ifd_size(ifd1, bo)
    if thumbnail is not None:
        off_thumb = cursor

    # Pass 2: fill pointers and serialise.
    def patch(entries: list[Entry], values: dict[int, int]) -> list[Entry]:
        return [Entry(e.tag, e.type, values[e.tag]) if e.tag in values else e for e in entries]

    ifd0 = patch(ifd0, {TAG_EXIF_IFD: off_exif, TAG_GPS_IFD: off_gps})
    header = (b"II" if bo == "<" else b"MM") + struct.pack(f"{bo}HI", 42, off0)
    parts = [header, _ifd_bytes(ifd0, off0, off1, bo)]
    if exif is not None:
        parts.append(_ifd_bytes(exif, off_exif, 0, bo))
    if gps is not None:
        parts.append(_ifd_bytes(gps, off_gps, 0, bo))
    if ifd1 is not None:
        if thumbnail is not None:
            ifd1 = patch(ifd1, {TAG_JPEG_IF_OFFSET: off_thumb, TAG_JPEG_IF_LENGTH: len(thumbnail)})
        parts.append(_ifd_bytes(ifd1, off1, 0, bo))
    if thumbnail is not None:
        parts.append(thumbnail)
    return b"".join(parts)


def insert_exif(jpeg: bytes, tiff: bytes) -> bytes:
    """Return ``jpeg`` with its JFIF APP0 and any EXIF APP1 replaced by one EXIF APP1 from ``tiff``.

    The new APP1 goes right after SOI, where the EXIF standard puts it.
    """
    if jpeg[:2] != b"\xff\xd8":
        raise ValueError("not a JPEG")
    payload = b"Exif\x00\x00" + tiff
    if len(payload) > _MAX_APP1_PAYLOAD:
        raise ValueError(f"EXIF block of {len(payload)} bytes does not fit in one APP1 segment")
    pos = 2
    kept: list[bytes] = []
    while pos + 4 <= len(jpeg) and jpeg[pos] == 0xFF:
        marker = jpeg[pos + 1]
        if marker not in (0xE0, 0xE1):
            break
        seglen = struct.unpack(">H", jpeg[pos + 2 : pos + 4])[0]
        seg = jpeg[pos : pos + 2 + seglen]
        if not (marker == 0xE0 or seg[4:8] == b"Exif"):
            kept.append(seg)  # e.g. XMP: keep it
        pos += 2 + seglen
    app1 = b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload
    return b"\xff\xd8" + app1 + b"".join(kept) + jpeg[pos:]


# --------------------------------------------------------------------------------------------
# Value helpers shared with tests
# --------------------------------------------------------------------------------------------

_MICRO = 1_000_000


def dms_rationals(deg: float) -> list[tuple[int, int]]:
    """|deg| as three RATIONALs (d/1, m/1, s·10⁶/10⁶): exact to 3·10⁻¹⁰ degrees."""
    total = round(abs(deg) * 3600 * _MICRO)  # micro-arcseconds
    d, rem = divmod(total, 3600 * _MICRO)
    m, s = divmod(rem, 60 * _MICRO)
    return [(d, 1), (m, 1), (s, _MICRO)]


def gps_entries(
    *,
    lat: float,
    lon: float,
    alt: float | None = None,
    direction: float | None = None,
    when_utc: datetime | None = None,
) -> list[Entry]:
    """A well-formed GPS IFD (EXIF 2.3 layout, WGS-84)."""
    out = [
        Entry(0x0000, BYTE, bytes((2, 3, 0, 0))),
        Entry(0x0001, ASCII, "N" if lat >= 0 else "S"),
        Entry(0x0002, RATIONAL, dms_rationals(lat)),
        Entry(0x0003, ASCII, "E" if lon >= 0 else "W"),
        Entry(0x0004, RATIONAL, dms_rationals(lon)),
        Entry(0x0012, ASCII, "WGS-84"),
    ]
    if alt is not None:
        out.append(Entry(0x0005, BYTE, bytes((0 if alt >= 0 else 1,))))
        out.append(Entry(0x0006, RATIONAL, [(round(abs(alt) * 1000), 1000)]))
    if direction is not None:
        out.append(Entry(0x0010, ASCII, "T"))
        out.append(Entry(0x0011, RATIONAL, [(round(direction * 100) % 36000, 100)]))
    if when_utc is not None:
        u = when_utc.astimezone(UTC)
        ms = round((u.second + u.microsecond / _MICRO) * 1000)
        out.append(Entry(0x0007, RATIONAL, [(u.hour, 1), (u.minute, 1), (ms, 1000)]))
        out.append(Entry(0x001D, ASCII, u.strftime("%Y:%m:%d")))
    return out


def _offset_text(dt: datetime) -> str:
    off = dt.utcoffset()
    assert off is not None
    minutes = int(off.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hh, mm = divmod(abs(minutes), 60)
    return f"{sign}{hh:02d}:{mm:02d}"


def _default_image(width: int, height: int) -> Image.Image:
    """Cheap pixels that compress roughly like a photo: gradients plus Gaussian sensor noise.

    Pure gradients would give a 12-MP file of ~0.3 MB instead of a camera's 3-5 MB, which would
    make import benchmarks measure the wrong thing.  ``effect_noise`` is seeded by Pillow's C
    code, so file sizes are stable but the bytes are not reproducible: pass ``image`` for that.
    """
    gx = Image.linear_gradient("L").rotate(90).resize((width, height))
    gy = Image.linear_gradient("L").resize((width, height))
    gr = Image.radial_gradient("L").resize((width, height))
    noise = Image.effect_noise((width, height), 48)
    return Image.merge("RGB", (Image.blend(gx, noise, 0.5), Image.blend(gy, noise, 0.3), gr))


def _encode_jpeg(img: Image.Image, quality: int = 85) -> bytes:
    buf = io.BytesIO()
    img.convert("RGB").save(buf, "JPEG", quality=quality)
    return buf.getvalue()


def _thumbnail_from(img: Image.Image | None, jpeg: bytes) -> bytes:
    """A ≤160×120 JPEG thumbnail (the DCF size), decoded cheaply via ``draft`` when from bytes."""
    if img is None:
        with Image.open(io.BytesIO(jpeg)) as src:
            src.draft("RGB", (160, 120))
            small = src.convert("RGB")
    else:
        small = img.convert("RGB")
    small.thumbnail((160, 120))
    return _encode_jpeg(small, quality=75)


def make_exif_block(
    *,
    taken_at: datetime,
    lat: float | None,
    lon: float | None,
    alt: float | None = None,
    make: str = "officer_app",
    model: str = "demo",
    width: int = 1600,
    height: int = 1200,
    direction: float | None = None,
    thumbnail: bytes | None = None,
    byteorder: ByteOrder = "<",
) -> bytes:
    """The TIFF block :func:`write_jpeg_with_exif` puts in APP1 (exposed for tests)."""
    if taken_at.tzinfo is None or taken_at.utcoffset() is None:
        raise ValueError("taken_at must be timezone-aware")
    stamp = taken_at.strftime("%Y:%m:%d %H:%M:%S")
    offset = _offset_text(taken_at)
    subsec = f"{taken_at.microsecond:06d}".rstrip("0") or "0"
    ifd0 = [
        Entry(0x010F, ASCII, make),
        Entry(0x0110, ASCII, model),
        Entry(0x0112, SHORT, 1),
        Entry(0x011A, RATIONAL, [(72, 1)]),
        Entry(0x011B, RATIONAL, [(72, 1)]),
        Entry(0x0128, SHORT, 2),
        Entry(0x0131, ASCII, "officer_app"),
        Entry(0x0132, ASCII, stamp),
        Entry(0x0213, SHORT, 1),
    ]
    exif = [
        Entry(0x9000, UNDEFINED, b"0232"),
        Entry(0x9003, ASCII, stamp),
        Entry(0x9004, ASCII, stamp),
        Entry(0x9010, ASCII, offset),
        Entry(0x9011, ASCII, offset),
        Entry(0x9012, ASCII, offset),
        Entry(0x9290, ASCII, subsec),
        Entry(0x9291, ASCII, subsec),
        Entry(0x9292, ASCII, subsec),
        Entry(0xA001, SHORT, 1),
        Entry(0xA002, LONG, width),
        Entry(0xA003, LONG, height),
    ]
    gps = None
    if lat is not None and lon is not None:
        gps = gps_entries(lat=lat, lon=lon, alt=alt, direction=direction, when_utc=taken_at)
    ifd1 = None
    if thumbnail is not None:
        ifd1 = [
            Entry(0x0103, SHORT, 6),
            Entry(0x011A, RATIONAL, [(72, 1)]),
            Entry(0x011B, RATIONAL, [(72, 1)]),
            Entry(0x0128, SHORT, 2),
        ]
    return build_exif_tiff(ifd0, exif, gps, ifd1, thumbnail, byteorder=byteorder)


def jpeg_size(jpeg: bytes) -> tuple[int, int]:
    """(width, height) from the first SOF marker, without decoding."""
    pos = 2
    while pos + 4 <= len(jpeg):
        marker = jpeg[pos + 1]
        seglen = struct.unpack(">H", jpeg[pos + 2 : pos + 4])[0]
        if marker in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE):
            h, w = struct.unpack(">HH", jpeg[pos + 5 : pos + 9])
            return w, h
        pos += 2 + seglen
    raise ValueError("no SOF marker")


def write_jpeg_with_exif(
    path: str | os.PathLike[str],
    *,
    taken_at: datetime,
    lat: float | None,
    lon: float | None,
    alt: float | None = None,
    make: str = "officer_app",
    model: str = "demo",
    width: int = 1600,
    height: int = 1200,
    direction: float | None = None,
    thumbnail: bool | bytes = True,
    image: Image.Image | bytes | None = None,
    byteorder: ByteOrder = "<",
    quality: int = 85,
) -> None:
    """Write a real JPEG with camera-like EXIF (times, offset, sub-seconds, GPS, thumbnail).

    ``image`` may be a Pillow image or an already encoded JPEG (``bytes``); with bytes the pixel
    data is reused verbatim and ``width``/``height`` come from its frame header, which is what a
    benchmark making hundreds of 12-MP files wants.  ``thumbnail`` may also be pre-made JPEG
    bytes.  ``lat``/``lon`` of ``None`` writes no GPS IFD.
    """
    img: Image.Image | None
    if isinstance(image, bytes | bytearray):
        jpeg = bytes(image)
        img = None
        width, height = jpeg_size(jpeg)
    else:
        img = image if image is not None else _default_image(width, height)
        width, height = img.size
        jpeg = _encode_jpeg(img, quality)
    thumb: bytes | None
    if isinstance(thumbnail, bytes | bytearray):
        thumb = bytes(thumbnail)
    elif thumbnail:
        thumb = _thumbnail_from(img, jpeg)
    else:
        thumb = None
    tiff = make_exif_block(
        taken_at=taken_at,
        lat=lat,
        lon=lon,
        alt=alt,
        make=make,
        model=model,
        width=width,
        height=height,
        direction=direction,
        thumbnail=thumb,
        byteorder=byteorder,
    )
    data = insert_exif(jpeg, tiff)
    tmp = f"{os.fspath(path)}.part"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


__all__ = [
    "ASCII",
    "BYTE",
    "LONG",
    "RATIONAL",
    "SHORT",
    "SLONG",
    "SRATIONAL",
    "UNDEFINED",
    "Entry",
    "build_exif_tiff",
    "dms_rationals",
    "gps_entries",
    "insert_exif",
    "jpeg_size",
    "make_exif_block",
    "write_jpeg_with_exif",
]
