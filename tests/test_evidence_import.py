"""Importing evidence photos through the service and the CLI, including every kind of bad input."""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from officer_app.services import evidence_import, evidence_query, patrols
from officer_app.services.context import AppContext
from officer_app.store.blobs import BlobStore
from tests.photos import CST, make_photo


def _files(folder: Path, n: int) -> list[Path]:
    return [make_photo(folder / f"sub{i % 2}" / f"IMG_{i:03d}.JPG", seed=i) for i in range(n)]


def test_folder_import_stores_originals_byte_for_byte(
    officer_ctx: AppContext, tmp_path: Path
) -> None:
    photos = _files(tmp_path / "card", 4)
    (tmp_path / "card" / "notes.txt").write_text("not a photo")  # skipped inside folders
    report = evidence_import.import_files(officer_ctx, [tmp_path / "card"])
    assert [f.outcome for f in report.files] == ["imported"] * 4
    assert report.exit_code == 0
    blobs = BlobStore(officer_ctx.data.evidence_dir)
    for photo, outcome in zip(sorted(photos), report.files, strict=True):
        stored = blobs.path_for(outcome.sha256 or "")
        assert stored.read_bytes() == photo.read_bytes()
        assert not stored.stat().st_mode & stat.S_IWUSR
    items = evidence_query.list_evidence(officer_ctx)
    assert len(items) == 4
    item = items[0]
    assert item["position_source"] == "exif" and item["datum"] == "wgs84"
    assert abs(item["lat"] - 31.0135) < 1e-6 and abs(item["lon"] - 120.8370) < 1e-6
    assert item["taken_at"].endswith("+08:00")
    assert item["jurisdiction_code"] == "320509"
    assert officer_ctx.store.scalar("SELECT COUNT(*) FROM ledger WHERE kind='evidence_intake'") == 4
    assert officer_ctx.store.scalar("SELECT COUNT(*) FROM outbox WHERE entity='evidence'") == 4


def test_same_bytes_twice_is_a_duplicate_of_the_same_evidence(
    officer_ctx: AppContext, tmp_path: Path
) -> None:
    photo = make_photo(tmp_path / "a.jpg", seed=1)
    copy = tmp_path / "copy-of-a.jpeg"
    copy.write_bytes(photo.read_bytes())
    first = evidence_import.import_files(officer_ctx, [photo])
    second = evidence_import.import_files(officer_ctx, [copy])
    assert second.files[0].outcome == "duplicate"
    assert second.files[0].evidence_id == first.files[0].evidence_id
    assert second.exit_code == 0
    assert officer_ctx.store.scalar("SELECT COUNT(*) FROM evidence") == 1


def test_bad_files_are_rejected_with_reasons_and_the_rest_import(
    officer_ctx: AppContext, tmp_path: Path
) -> None:
    good = make_photo(tmp_path / "good.jpg", seed=2)
    text = tmp_path / "report.jpg"
    text.write_text("这是一份文字说明，不是照片")
    empty = tmp_path / "empty.jpg"
    empty.write_bytes(b"")
    truncated = tmp_path / "truncated.jpg"
    truncated.write_bytes(make_photo(tmp_path / "t.jpg", seed=3).read_bytes()[:900])
    pdf = tmp_path / "scan.jpeg"
    pdf.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    vanished = tmp_path / "gone.jpg"
    report = evidence_import.import_files(
        officer_ctx, [text, empty, good, truncated, pdf, vanished]
    )
    outcomes = {Path(f.path).name: f for f in report.files}
    assert outcomes["good.jpg"].outcome == "imported"
    for name in ("report.jpg", "empty.jpg", "truncated.jpg", "scan.jpeg", "gone.jpg"):
        assert outcomes[name].outcome == "rejected", name
        assert outcomes[name].reason and any(
            "\u4e00" <= c <= "\u9fff" for c in outcomes[name].reason
        )
    assert outcomes["gone.jpg"].reason_code == "vanished"
    assert report.exit_code == 3
    assert officer_ctx.store.scalar("SELECT COUNT(*) FROM evidence") == 1
    assert list(BlobStore(officer_ctx.data.evidence_dir).iter_stored()).__len__() == 1


def test_disk_full_stops_the_import_and_keeps_what_was_stored(
    officer_ctx: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    photos = _files(tmp_path / "card", 3)
    calls = {"n": 0}
    real_fsync = os.fsync

    def fsync_then_full(fd: int) -> None:
        calls["n"] += 1
        if calls["n"] > 2:  # the first photo's file + its folder, then the disk is full
            raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr("officer_app.store.blobs.os.fsync", fsync_then_full)
    report = evidence_import.import_files(officer_ctx, photos)
    assert [f.outcome for f in report.files] == ["imported", "rejected"]
    assert "磁盘已满" in report.fatal and report.exit_code == 1
    assert officer_ctx.store.scalar("SELECT COUNT(*) FROM evidence") == 1
    blobs = BlobStore(officer_ctx.data.evidence_dir)
    assert len(list(blobs.iter_stored())) == 1
    assert not list(blobs.tmp.glob("*.part"))  # nothing half-written left behind


def test_cancel_stops_between_files(officer_ctx: AppContext, tmp_path: Path) -> None:
    photos = _files(tmp_path / "card", 5)
    seen: list[int] = []
    report = evidence_import.import_files(
        officer_ctx,
        photos,
        progress=lambda i, n, p: seen.append(i),
        cancelled=lambda: len(seen) >= 2,
    )
    assert report.cancelled and report.count("imported") == 2 and report.exit_code == 3
    assert officer_ctx.store.scalar("SELECT COUNT(*) FROM evidence") == 2


def test_photos_join_the_patrol_whose_time_they_fall_in(
    officer_ctx: AppContext, tmp_path: Path
) -> None:
    start = dt.datetime(2026, 11, 20, 9, 0, tzinfo=CST)
    patrol_id = patrols.record_patrol(
        officer_ctx,
        patrol_type="陆路巡查",
        cluster="青嘉吴",
        start=start,
        end=start + dt.timedelta(hours=2),
        agencies=["310118", "320509"],
        officers=[],
    )
    inside = make_photo(tmp_path / "in.jpg", taken_at=start + dt.timedelta(minutes=30), seed=4)
    outside = make_photo(tmp_path / "out.jpg", taken_at=start + dt.timedelta(hours=5), seed=5)
    evidence_import.import_files(officer_ctx, [inside, outside])
    by_name = {i["original_name"]: i for i in evidence_query.list_evidence(officer_ctx)}
    assert by_name["in.jpg"]["patrol_id"] == patrol_id
    assert by_name["out.jpg"]["patrol_id"] is None


def test_photo_without_offset_assumes_the_default_zone(
    officer_ctx: AppContext, tmp_path: Path
) -> None:
    from PIL import Image

    path = tmp_path / "plain.jpg"
    exif = Image.Exif()
    exif[0x010F] = "Canon"
    exif[0x0110] = "IXUS"
    exif.get_ifd(0x8769)[0x9003] = "2026:11:20 10:11:12"
    Image.new("RGB", (64, 48), (10, 20, 30)).save(path, "JPEG", exif=exif)
    evidence_import.import_files(officer_ctx, [path])
    item = evidence_query.list_evidence(officer_ctx)[0]
    assert item["taken_at"] == "2026-11-20T10:11:12+08:00"
    assert "assumed_timezone" in item["flags"] and "no_position" in item["flags"]


def test_cli_import_json_and_exit_codes(officer_ctx: AppContext, tmp_path: Path) -> None:
    data_dir = str(officer_ctx.data.root)
    officer_ctx.close()
    good = make_photo(tmp_path / "in" / "good.jpg", seed=6)
    bad = tmp_path / "in" / "bad.jpg"
    bad.write_bytes(b"GIF89a not really")

    def cli(*args: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            [sys.executable, "-m", "officer_app", "--data-dir", data_dir, *args],
            capture_output=True,
            timeout=120,
        )

    result = cli("evidence", "import", str(good), str(bad), "--json")
    assert result.returncode == 3, result.stderr
    data = json.loads(result.stdout)
    assert [f["outcome"] for f in data["files"]] == ["imported", "rejected"]
    assert data["files"][1]["reason"]
    again = cli("evidence", "import", str(good), "--json")
    assert again.returncode == 0
    assert json.loads(again.stdout)["files"][0]["outcome"] == "duplicate"
    listed = json.loads(cli("evidence", "list", "--json").stdout)
    assert len(listed) == 1
    assert set(listed[0]) >= {
        "id",
        "sha256",
        "original_name",
        "taken_at",
        "lat",
        "lon",
        "alt",
        "position_source",
        "flags",
    }
