"""What kind of image a file is, and whether its container is whole, without decoding pixels.

Split from :mod:`officer_app.media.exif` (which reads the metadata): this module decides the
format from magic bytes, walks JPEG/PNG structure, opens images through Pillow with every failure
mapped to a typed :mod:`officer_app.media.errors` error, and knows which formats we refuse by name
(JPEG XL: the only Pillow plugin for it is GPL-3.0, which the app cannot ship).
"""

from __future__ import annotations

import io
import os
import struct
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import BinaryIO

from PIL import Image, UnidentifiedImageError

from officer_app.media.errors import (
    CorruptImage,
    DecompressionBomb,
    NotAnImage,
    UnreadableFile,
    UnsupportedFormat,
)

PhotoSource = str | os.PathLike[str] | bytes | bytearray | memoryview | BinaryIO

FORMAT_JPEG = "JPEG"
FORMAT_TIFF = "TIFF"
FORMAT_PNG = "PNG"
FORMAT_HEIF = "HEIF"
FORMAT_AVIF = "AVIF"
FORMAT_JXL = "JPEG XL"

_HEIF_BRANDS = frozenset(
    {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs", b"mif1", b"msf1"}
)
_JPEG_SOF = frozenset(
    {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
)
_AVIF_BRANDS = frozenset({b"avif", b"avis"})
_JXL_CODESTREAM = b"\xff\x0a"
_JXL_BOX = b"\x00\x00\x00\x0cJXL \r\n\x87\n"


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
    if head[4:8] == b"ftyp" and head[8:12] in _AVIF_BRANDS:
        return FORMAT_AVIF
    if head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        return FORMAT_HEIF
    if head[:2] == _JXL_CODESTREAM or head[:12] == _JXL_BOX:
        return FORMAT_JXL
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
    if fmt == FORMAT_JXL:
        raise UnsupportedFormat("JPEG XL", f"{label}: no shippable JPEG XL decoder")
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


def avif_supported() -> bool:
    """Whether this Pillow was built with libavif (the official wheels since 11.3 are)."""
    from PIL import features

    return bool(features.check("avif"))


def _avif_info(data: bytes, label: str) -> _Container:
    """Size and EXIF of an AVIF photo through Pillow's own AVIF plugin (no pixels decoded).

    AVIF is read, not refused: Pillow's wheels bundle libavif, so no new dependency is needed.
    A Pillow without it refuses the file as 不支持的格式（AVIF）, never as "not an image".
    """
    if not avif_supported():
        raise UnsupportedFormat("AVIF", f"{label}: this Pillow has no AVIF support")
    with open_image_guarded(data, label) as im:
        if im.format != FORMAT_AVIF:
            raise CorruptImage(f"{label}: magic says AVIF, Pillow says {im.format}")
        width, height = im.size
        exif = im.info.get("exif")
    out = _Container(width=width, height=height)
    if isinstance(exif, bytes | bytearray):
        exif = bytes(exif)
        out.exif_tiff = exif[6:] if exif.startswith(b"Exif\x00\x00") else exif
    return out
