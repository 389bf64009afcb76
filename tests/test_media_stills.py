"""Stills the app used to refuse or misread (issue 19 item 8), checked against exiftool."""

from __future__ import annotations

import io
import json
import shutil
import struct
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image, features

from officer_app.media.errors import NotAnImage, UnsupportedFormat
from officer_app.media.exif import read_photo_metadata
from officer_app.media.exif_write import (
    ASCII,
    RATIONAL,
    SHORT,
    Entry,
    build_exif_tiff,
    gps_entries,
    insert_exif,
)

NOW = datetime(2025, 6, 1, tzinfo=UTC)
EXIFTOOL = shutil.which("exiftool")
needs_exiftool = pytest.mark.skipif(
    EXIFTOOL is None,
    reason="exiftool (Debian libimage-exiftool-perl, tools/system-packages.sh test) is the "
    "independent reader these values are checked against",
)


def exiftool(path: Path, *tags: str) -> dict[str, object]:
    assert EXIFTOOL is not None
    out = subprocess.run(
        [EXIFTOOL, "-j", "-n", *(f"-{t}" for t in tags), str(path)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out)[0]


def _pixels() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (32, 24), (90, 120, 30)).save(buf, "JPEG")
    return buf.getvalue()


def _ifd0() -> list[Entry]:
    return [Entry(0x010F, ASCII, "Cam"), Entry(0x0110, ASCII, "X1"), Entry(0x0112, SHORT, 1)]


def _with_xmp(jpeg: bytes, xmp_body: str) -> bytes:
    packet = (
        '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        f'{xmp_body}</rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
    ).encode()
    payload = b"http://ns.adobe.com/xap/1.0/\x00" + packet
    seg = b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload
    return jpeg[:2] + seg + jpeg[2:]


# -- GPS seconds written as 60.00 ------------------------------------------------------------


def _gps_sixty(lat_s: tuple[int, int]) -> list[Entry]:
    entries = gps_entries(lat=31.0, lon=121.0)
    return [
        Entry(0x0002, RATIONAL, [(31, 1), (13, 1), lat_s]) if e.tag == 0x0002 else e
        for e in entries
    ]


@needs_exiftool
def test_gps_seconds_of_sixty_carry_into_next_minute_as_exiftool_reads(tmp_path: Path) -> None:
    tiff = build_exif_tiff(
        _ifd0(), [Entry(0x9003, ASCII, "2024:05:06 10:11:12")], _gps_sixty((6000, 100))
    )
    p = tmp_path / "sixty.jpg"
    p.write_bytes(insert_exif(_pixels(), tiff))
    md = read_photo_metadata(p, now=NOW)
    ref = exiftool(p, "GPSLatitude", "GPSLongitude")
    assert md.lat == pytest.approx(31 + 14 / 60, abs=1e-9)
    assert md.lat == pytest.approx(ref["GPSLatitude"], abs=1e-7)
    assert md.lon == pytest.approx(ref["GPSLongitude"], abs=1e-7)
    assert "odd_gps" not in md.flags and "no_position" not in md.flags


def test_gps_seconds_beyond_sixty_still_refused(tmp_path: Path) -> None:
    tiff = build_exif_tiff(
        _ifd0(), [Entry(0x9003, ASCII, "2024:05:06 10:11:12")], _gps_sixty((6100, 100))
    )
    md = read_photo_metadata(insert_exif(_pixels(), tiff), now=NOW)
    assert md.lat is None and {"odd_gps", "no_position"} <= set(md.flags)


# -- capture time fallback: EXIF → XMP → EXIF DateTime → none --------------------------------


@needs_exiftool
def test_xmp_date_time_original_used_when_exif_has_none(tmp_path: Path) -> None:
    tiff = build_exif_tiff(_ifd0(), [Entry(0x829A, RATIONAL, [(1, 100)])])
    data = _with_xmp(
        insert_exif(_pixels(), tiff),
        '<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" '
        'exif:DateTimeOriginal="2024-03-02T09:08:07.25+08:00"/>',
    )
    p = tmp_path / "xmp.jpg"
    p.write_bytes(data)
    md = read_photo_metadata(p, now=NOW)
    ref = exiftool(p, "XMP:DateTimeOriginal", "EXIF:DateTimeOriginal")
    assert "EXIF:DateTimeOriginal" not in ref and "DateTimeOriginal" in ref
    assert str(ref["DateTimeOriginal"]).startswith("2024:03:02 09:08:07")
    assert md.taken_at == "2024-03-02T09:08:07+08:00"
    assert md.subsec == "25"
    assert md.taken_at_source == "XMP:DateTimeOriginal"
    assert "no_time" not in md.flags and "assumed_timezone" not in md.flags
    assert "no_camera_exif" not in md.flags


def test_xmp_create_date_without_offset_assumes_timezone_and_beats_exif_datetime() -> None:
    # EXIF DateTime (IFD0) is the last edit; an XMP CreateDate element is the capture.
    tiff = build_exif_tiff([*_ifd0(), Entry(0x0132, ASCII, "2024:09:09 09:09:09")], [])
    data = _with_xmp(
        insert_exif(_pixels(), tiff),
        '<rdf:Description xmlns:xmp="http://ns.adobe.com/xap/1.0/">'
        "<xmp:CreateDate>2024-03-02T09:08:07</xmp:CreateDate></rdf:Description>",
    )
    md = read_photo_metadata(data, now=NOW, default_tz="+08:00")
    assert md.taken_at == "2024-03-02T09:08:07+08:00"
    assert md.taken_at_source == "XMP:CreateDate"
    assert "assumed_timezone" in md.flags and "datetime_fallback" not in md.flags


def test_exif_date_time_original_wins_over_xmp() -> None:
    tiff = build_exif_tiff(_ifd0(), [Entry(0x9003, ASCII, "2024:05:06 10:11:12")])
    data = _with_xmp(
        insert_exif(_pixels(), tiff),
        '<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" '
        'exif:DateTimeOriginal="2020-01-01T00:00:00Z"/>',
    )
    md = read_photo_metadata(data, now=NOW)
    assert md.taken_at_source == "DateTimeOriginal"
    assert md.taken_at == "2024-05-06T10:11:12+08:00"


def test_xmp_date_without_time_is_not_a_capture_time() -> None:
    tiff = build_exif_tiff(_ifd0(), [])
    data = _with_xmp(
        insert_exif(_pixels(), tiff),
        '<rdf:Description xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:CreateDate="2024-03-02"/>',
    )
    md = read_photo_metadata(data, now=NOW)
    assert md.taken_at is None and "no_time" in md.flags


# -- AVIF read, JPEG XL refused by name ------------------------------------------------------


@needs_exiftool
@pytest.mark.skipif(
    not features.check("avif"),
    reason="this Pillow build has no libavif (the app then refuses AVIF by name)",
)
def test_avif_photo_is_read_with_its_exif(tmp_path: Path) -> None:
    tiff = build_exif_tiff(
        _ifd0(), [Entry(0x9003, ASCII, "2024:05:06 10:11:12")], gps_entries(lat=30.9, lon=120.9)
    )
    p = tmp_path / "phone.avif"
    Image.new("RGB", (64, 48), (10, 200, 30)).save(p, "AVIF", exif=b"Exif\x00\x00" + tiff)
    md = read_photo_metadata(p, now=NOW)
    ref = exiftool(p, "ImageWidth", "ImageHeight", "GPSLatitude", "DateTimeOriginal", "Make")
    assert md.format == "AVIF"
    assert (md.width, md.height) == (ref["ImageWidth"], ref["ImageHeight"]) == (64, 48)
    assert md.lat == pytest.approx(ref["GPSLatitude"], abs=1e-7)
    assert md.make == ref["Make"] == "Cam"
    assert md.taken_at == "2024-05-06T10:11:12+08:00"


def test_avif_refused_by_name_where_pillow_lacks_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from officer_app.media import image_container

    head = b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf" + b"\x00" * 64
    monkeypatch.setattr(image_container, "avif_supported", lambda: False)
    with pytest.raises(UnsupportedFormat) as err:
        read_photo_metadata(head, now=NOW)
    assert err.value.message_zh == "不支持的格式（AVIF）"


@pytest.mark.parametrize(
    "head",
    [
        b"\xff\x0a\xfa\x7f\x01\x90\x08" + b"\x00" * 32,
        b"\x00\x00\x00\x0cJXL \r\n\x87\n" + b"\x00" * 32,
    ],
    ids=["codestream", "container"],
)
def test_jpeg_xl_refused_by_name_not_as_not_an_image(head: bytes) -> None:
    with pytest.raises(UnsupportedFormat) as err:
        read_photo_metadata(head, now=NOW)
    assert err.value.message_zh == "不支持的格式（JPEG XL）"
    assert not isinstance(err.value, NotAnImage)
