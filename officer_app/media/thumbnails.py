"""Small JPEG renderings of a photo for the evidence grid and the preview pane.

Display copies only: the original bytes are never modified (DOMAIN.md §8).  Orientation is
applied here (``ImageOps.exif_transpose`` semantics) so that a portrait photo looks upright, while
the stored evidence keeps the camera's own pixels and Orientation tag.

Speed matters during import: the camera's embedded EXIF thumbnail is used when it has the same
aspect ratio as the photo (no letterbox bars), otherwise Pillow's ``draft()`` lets libjpeg decode at
1/2..1/8 scale, which is several times faster than a full decode of a 12-MP file.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from PIL import Image

from officer_app.media.errors import CorruptImage, NotAnImage
from officer_app.media.exif_values import _first_int, _run_exifread
from officer_app.media.image_container import (
    FORMAT_HEIF,
    FORMAT_JPEG,
    FORMAT_PNG,
    PhotoSource,
    _load_bytes,
    _scan_jpeg,
    _scan_png,
    check_pixel_count,
    open_image_guarded,
    sniff_format,
)

THUMBNAIL_QUALITY = 80
PREVIEW_QUALITY = 85
_ASPECT_TOLERANCE = 0.03  # embedded thumbnails with bars differ by >10%; rounding by <2%

# Orientation value -> transpose operation, as in PIL.ImageOps.exif_transpose.
_TRANSPOSE: dict[int, Image.Transpose] = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


@dataclass(slots=True)
class _Probe:
    fmt: str
    width: int | None
    height: int | None
    orientation: int | None
    embedded: bytes | None


def _probe(data: bytes, label: str) -> _Probe:
    """Format, declared size, EXIF orientation and embedded thumbnail, without decoding pixels."""
    if not data:
        raise NotAnImage(f"{label}: empty file", "文件是空的，不是图片")
    fmt = sniff_format(data[:16])
    if fmt is None:
        raise NotAnImage(f"{label}: unknown magic bytes {data[:8].hex()}")
    width = height = None
    exif_source: bytes | None = data
    if fmt == FORMAT_JPEG:
        c = _scan_jpeg(data, label)
        width, height, exif_source = c.width, c.height, c.exif_tiff
    elif fmt == FORMAT_PNG:
        c = _scan_png(data, label)
        width, height = c.width, c.height
    if width is not None and height is not None:
        check_pixel_count(width, height, label)
    tags: dict[str, Any] = (_run_exifread(exif_source, label) or {}) if exif_source else {}
    orientation = _first_int(tags, "Image Orientation")
    if fmt == FORMAT_HEIF or orientation not in _TRANSPOSE:
        # libheif already applies the container's rotation; EXIF orientation would double it.
        orientation = None
    thumb = tags.get("JPEGThumbnail")
    embedded = bytes(thumb) if isinstance(thumb, bytes) and thumb[:2] == b"\xff\xd8" else None
    return _Probe(fmt, width, height, orientation, embedded)


def _to_rgb(im: Image.Image) -> Image.Image:
    """RGB for JPEG encoding; transparency goes on white, 16-bit greys are scaled down."""
    if im.mode == "RGB":
        return im
    if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
        rgba = im.convert("RGBA")
        bg = Image.new("RGB", rgba.size, (255, 255, 255))
        bg.paste(rgba, mask=rgba.getchannel("A"))
        return bg
    if im.mode.startswith("I;16") or im.mode in ("I", "F"):
        return im.convert("I").point(lambda v: v / 256).convert("L").convert("RGB")
    return im.convert("RGB")


def _encode(im: Image.Image, quality: int) -> bytes:
    buf = io.BytesIO()
    _to_rgb(im).save(buf, "JPEG", quality=quality, optimize=False)
    return buf.getvalue()


def _orient(im: Image.Image, orientation: int | None) -> Image.Image:
    op = _TRANSPOSE.get(orientation or 1)
    return im.transpose(op) if op is not None else im


def _from_embedded(p: _Probe, max_side: int, label: str, min_side: int = 0) -> bytes | None:
    """The embedded thumbnail, oriented and capped at ``max_side``; None when unsuitable
    (letterboxed, broken, or smaller than ``min_side`` on its long side)."""
    if p.embedded is None or not p.width or not p.height:
        return None
    try:
        with Image.open(io.BytesIO(p.embedded)) as t:
            if t.format != "JPEG":
                return None
            tw, th = t.size
            if abs(tw / th - p.width / p.height) > _ASPECT_TOLERANCE * (p.width / p.height):
                return None  # letterboxed (black bars): render from the photo instead
            t.load()
            im = t.copy()
    except (OSError, SyntaxError, ValueError, ZeroDivisionError, Image.DecompressionBombError):
        return None  # a broken embedded thumbnail is no reason to refuse the photo
    if max(im.size) < min_side:
        return None  # too small for a high-DPI screen: decode the photo instead
    if max(im.size) > max_side:
        im.thumbnail((max_side, max_side))
    return _encode(_orient(im, p.orientation), THUMBNAIL_QUALITY)


def _render(data: bytes, label: str, p: _Probe, max_side: int, quality: int) -> bytes:
    with open_image_guarded(data, label) as im:
        if p.fmt == FORMAT_JPEG:
            im.draft("RGB", (max_side, max_side))
        im.load()
        small = im.copy()
    small.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    return _encode(_orient(small, p.orientation), quality)


def make_thumbnail(source: PhotoSource, max_side: int = 256, *, min_side: int = 0) -> bytes:
    """A JPEG no larger than ``max_side`` on its long side, upright for display.

    Uses the camera's embedded thumbnail when it fits (typically 160×120, never upscaled) and
    is at least ``min_side`` long (a 2x screen needs more than 160 pixels), else a reduced-scale
    decode.  Raises :class:`~officer_app.media.errors.MediaError`
    subclasses for files that are not images, are damaged or are decompression bombs.
    """
    if max_side < 16:
        raise ValueError("max_side must be at least 16")
    data, label = _load_bytes(source)
    p = _probe(data, label)
    fast = _from_embedded(p, max_side, label, min_side)
    if fast is not None:
        return fast
    return _render(data, label, p, max_side, THUMBNAIL_QUALITY)


def make_preview(source: PhotoSource, max_side: int = 1600) -> bytes:
    """A larger upright JPEG for the preview pane (never from the small embedded thumbnail)."""
    if max_side < 16:
        raise ValueError("max_side must be at least 16")
    data, label = _load_bytes(source)
    p = _probe(data, label)
    try:
        return _render(data, label, p, max_side, PREVIEW_QUALITY)
    except MemoryError as exc:  # a pathological file that slipped past the pixel guard
        raise CorruptImage(f"{label}: out of memory while decoding") from exc


__all__ = ["make_preview", "make_thumbnail"]
