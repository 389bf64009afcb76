"""Thumbnails and previews: size, orientation for display, original untouched, refusals."""

from __future__ import annotations

import hashlib
import io
import os
import struct
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image

from officer_app.media.errors import CorruptImage, DecompressionBomb, NotAnImage
from officer_app.media.exif_write import write_jpeg_with_exif
from officer_app.media.thumbnails import make_preview, make_thumbnail


def corpus_dir() -> Path:
    env = os.environ.get("OFFICER_APP_CORPUS")
    return Path(env) if env else Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


def _size(jpeg: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(jpeg)) as im:
        assert im.format == "JPEG"
        return im.size


def test_embedded_thumbnail_fast_path(tmp_path: Path) -> None:
    p = tmp_path / "a.jpg"
    write_jpeg_with_exif(p, taken_at=datetime(2024, 5, 6, tzinfo=UTC), lat=31, lon=121)
    before = hashlib.sha256(p.read_bytes()).hexdigest()
    t = make_thumbnail(p)
    assert _size(t) == (160, 120)  # the embedded one, never upscaled
    assert max(_size(make_thumbnail(p, max_side=100))) == 100
    assert max(_size(make_preview(p, max_side=800))) == 800
    assert hashlib.sha256(p.read_bytes()).hexdigest() == before


def test_draft_path_without_embedded(tmp_path: Path) -> None:
    buf = io.BytesIO()
    Image.new("RGB", (1200, 900), "blue").save(buf, "JPEG")
    assert _size(make_thumbnail(buf.getvalue())) == (256, 192)
    png = io.BytesIO()
    Image.new("RGBA", (300, 100), (0, 0, 0, 0)).save(png, "PNG")
    assert _size(make_thumbnail(png.getvalue())) == (256, 85)


@pytest.mark.parametrize("n", range(1, 9))
def test_corpus_orientation_set_is_upright(n: int) -> None:
    base = corpus_dir() / "exif-samples" / "jpg" / "orientation"
    path = base / f"landscape_{n}.jpg"
    if not path.is_file():
        msg = f"orientation corpus not found at {base}"
        if os.environ.get("CI"):
            pytest.fail(msg)
        pytest.skip(msg)
    w, h = _size(make_thumbnail(path))
    assert w > h  # every landscape_N displays as landscape after orientation
    with Image.open(io.BytesIO(make_preview(path))) as im, Image.open(path) as orig:
        from PIL import ImageOps

        ref = ImageOps.exif_transpose(orig)
        assert im.size == ref.size


def test_corpus_heic_thumbnail() -> None:
    path = corpus_dir() / "exif-samples" / "heic" / "IMG_5195.HEIC"
    if not path.is_file():
        pytest.skip("HEIC sample not found")
    pytest.importorskip("pi_heif")
    w, h = _size(make_thumbnail(path))
    assert max(w, h) == 256 and h > w


def test_refusals(tmp_path: Path) -> None:
    with pytest.raises(NotAnImage):
        make_thumbnail(b"plain text, not a picture")
    with pytest.raises(NotAnImage):
        make_thumbnail(b"")
    buf = io.BytesIO()
    Image.new("RGB", (64, 64)).save(buf, "JPEG")
    with pytest.raises(CorruptImage):
        make_thumbnail(buf.getvalue()[:-200])
    bomb = bytearray(buf.getvalue())
    sof = bomb.find(b"\xff\xc0")
    struct.pack_into(">HH", bomb, sof + 5, 50000, 50000)
    with pytest.raises(DecompressionBomb):
        make_thumbnail(bytes(bomb))
    with pytest.raises(DecompressionBomb):
        make_preview(bytes(bomb))
