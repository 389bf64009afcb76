"""Thumbnails and previews of stored evidence, made lazily and cached under the data dir.

The original is never touched: cached images are derived files, written atomically and safe to
delete at any time.
"""

from __future__ import annotations

from pathlib import Path

from officer_app.paths import DataDir
from officer_app.store.atomic import write_bytes_atomic
from officer_app.store.blobs import BlobStore

THUMB_SIDE = 256
PREVIEW_SIDE = 1600


def _cached(data: DataDir, sha256: str, kind: str, side: int, min_side: int = 0) -> Path:
    from officer_app.media.thumbnails import make_preview, make_thumbnail

    target = data.cache_dir / kind / sha256[:2] / f"{sha256}.jpg"
    if target.is_file():
        return target
    source = BlobStore(data.evidence_dir).path_for(sha256)
    if kind.startswith("thumbs"):
        image = make_thumbnail(source, side, min_side=min_side)
    else:
        image = make_preview(source, side)
    write_bytes_atomic(target, image, durable=False)  # a cache: safe to lose, never half-written
    return target


def thumbnail(data: DataDir, sha256: str, *, scale: int = 1) -> Path:
    """The grid's thumbnail; ``scale`` 2 (a high-DPI screen) makes one twice as large, decoded
    from the photo when the camera's embedded thumbnail is too small to stay sharp."""
    if scale <= 1:
        return _cached(data, sha256, "thumbs", THUMB_SIDE)
    return _cached(data, sha256, "thumbs@2x", THUMB_SIDE * 2, min_side=THUMB_SIDE + 64)


def preview(data: DataDir, sha256: str) -> Path:
    return _cached(data, sha256, "previews", PREVIEW_SIDE)
