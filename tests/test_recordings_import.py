"""Video and audio evidence imported into the same chain as photos (issue 19 items 1, 2, 5, 6, 7).

Every recording here is made by a real encoder (PyAV's FFmpeg) and what the app reads is checked
against exiftool, an independent reader.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest

from officer_app.media.hashing import sha256_file
from officer_app.services import evidence_import, evidence_query
from officer_app.services.context import AppContext
from officer_app.store.blobs import BlobStore
from tests.recordings import BODY_CAM_TIME, XYZ, body_cam_mp4, make_recording, nmea_log

EXIFTOOL = shutil.which("exiftool")
needs_exiftool = pytest.mark.skipif(
    EXIFTOOL is None,
    reason="exiftool (Debian libimage-exiftool-perl, tools/system-packages.sh test) is the "
    "independent reader recordings are checked against",
)


def exiftool(path: Path) -> dict[str, object]:
    assert EXIFTOOL is not None
    out = subprocess.run(
        [EXIFTOOL, "-j", "-n", str(path)], check=True, capture_output=True, text=True
    ).stdout
    return json.loads(out)[0]


def _import(ctx: AppContext, *paths: Path) -> evidence_import.ImportReport:
    return evidence_import.import_files(ctx, list(paths))


def _row(ctx: AppContext, evidence_id: str | None) -> dict[str, object]:
    assert evidence_id is not None
    item = evidence_query.get_evidence(ctx, evidence_id)
    assert item is not None
    return item


@needs_exiftool
def test_mp4_with_creation_time_and_location(officer_ctx: AppContext, tmp_path: Path) -> None:
    mp4 = body_cam_mp4(tmp_path / "cam" / "VID_0001.MP4")
    report = _import(officer_ctx, mp4)
    [outcome] = report.files
    assert outcome.outcome == "imported" and outcome.kind == "video"
    item = _row(officer_ctx, outcome.evidence_id)
    ref = exiftool(mp4)
    assert item["kind"] == "video" and item["format"] == "MP4"
    assert item["sha256"] == sha256_file(mp4)
    # creation_time is UTC by the MP4 spec; shown in the configured +08:00 and flagged as such.
    assert item["taken_at"] == "2026-11-20T09:02:03+08:00"
    assert str(ref["CreateDate"]) == "2026:11:20 01:02:03"  # exiftool shows the raw UTC value
    assert "container_time_utc" in item["flags"]
    assert item["duration_s"] == pytest.approx(float(ref["Duration"]), abs=0.05)
    assert (item["width"], item["height"]) == (ref["ImageWidth"], ref["ImageHeight"]) == (160, 120)
    # 3GPP loci is 16.16 fixed point: exiftool gives its exact value, FFmpeg rounds to 1e-4.
    assert item["lat"] == pytest.approx(float(ref["GPSLatitude"]), abs=1e-4)
    assert item["lon"] == pytest.approx(float(ref["GPSLongitude"]), abs=1e-4)
    assert item["position_source"] == "container"
    assert str(item["codec"]).startswith("h264")
    stored = BlobStore(officer_ctx.data.evidence_dir).path_for(str(item["sha256"]))
    assert sha256_file(stored) == item["sha256"]
    assert (
        officer_ctx.store.scalar(
            "SELECT evidence_type FROM evidence WHERE id = ?", [outcome.evidence_id]
        )
        == "视听资料"
    )
    ledger = officer_ctx.store.query(
        "SELECT kind FROM ledger WHERE entity_id = ?", [outcome.evidence_id]
    )
    assert [r["kind"] for r in ledger] == ["evidence_intake"]
    outbox = officer_ctx.store.query(
        "SELECT payload FROM outbox WHERE entity_id = ?", [outcome.evidence_id]
    )
    payload = json.loads(outbox[0]["payload"])
    assert payload["kind"] == "video" and payload["duration_s"] == item["duration_s"]


@needs_exiftool
def test_mov_with_xyz_make_and_model(officer_ctx: AppContext, tmp_path: Path) -> None:
    mov = make_recording(
        tmp_path / "IMG_0042.MOV",
        metadata={
            "creation_time": BODY_CAM_TIME,
            "location": XYZ,
            "make": "ZFY",
            "model": "DSJ-V9",
        },
    )
    [outcome] = _import(officer_ctx, mov).files
    item = _row(officer_ctx, outcome.evidence_id)
    ref = exiftool(mov)
    assert item["format"] == "QuickTime"
    assert (item["make"], item["model"]) == (ref["Make"], ref["Model"]) == ("ZFY", "DSJ-V9")
    assert item["lat"] == pytest.approx(float(ref["GPSLatitude"]), abs=1e-7)
    assert item["lon"] == pytest.approx(float(ref["GPSLongitude"]), abs=1e-7)


@needs_exiftool
def test_avi_placed_and_timed_by_the_nmea_log_beside_it(
    officer_ctx: AppContext, tmp_path: Path
) -> None:
    avi = make_recording(tmp_path / "FILE0007.AVI", video="mpeg4", audio="mp3", rate=16000)
    nmea_log(tmp_path / "FILE0007.NMEA", (1, 2, 3), 31.0135, 120.8370)
    [outcome] = _import(officer_ctx, avi).files
    item = _row(officer_ctx, outcome.evidence_id)
    ref = exiftool(avi)
    assert "CreateDate" not in ref and "DateTimeOriginal" not in ref  # the AVI has no time
    assert item["taken_at"] == "2026-11-20T09:02:03+08:00"
    assert item["taken_at_source"] == "nmea:first_fix"
    assert item["lat"] == pytest.approx(31.0135, abs=1e-6)
    assert item["lon"] == pytest.approx(120.8370, abs=1e-6)
    assert item["position_source"] == "nmea" and item["alt"] == pytest.approx(12.5)
    assert item["duration_s"] == pytest.approx(float(ref["Duration"]), abs=0.15)
    assert item["raw_tags"]["sidecar"] == "FILE0007.NMEA (nmea)"


def test_body_cam_that_wrote_local_time_into_utc_field_is_read_as_local(
    officer_ctx: AppContext, tmp_path: Path
) -> None:
    # The camera's clock said 09:02:03 (Shanghai) and wrote it as if UTC; GPS says 01:02:03 UTC.
    mp4 = make_recording(tmp_path / "V.MP4", metadata={"creation_time": "2026-11-20T09:02:03Z"})
    nmea_log(tmp_path / "V.NMEA", (1, 2, 3), 31.0135, 120.8370)
    [outcome] = _import(officer_ctx, mp4).files
    item = _row(officer_ctx, outcome.evidence_id)
    assert item["taken_at"] == "2026-11-20T09:02:03+08:00"
    assert "assumed_timezone" in item["flags"] and "container_time_utc" not in item["flags"]


@needs_exiftool
@pytest.mark.parametrize(
    ("name", "fmt", "codec", "rate", "format_name"),
    [
        ("note.amr", None, "libopencore_amrnb", 8000, "AMR"),
        ("note.m4a", "ipod", "aac", 16000, "M4A"),
        ("note.wav", None, "pcm_s16le", 8000, "WAV"),
    ],
)
def test_audio_notes(
    officer_ctx: AppContext,
    tmp_path: Path,
    name: str,
    fmt: str | None,
    codec: str,
    rate: int,
    format_name: str,
) -> None:
    path = make_recording(tmp_path / name, fmt=fmt, video=None, audio=codec, rate=rate)
    [outcome] = _import(officer_ctx, path).files
    item = _row(officer_ctx, outcome.evidence_id)
    assert item["kind"] == "audio" and item["format"] == format_name
    # exiftool 12 does not read AMR ("Unknown file type"): there the encoded length is the check.
    expected = 2.0 if format_name == "AMR" else float(exiftool(path)["Duration"])
    assert item["duration_s"] == pytest.approx(expected, abs=0.1)
    assert item["width"] is None and "no_time" in item["flags"]


def test_list_json_shows_kind_time_duration_position(
    officer_ctx: AppContext, tmp_path: Path
) -> None:
    body_cam_mp4(tmp_path / "in" / "a.mp4")
    make_recording(tmp_path / "in" / "b.m4a", fmt="ipod", video=None, audio="aac", rate=16000)
    report = evidence_import.import_files(officer_ctx, [tmp_path / "in"])  # a folder, like a card
    assert report.count("imported") == 2
    officer_ctx.close()
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "officer_app",
            "--data-dir",
            str(officer_ctx.data.root),
            "evidence",
            "list",
            "--json",
        ],
        capture_output=True,
        env=os.environ.copy(),
        timeout=120,
        check=True,
    ).stdout
    items = {i["original_name"]: i for i in json.loads(out)}
    video, audio = items["a.mp4"], items["b.m4a"]
    assert video["kind"] == "video" and audio["kind"] == "audio"
    assert video["taken_at"] == "2026-11-20T09:02:03+08:00"
    assert video["duration_s"] == pytest.approx(2.0, abs=0.1)
    assert video["lat"] == pytest.approx(31.0135) and video["lon"] == pytest.approx(120.837)
    assert audio["lat"] is None and audio["duration_s"] == pytest.approx(2.0, abs=0.1)


def test_duplicate_recording_detected_and_staging_left_clean(
    officer_ctx: AppContext, tmp_path: Path
) -> None:
    first = body_cam_mp4(tmp_path / "a.mp4")
    again = tmp_path / "copy" / "renamed.mp4"
    again.parent.mkdir()
    shutil.copyfile(first, again)
    report = _import(officer_ctx, first, again)
    assert [f.outcome for f in report.files] == ["imported", "duplicate"]
    assert report.files[1].evidence_id == report.files[0].evidence_id
    staging = officer_ctx.data.evidence_dir / "tmp"
    assert not any(staging.iterdir())


def _mp4_boxes(data: bytes) -> list[tuple[bytes, int, int]]:
    out, pos = [], 0
    while pos < len(data):
        size = int.from_bytes(data[pos : pos + 4], "big")
        out.append((data[pos + 4 : pos + 8], pos, size))
        pos += size
    return out


def test_mp4_without_moov_kept_with_a_clear_message(
    officer_ctx: AppContext, tmp_path: Path
) -> None:
    whole = body_cam_mp4(tmp_path / "whole.mp4").read_bytes()
    moov = next(pos for kind, pos, _ in _mp4_boxes(whole) if kind == b"moov")
    cut = tmp_path / "battery_died.mp4"
    cut.write_bytes(whole[:moov])  # the camera never wrote its index
    [outcome] = _import(officer_ctx, cut).files
    assert outcome.outcome == "imported"
    assert "缺少索引" in outcome.reason and "原始文件已保存" in outcome.reason
    item = _row(officer_ctx, outcome.evidence_id)
    assert "recording_incomplete" in item["flags"] and item["duration_s"] is None
    assert item["sha256"] == sha256_file(cut) and item["size"] == moov


def test_truncated_avi_keeps_what_is_readable(officer_ctx: AppContext, tmp_path: Path) -> None:
    whole = make_recording(tmp_path / "w.avi", video="mpeg4", seconds=3.0)
    cut = tmp_path / "cut.avi"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    [outcome] = _import(officer_ctx, cut).files
    item = _row(officer_ctx, outcome.evidence_id)
    assert outcome.outcome == "imported" and "recording_truncated" in item["flags"]
    assert "不完整" in outcome.reason
    assert item["duration_s"] is not None and 0.3 < float(item["duration_s"]) < 2.5  # not 3.0


def test_huge_fake_header_does_not_hang_or_allocate(
    officer_ctx: AppContext, tmp_path: Path
) -> None:
    whole = body_cam_mp4(tmp_path / "w.mp4").read_bytes()
    fake = tmp_path / "fake.mp4"
    # ftyp, then an mdat that declares 2^60 bytes through a 64-bit largesize.
    fake.write_bytes(whole[:32] + (1).to_bytes(4, "big") + b"mdat" + (1 << 60).to_bytes(8, "big"))
    tracemalloc.start()
    [outcome] = _import(officer_ctx, fake).files
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert outcome.outcome == "imported"
    assert {"recording_truncated", "recording_incomplete"} <= set(outcome.flags)
    assert peak < 32 << 20


@pytest.mark.parametrize("name", ["empty.mp4", "empty.amr"])
def test_zero_length_recording_refused_plainly(
    officer_ctx: AppContext, tmp_path: Path, name: str
) -> None:
    path = tmp_path / name
    path.write_bytes(b"")
    [outcome] = _import(officer_ctx, path).files
    assert outcome.outcome == "rejected" and outcome.reason == "文件是空的，没有任何数据"
    assert officer_ctx.store.scalar("SELECT COUNT(*) FROM evidence") == 0


def test_unknown_content_with_a_video_name_is_named_not_called_a_photo(
    officer_ctx: AppContext, tmp_path: Path
) -> None:
    path = tmp_path / "clip.mkv"
    path.write_bytes(b"this is a text file, not a recording" * 10)
    [outcome] = _import(officer_ctx, path).files
    assert outcome.outcome == "rejected"
    assert outcome.reason.startswith("不支持的录音录像格式（MKV") and "图片" not in outcome.reason


def test_large_recording_streams_with_flat_memory(officer_ctx: AppContext, tmp_path: Path) -> None:
    """A 64 MB recording must not be held in memory: peak Python allocation stays small."""
    small = body_cam_mp4(tmp_path / "s.mp4").read_bytes()
    big = tmp_path / "big.mp4"
    with big.open("wb") as f:
        f.write(small)
        pad = 64 << 20
        f.write((pad + 8).to_bytes(4, "big") + b"free")
        chunk = os.urandom(1 << 20)
        for _ in range(64):
            f.write(chunk)
    tracemalloc.start()
    [outcome] = _import(officer_ctx, big).files
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert outcome.outcome == "imported"
    assert peak < 16 << 20, f"peak {peak / 1e6:.1f} MB for a 64 MB file"
    stored = BlobStore(officer_ctx.data.evidence_dir).path_for(str(outcome.sha256))
    assert stored.stat().st_size == big.stat().st_size
    assert sha256_file(stored) == sha256_file(big) == outcome.sha256


def test_main_window_import_does_not_load_pyav() -> None:
    code = (
        "import sys, officer_app.ui.main_window, officer_app.services.evidence_import;"
        "sys.exit(1 if 'av' in sys.modules else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=120)
    assert result.returncode == 0, result.stderr.decode()


def test_migration_upgrades_a_store_holding_photos(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A store made before recordings, with a photo in it, opens with that photo as a photo."""
    import sqlite3

    from officer_app.services.officers import add_or_select_officer
    from officer_app.store import migrations
    from officer_app.store.migration_recordings import MIGRATION_RECORDINGS
    from tests.photos import make_photo

    version = migrations.MIGRATIONS.index(MIGRATION_RECORDINGS)
    old = migrations.MIGRATIONS[:version]
    root = tmp_path / "data"
    with monkeypatch.context() as m:
        m.setattr(migrations, "MIGRATIONS", old)
        m.setattr(migrations, "SCHEMA_VERSION", len(old))
        m.setattr("officer_app.store.db.MIGRATIONS", old, raising=False)
        m.setattr("officer_app.store.db.SCHEMA_VERSION", len(old), raising=False)
        with AppContext.open(root) as ctx:
            add_or_select_officer(ctx, "张伟", "31011800123", "310118")
            cols = {c.name for c in ctx.store.db["evidence"].columns}
            assert "kind" not in cols
            photo = make_photo(tmp_path / "p.jpg")
            old_row = {
                "id": "e1",
                "sha256": sha256_file(photo),
                "original_name": "p.jpg",
                "size": photo.stat().st_size,
                "format": "JPEG",
                "imported_by": ctx.store.scalar("SELECT id FROM officers"),
                "imported_at": "2026-11-20T01:00:00+00:00",
            }
            with ctx.store.transaction() as db:
                db["evidence"].insert(old_row)
    conn = sqlite3.connect(root / "officer_app.sqlite3")
    assert conn.execute("PRAGMA user_version").fetchone()[0] == version
    conn.close()
    with AppContext.open(root) as ctx:
        assert ctx.store.scalar("PRAGMA user_version") == migrations.SCHEMA_VERSION
        item = evidence_query.get_evidence(ctx, "e1")
        assert item is not None and item["kind"] == "photo" and item["duration_s"] is None
        with pytest.raises(sqlite3.IntegrityError):
            ctx.store.execute("UPDATE evidence SET kind = 'film' WHERE id = 'e1'")


def test_patrol_track_places_a_recording_by_its_start_time(
    officer_ctx: AppContext, tmp_path: Path
) -> None:
    """A recording with a time but no position is placed by the GPX track imported later."""
    import datetime as dt

    from officer_app.services import tracks
    from tests.test_tracks import write_gpx

    mp4 = make_recording(tmp_path / "V.MP4", metadata={"creation_time": BODY_CAM_TIME})
    [outcome] = _import(officer_ctx, mp4).files
    assert _row(officer_ctx, outcome.evidence_id)["lat"] is None
    start = dt.datetime(2026, 11, 20, 1, 0, tzinfo=dt.UTC)
    gpx = write_gpx(
        tmp_path / "patrol.gpx",
        [(start, 30.98, 120.82), (start + dt.timedelta(minutes=4), 30.99, 120.83)],
    )
    result = tracks.import_track(officer_ctx, gpx)
    assert [p["evidence_id"] for p in result["positioned"]] == [outcome.evidence_id]
    item = _row(officer_ctx, outcome.evidence_id)
    # 01:02:03 UTC is 123 s into a 240 s leg.
    assert item["lat"] == pytest.approx(30.98 + 0.01 * 123 / 240, abs=1e-6)
    assert item["position_source"] == "gpx"


def test_mts_from_a_camcorder_card_folder(officer_ctx: AppContext, tmp_path: Path) -> None:
    """AVCHD cameras write MPEG-TS with 192-byte packets under PRIVATE/AVCHD/BDMV/STREAM."""
    stream = tmp_path / "card" / "PRIVATE" / "AVCHD" / "BDMV" / "STREAM"
    ts = make_recording(stream / "00000.MTS", fmt="mpegts")
    # M2TS packets: a 4-byte arrival timestamp before each 188-byte packet.
    raw = ts.read_bytes()
    ts.write_bytes(
        b"".join(b"\x00\x00\x00\x00" + raw[i : i + 188] for i in range(0, len(raw), 188))
    )
    (tmp_path / "card" / "notes.ts").write_text("export const x = 1;\n", encoding="utf-8")
    report = evidence_import.import_files(officer_ctx, [tmp_path / "card"])
    assert [(Path(f.path).name, f.outcome) for f in report.files] == [("00000.MTS", "imported")]
    item = _row(officer_ctx, report.files[0].evidence_id)
    assert item["kind"] == "video" and item["format"] == "MPEG-TS"
    assert item["duration_s"] == pytest.approx(2.0, abs=0.2)
