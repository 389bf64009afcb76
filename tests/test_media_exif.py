"""EXIF reader: the real exif-samples corpus, row by row, plus hand-made odd files."""

from __future__ import annotations

import csv
import io
import os
import struct
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from officer_app.media import exif as exif_mod
from officer_app.media.errors import (
    CorruptImage,
    DecompressionBomb,
    MediaError,
    NotAnImage,
    UnreadableFile,
)
from officer_app.media.exif import read_photo_metadata
from officer_app.media.exif_write import (
    ASCII,
    RATIONAL,
    SHORT,
    Entry,
    build_exif_tiff,
    dms_rationals,
    gps_entries,
    insert_exif,
)
from officer_app.media.hashing import copy_and_hash, sha256_bytes, sha256_file

NOW = datetime(2025, 6, 1, tzinfo=UTC)
CST = timezone(timedelta(hours=8))


def corpus_dir() -> Path:
    env = os.environ.get("OFFICER_APP_CORPUS")
    root = Path(env) if env else Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
    return root


def _manifest(sub: str) -> list[dict[str, str]]:
    path = corpus_dir() / sub / "MANIFEST.tsv"
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def _need_corpus() -> None:
    if not (corpus_dir() / "exif-samples" / "MANIFEST.tsv").is_file():
        msg = f"exif-samples corpus not found at {corpus_dir()} (set OFFICER_APP_CORPUS)"
        if os.environ.get("CI"):
            pytest.fail(msg)
        pytest.skip(msg)


ROWS = _manifest("exif-samples")
# Every corpus file is accepted.  corpus "corrupted.jpg" has only a corrupt Olympus makernote
# (ignored with details=False) and decodable pixels; the jpg/invalid/ set is "invalid" only in
# having no EXIF: structure, EOI and pixels are fine.  So no file is expected to be refused.
EXPECTED_REJECTED: dict[str, type[MediaError]] = {}
# Files where we legitimately read more than the manifest (which used exifread on the whole file).
# no_exif.jpg has its EXIF APP1 *after* an XMP APP1: exifread alone stops at XMP, our JPEG walker
# hands the EXIF block to exifread directly, so we get its Orientation=1 and DateTime.
READS_MORE = {"jpg/xmp/no_exif.jpg"}


@pytest.mark.parametrize("row", ROWS or [None], ids=[r["path"] for r in ROWS] or ["no-corpus"])
def test_corpus_row(row: dict[str, str] | None) -> None:
    _need_corpus()
    assert row is not None
    path = corpus_dir() / "exif-samples" / row["path"]
    if row["path"] in EXPECTED_REJECTED:
        with pytest.raises(EXPECTED_REJECTED[row["path"]]):
            read_photo_metadata(path, now=NOW)
        return
    md = read_photo_metadata(path, now=NOW)
    if row["has_gps"] == "1":
        assert md.lat == pytest.approx(float(row["lat"]), abs=1e-6)
        assert md.lon == pytest.approx(float(row["lon"]), abs=1e-6)
        assert "no_position" not in md.flags
    else:
        assert md.lat is None and md.lon is None
        assert "no_position" in md.flags
    if row["gps_alt_m"]:
        assert md.alt == pytest.approx(float(row["gps_alt_m"]), abs=0.01)
    if row["datetime_original"]:
        assert md.taken_at_source == "DateTimeOriginal"
        assert md.taken_at is not None
        naive = datetime.fromisoformat(md.taken_at).strftime("%Y:%m:%d %H:%M:%S")
        assert naive == row["datetime_original"]
    else:
        assert md.taken_at_source != "DateTimeOriginal"
    assert md.make == (row["make"] or None)
    assert md.model == (row["model"] or None)
    if row["pixel_size"]:
        assert f"{md.width}x{md.height}" == row["pixel_size"]
    else:  # HEIF: Pillow without plugin gives none; libheif gives the (rotated) size
        assert md.format == "HEIF"
    if row["path"] not in READS_MORE:
        assert md.orientation == (int(row["orientation"]) if row["orientation"] else None)
    # JSON-safe raw tags and no binary blobs
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in md.raw_tags.items())
    assert not any("Thumbnail" in k and k.startswith(("JPEG", "TIFF")) for k in md.raw_tags)
    assert not any("MakerNote" in k for k in md.raw_tags)
    assert not any("\x00" in v for v in md.raw_tags.values())


def test_corpus_specific_flags() -> None:
    _need_corpus()
    base = corpus_dir() / "exif-samples"

    def flags(rel: str) -> tuple[str, ...]:
        return read_photo_metadata(base / rel, now=NOW).flags

    assert "odd_gps" in flags("jpg/tests/45-gps_ifd.jpg")
    assert "future_time" in flags("jpg/WWL_(Polaroid)_ION230.jpg")
    assert "no_camera_exif" in flags("jpg/Reconyx_HC500_Hyperfire.jpg")
    assert "datetime_fallback" in flags("jpg/tests/67-0_length_string.jpg")
    assert "assumed_timezone" not in flags("jpg/mobile/HMD_Nokia_8.3_5G.jpg")
    assert "no_time" in flags("jpg/exif-org/olympus-d320l.jpg")
    md = read_photo_metadata(base / "jpg/mobile/HMD_Nokia_8.3_5G.jpg", now=NOW)
    assert md.taken_at == "2022-08-14T14:12:31+03:00"
    md = read_photo_metadata(base / "jpg/WWL_(Polaroid)_ION230.jpg", now=NOW)
    assert md.model == "ION230" and md.make == "WWL"
    md = read_photo_metadata(base / "jpg/xmp/no_exif.jpg", now=NOW)
    assert md.raw_tags.get("Image Software", "").startswith("Adobe Photoshop")
    assert md.thumbnail_bytes is None or md.thumbnail_bytes[:2] == b"\xff\xd8"


def test_corpus_sha256_matches_manifest() -> None:
    _need_corpus()
    for row in ROWS:
        assert sha256_file(corpus_dir() / "exif-samples" / row["path"]) == row["sha256"]


# ------------------------------------------------------------------------------------------
# Hand-made files
# ------------------------------------------------------------------------------------------


def _pixels_jpeg(w: int = 64, h: int = 48) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (w, h), (120, 80, 40)).save(buf, "JPEG")
    return buf.getvalue()


def _camera_ifds(
    dto: str = "2024:05:06 10:11:12", make: str = "Cam", offset: str | None = None
) -> tuple[list[Entry], list[Entry]]:
    ifd0 = [Entry(0x010F, ASCII, make), Entry(0x0110, ASCII, "X1"), Entry(0x0112, SHORT, 1)]
    exif = [Entry(0x9003, ASCII, dto)]
    if offset:
        exif.append(Entry(0x9011, ASCII, offset))
    return ifd0, exif


def _photo(
    tmp_path: Path,
    *,
    gps: list[Entry] | None = None,
    byteorder: str = "<",
    ifd0: list[Entry] | None = None,
    exif: list[Entry] | None = None,
    name: str = "p.jpg",
) -> Path:
    d0, dx = _camera_ifds()
    tiff = build_exif_tiff(
        ifd0 if ifd0 is not None else d0,
        exif if exif is not None else dx,
        gps,
        byteorder=byteorder,  # type: ignore[arg-type]
    )
    p = tmp_path / name
    p.write_bytes(insert_exif(_pixels_jpeg(), tiff))
    return p


@pytest.mark.parametrize("byteorder", ["<", ">"])
def test_both_byte_orders(tmp_path: Path, byteorder: str) -> None:
    p = _photo(tmp_path, gps=gps_entries(lat=31.2304, lon=121.4737, alt=4.0), byteorder=byteorder)
    assert p.read_bytes()[12:14] == (b"II" if byteorder == "<" else b"MM")
    md = read_photo_metadata(p, now=NOW)
    assert md.lat == pytest.approx(31.2304, abs=1e-7)
    assert md.lon == pytest.approx(121.4737, abs=1e-7)
    assert md.alt == pytest.approx(4.0)
    assert md.taken_at == "2024-05-06T10:11:12+08:00"
    assert "assumed_timezone" in md.flags
    assert md.format == "JPEG" and (md.width, md.height) == (64, 48)


def test_zero_denominators(tmp_path: Path) -> None:
    gps = [
        Entry(0x0001, ASCII, "N"),
        Entry(0x0002, RATIONAL, [(31, 1), (10, 0), (0, 0)]),
        Entry(0x0003, ASCII, "E"),
        Entry(0x0004, RATIONAL, [(121, 1), (0, 1), (0, 1)]),
        Entry(0x0006, RATIONAL, [(5, 0)]),
    ]
    md = read_photo_metadata(_photo(tmp_path, gps=gps), now=NOW)
    assert md.lat is None and md.lon is None and md.alt is None
    assert {"odd_gps", "no_position"} <= set(md.flags)


def test_missing_refs(tmp_path: Path) -> None:
    gps = [e for e in gps_entries(lat=31.0, lon=121.0) if e.tag not in (0x0001, 0x0003)]
    md = read_photo_metadata(_photo(tmp_path, gps=gps), now=NOW)
    assert md.lat is None and {"odd_gps", "no_position"} <= set(md.flags)


def test_missing_altitude_ref_means_above_sea_level(tmp_path: Path) -> None:
    gps = [e for e in gps_entries(lat=31.0, lon=121.0, alt=-12.5) if e.tag != 0x0005]
    md = read_photo_metadata(_photo(tmp_path, gps=gps), now=NOW)
    assert md.alt == pytest.approx(12.5)
    assert "odd_gps" not in md.flags


def test_empty_gps_ifd(tmp_path: Path) -> None:
    md = read_photo_metadata(_photo(tmp_path, gps=[]), now=NOW)
    assert md.lat is None and {"odd_gps", "no_position"} <= set(md.flags)


@pytest.mark.parametrize(
    "lat,lon", [(95.0, 10.0), (10.0, 200.0), (0.0, 0.0)], ids=["lat>90", "lon>180", "null-island"]
)
def test_out_of_range_gps(tmp_path: Path, lat: float, lon: float) -> None:
    md = read_photo_metadata(_photo(tmp_path, gps=gps_entries(lat=lat, lon=lon)), now=NOW)
    assert md.lat is None and "odd_gps" in md.flags


def test_nul_padded_strings(tmp_path: Path) -> None:
    ifd0 = [
        Entry(0x010F, ASCII, b"WWL     \x00\x00\x00\x00"),
        Entry(0x0110, ASCII, b"ION230\x00F\x00"),
    ]
    exif = [Entry(0x9003, ASCII, b"2024:05:06 10:11:12\x00\x00\x00\x00")]
    md = read_photo_metadata(_photo(tmp_path, ifd0=ifd0, exif=exif), now=NOW)
    assert (md.make, md.model) == ("WWL", "ION230")
    assert md.taken_at == "2024-05-06T10:11:12+08:00"


def test_offset_subsec_and_wrong_values(tmp_path: Path) -> None:
    ifd0, _ = _camera_ifds()
    exif = [
        Entry(0x9003, ASCII, "2024:13:45 99:11:12"),  # impossible DateTimeOriginal
        Entry(0x0132, ASCII, "x"),
        Entry(0x9011, ASCII, "+99:00"),
    ]
    md = read_photo_metadata(_photo(tmp_path, ifd0=ifd0, exif=exif), now=NOW)
    assert md.taken_at is None and "no_time" in md.flags
    exif = [
        Entry(0x9003, ASCII, "2024:05:06 10:11:12"),
        Entry(0x9011, ASCII, "-05:00"),
        Entry(0x9291, ASCII, "25"),
    ]
    md = read_photo_metadata(_photo(tmp_path, ifd0=ifd0, exif=exif), now=NOW)
    assert md.taken_at == "2024-05-06T10:11:12-05:00" and md.subsec == "25"
    assert md.taken_at_datetime == datetime(
        2024, 5, 6, 10, 11, 12, 250000, timezone(-timedelta(hours=5))
    )
    assert "assumed_timezone" not in md.flags


def test_datetime_fallback(tmp_path: Path) -> None:
    ifd0 = [Entry(0x010F, ASCII, "Cam"), Entry(0x0132, ASCII, "2024:05:06 10:11:12")]
    md = read_photo_metadata(_photo(tmp_path, ifd0=ifd0, exif=[]), now=NOW)
    assert md.taken_at_source == "DateTime" and "datetime_fallback" in md.flags


@pytest.mark.parametrize(
    "stamp", ["2000:01:01 00:00:07", "2007:01:01 00:12:00", "1980:01:01 12:00:00"]
)
def test_camera_default_date(tmp_path: Path, stamp: str) -> None:
    ifd0, exif = _camera_ifds(dto=stamp)
    md = read_photo_metadata(_photo(tmp_path, ifd0=ifd0, exif=exif), now=NOW)
    assert "camera_default_date" in md.flags


def test_normal_date_is_not_default(tmp_path: Path) -> None:
    ifd0, exif = _camera_ifds(dto="2000:01:01 14:00:00")
    md = read_photo_metadata(_photo(tmp_path, ifd0=ifd0, exif=exif), now=NOW)
    assert "camera_default_date" not in md.flags


def test_future_time_uses_injected_now(tmp_path: Path) -> None:
    ifd0, exif = _camera_ifds(dto="2024:05:06 10:11:12", offset="+08:00")
    p = _photo(tmp_path, ifd0=ifd0, exif=exif)
    assert "future_time" in read_photo_metadata(p, now=datetime(2024, 5, 6, 2, 0, tzinfo=UTC)).flags
    assert (
        "future_time" not in read_photo_metadata(p, now=datetime(2024, 5, 6, 3, tzinfo=UTC)).flags
    )


def test_gps_clock_mismatch(tmp_path: Path) -> None:
    ifd0, exif = _camera_ifds(dto="2024:05:06 10:11:12", offset="+08:00")
    ok_gps = gps_entries(lat=31, lon=121, when_utc=datetime(2024, 5, 6, 2, 15, tzinfo=UTC))
    md = read_photo_metadata(_photo(tmp_path, ifd0=ifd0, exif=exif, gps=ok_gps), now=NOW)
    assert "gps_clock_mismatch" not in md.flags
    assert md.gps_datetime == "2024-05-06T02:15:00+00:00"
    bad_gps = gps_entries(lat=31, lon=121, when_utc=datetime(2024, 5, 6, 10, 11, 12, tzinfo=UTC))
    md = read_photo_metadata(_photo(tmp_path, ifd0=ifd0, exif=exif, gps=bad_gps), now=NOW)
    assert "gps_clock_mismatch" in md.flags
    md = read_photo_metadata(
        _photo(tmp_path, ifd0=ifd0, exif=exif, gps=ok_gps), now=NOW, gps_clock_tolerance_min=1
    )
    assert "gps_clock_mismatch" in md.flags


def test_no_exif(tmp_path: Path) -> None:
    p = tmp_path / "plain.jpg"
    p.write_bytes(_pixels_jpeg())
    md = read_photo_metadata(p, now=NOW)
    assert {"no_camera_exif", "no_time", "no_position"} <= set(md.flags)
    assert md.raw_tags == {} and md.thumbnail_bytes is None


def test_exif_after_xmp(tmp_path: Path) -> None:
    xmp = b"http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta/>"
    jpeg = _pixels_jpeg()
    with_xmp = jpeg[:2] + b"\xff\xe1" + struct.pack(">H", len(xmp) + 2) + xmp + jpeg[2:]
    ifd0, exif = _camera_ifds()
    tiff = build_exif_tiff(ifd0, exif, gps_entries(lat=30.5, lon=120.5))
    app1 = b"\xff\xe1" + struct.pack(">H", len(tiff) + 8) + b"Exif\x00\x00" + tiff
    # XMP first, EXIF second
    data = with_xmp[: 4 + len(xmp) + 2] + app1 + with_xmp[4 + len(xmp) + 2 :]
    md = read_photo_metadata(data, now=NOW)
    assert md.lat == pytest.approx(30.5) and md.make == "Cam"


def test_bytes_and_stream_sources(tmp_path: Path) -> None:
    p = _photo(tmp_path, gps=gps_entries(lat=31, lon=121))
    a = read_photo_metadata(p, now=NOW)
    b = read_photo_metadata(p.read_bytes(), now=NOW)
    with p.open("rb") as f:
        c = read_photo_metadata(f, now=NOW)
    assert a == b == c


def test_naive_now_is_a_bug(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        read_photo_metadata(_photo(tmp_path), now=datetime(2025, 1, 1))


# --- refusals ---------------------------------------------------------------------------------


def test_empty_file(tmp_path: Path) -> None:
    p = tmp_path / "empty.jpg"
    p.write_bytes(b"")
    with pytest.raises(NotAnImage) as ei:
        read_photo_metadata(p, now=NOW)
    assert ei.value.reason_code == "not_an_image" and ei.value.message_zh


@pytest.mark.parametrize(
    "content", [b"hello, this is text\n" * 10, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n" * 5]
)
def test_not_an_image_by_magic(tmp_path: Path, content: bytes) -> None:
    p = tmp_path / "looks_like.jpg"
    p.write_bytes(content)
    with pytest.raises(NotAnImage) as ei:
        read_photo_metadata(p, now=NOW)
    assert ei.value.message_zh == "不是图片文件"


@pytest.mark.parametrize("keep", [0.5, 0.9, 0.999])
def test_truncated_jpeg(tmp_path: Path, keep: float) -> None:
    data = _pixels_jpeg(320, 240)
    # make the image data noisy enough that cutting never leaves an EOI behind
    cut = data[: max(4, int(len(data) * keep))]
    if cut.endswith(b"\xff\xd9"):
        cut = cut[:-2]
    with pytest.raises(CorruptImage) as ei:
        read_photo_metadata(cut, now=NOW)
    assert ei.value.message_zh == "图片数据损坏或不完整"


def test_truncated_header(tmp_path: Path) -> None:
    with pytest.raises(CorruptImage):
        read_photo_metadata(b"\xff\xd8\xff\xe1\x10\x00Exif", now=NOW)


def test_decompression_bomb_declared_size() -> None:
    data = bytearray(_pixels_jpeg(16, 16))
    sof = data.find(b"\xff\xc0")
    struct.pack_into(">HH", data, sof + 5, 60000, 60000)  # 3.6 Gpx declared in a tiny file
    with pytest.raises(DecompressionBomb) as ei:
        read_photo_metadata(bytes(data), now=NOW)
    assert "解压炸弹" in ei.value.message_zh


def test_decompression_bomb_png_and_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    buf = io.BytesIO()
    Image.new("RGB", (100, 100)).save(buf, "PNG")
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 5000)
    with pytest.raises(DecompressionBomb):
        read_photo_metadata(buf.getvalue(), now=NOW)
    with pytest.raises(DecompressionBomb):
        read_photo_metadata(_pixels_jpeg(100, 100), now=NOW)


def test_pillow_bomb_warning_backstop(monkeypatch: pytest.MonkeyPatch) -> None:
    """A format whose size we do not pre-check still maps Pillow's warning to our error."""
    buf = io.BytesIO()
    Image.new("L", (100, 100)).save(buf, "TIFF")
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 6000)  # warn > 6000, error > 12000
    with pytest.raises(DecompressionBomb), exif_mod.open_image_guarded(buf.getvalue(), "t"):
        pass
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 9000)  # 10000 px: warning only
    with pytest.raises(DecompressionBomb), exif_mod.open_image_guarded(buf.getvalue(), "t"):
        pass


def test_png_and_tiff_accepted_and_corrupt_png(tmp_path: Path) -> None:
    buf = io.BytesIO()
    Image.new("RGB", (30, 20), "red").save(buf, "PNG")
    md = read_photo_metadata(buf.getvalue(), now=NOW)
    assert (md.format, md.width, md.height) == ("PNG", 30, 20)
    bad = bytearray(buf.getvalue())
    bad[40] ^= 0xFF  # inside IDAT: CRC mismatch
    with pytest.raises(CorruptImage):
        read_photo_metadata(bytes(bad), now=NOW)
    tbuf = io.BytesIO()
    Image.new("RGB", (30, 20), "red").save(tbuf, "TIFF")
    md = read_photo_metadata(tbuf.getvalue(), now=NOW)
    assert (md.format, md.width, md.height) == ("TIFF", 30, 20)
    with pytest.raises(CorruptImage):
        read_photo_metadata(tbuf.getvalue()[:200], now=NOW)


def test_unreadable_path(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFile):
        read_photo_metadata(tmp_path / "missing.jpg", now=NOW)
    with pytest.raises(UnreadableFile):
        read_photo_metadata(tmp_path, now=NOW)


# --- hashing -------------------------------------------------------------------------------------


def test_hashing_routines(tmp_path: Path) -> None:
    data = os.urandom(3 * (1 << 20) + 17)
    p = tmp_path / "blob"
    p.write_bytes(data)
    assert sha256_file(p) == sha256_bytes(data) == sha256_file(p, chunk=4096)
    out = io.BytesIO()
    with p.open("rb") as f:
        digest, n = copy_and_hash(f, out)
    assert (digest, n) == (sha256_bytes(data), len(data)) and out.getvalue() == data
    with pytest.raises(UnreadableFile):
        sha256_file(tmp_path / "nope")


@settings(max_examples=60, deadline=None)
@given(
    lat=st.floats(min_value=-90, max_value=90, allow_nan=False),
    lon=st.floats(min_value=-180, max_value=180, allow_nan=False),
    big=st.booleans(),
)
def test_dms_round_trip_property(lat: float, lon: float, big: bool) -> None:
    if abs(lat) < 1e-9 and abs(lon) < 1e-9:
        return  # 0,0 is deliberately treated as "no fix"
    tiff = build_exif_tiff(
        [Entry(0x010F, ASCII, "Cam")],
        [],
        gps_entries(lat=lat, lon=lon),
        byteorder=">" if big else "<",
    )
    md = read_photo_metadata(insert_exif(_pixels_jpeg(8, 8), tiff), now=NOW)
    assert md.lat == pytest.approx(lat, abs=1e-6)
    assert md.lon == pytest.approx(lon, abs=1e-6)
    d, m, s = dms_rationals(lat)
    assert d[1] == m[1] == 1 and 0 <= m[0] < 60 and 0 <= s[0] < 60 * s[1]
