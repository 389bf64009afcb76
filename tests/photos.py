"""Small real JPEGs with EXIF we control, made by the project's own writer."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from PIL import Image

from officer_app.media.exif_write import write_jpeg_with_exif

CST = dt.timezone(dt.timedelta(hours=8))


def make_photo(
    path: Path,
    *,
    taken_at: dt.datetime | None = None,
    lat: float | None = 31.0135,
    lon: float | None = 120.8370,
    seed: int = 0,
) -> Path:
    """A 320x240 JPEG whose pixels differ by ``seed`` (so each file has its own hash)."""
    img = Image.new("RGB", (320, 240), ((seed * 37) % 256, (seed * 91) % 256, 120))
    img.putpixel((seed % 320, (seed // 320) % 240), (255, 255, 255))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=80)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_jpeg_with_exif(
        path,
        taken_at=taken_at or dt.datetime(2026, 11, 20, 9, 30, seed % 60, tzinfo=CST),
        lat=lat,
        lon=lon,
        image=buf.getvalue(),
    )
    return path
