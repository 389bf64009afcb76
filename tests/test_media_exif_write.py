"""The project's own JPEG+EXIF writer, checked by reading back with our reader (and Pillow)."""

from __future__ import annotations

import io
import tempfile
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from officer_app.media.exif import read_photo_metadata
from officer_app.media.exif_write import write_jpeg_with_exif

NOW = datetime(2030, 1, 1, tzinfo=UTC)
CST = timezone(timedelta(hours=8))


def test_round_trip_all_fields(tmp_path: Path) -> None:
    p = tmp_path / "x.jpg"
    taken = datetime(2025, 3, 1, 9, 30, 15, 250000, tzinfo=CST)
    write_jpeg_with_exif(
        p,
        taken_at=taken,
        lat=31.1508,
        lon=121.1244,
        alt=-3.25,
        direction=271.5,
        width=320,
        height=240,
    )
    md = read_photo_metadata(p, now=NOW)
    assert md.taken_at == "2025-03-01T09:30:15+08:00" and md.subsec == "25"
    assert md.taken_at_datetime == taken
    assert md.taken_at_source == "DateTimeOriginal"
    assert md.lat == pytest.approx(31.1508, abs=1e-9)
    assert md.lon == pytest.approx(121.1244, abs=1e-9)
    assert md.alt == pytest.approx(-3.25) and md.direction == pytest.approx(271.5)
    assert md.gps_datetime == "2025-03-01T01:30:15.250000+00:00"
    assert md.raw_tags["GPS GPSMapDatum"] == "WGS-84"
    assert (md.make, md.model, md.orientation) == ("officer_app", "demo", 1)
    assert (md.width, md.height) == (320, 240)
    assert md.flags == ()
    assert md.thumbnail_bytes is not None
    with Image.open(io.BytesIO(md.thumbnail_bytes)) as t:
        assert t.size == (160, 120)
    with Image.open(p) as im:  # Pillow agrees, independently of exifread
        exif = im.getexif()
        assert exif[0x010F] == "officer_app"
        assert exif.get_ifd(0x8769)[0x9011] == "+08:00"
        assert exif.get_ifd(0x8825)[1] == "N"
        im.load()


def test_no_gps_no_thumbnail_and_south_west(tmp_path: Path) -> None:
    p = tmp_path / "y.jpg"
    write_jpeg_with_exif(
        p, taken_at=datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC), lat=None, lon=None, thumbnail=False
    )
    md = read_photo_metadata(p, now=NOW)
    assert md.lat is None and "no_position" in md.flags and md.thumbnail_bytes is None
    write_jpeg_with_exif(p, taken_at=datetime(2024, 1, 2, tzinfo=UTC), lat=-33.5, lon=-70.25)
    md = read_photo_metadata(p, now=NOW)
    assert (md.lat, md.lon) == pytest.approx((-33.5, -70.25))
    with pytest.raises(ValueError):
        write_jpeg_with_exif(p, taken_at=datetime(2024, 1, 2), lat=1, lon=1)


def test_reuse_encoded_pixels(tmp_path: Path) -> None:
    buf = io.BytesIO()
    Image.new("RGB", (640, 480), "green").save(buf, "JPEG")
    pixels = buf.getvalue()
    for i in range(3):
        p = tmp_path / f"r{i}.jpg"
        write_jpeg_with_exif(
            p, taken_at=datetime(2024, 1, 2, 0, 0, i, tzinfo=CST), lat=30, lon=120, image=pixels
        )
        md = read_photo_metadata(p, now=NOW)
        assert (md.width, md.height) == (640, 480)
        assert md.taken_at == f"2024-01-02T00:00:0{i}+08:00"
        assert p.read_bytes().endswith(pixels[-100:])


@settings(max_examples=40, deadline=None)
@given(
    lat=st.floats(min_value=-89.999, max_value=89.999).filter(lambda v: abs(v) > 1e-6),
    lon=st.floats(min_value=-179.999, max_value=179.999),
    alt=st.one_of(st.none(), st.floats(min_value=-400, max_value=9000)),
    offset_min=st.integers(min_value=-12 * 60, max_value=14 * 60).map(lambda m: m - m % 15),
)
def test_property_round_trip(lat: float, lon: float, alt: float | None, offset_min: int) -> None:
    tz = timezone(timedelta(minutes=offset_min))
    taken = datetime(2024, 7, 1, 12, 0, 0, tzinfo=tz)
    buf = io.BytesIO()
    Image.new("RGB", (16, 16)).save(buf, "JPEG")
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "h.jpg"
        write_jpeg_with_exif(p, taken_at=taken, lat=lat, lon=lon, alt=alt, image=buf.getvalue())
        md = read_photo_metadata(p, now=NOW)
    assert md.lat == pytest.approx(lat, abs=1e-6)
    assert md.lon == pytest.approx(lon, abs=1e-6)
    if alt is not None:
        assert md.alt == pytest.approx(alt, abs=1e-3)
    assert md.taken_at_datetime == taken
    assert "gps_clock_mismatch" not in md.flags and "assumed_timezone" not in md.flags
